package io.slipstream.launcher.topology;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CoordinatorRendezvousSecretTest
{
    @TempDir
    Path parent;

    private static Topology rank(final int rank)
    {
        return new Topology(TopologySource.SLURM, rank, 2, rank, 2, 0, List.of("node1"), "77", "0", 0, null, 12000,
            "host", "10.0.0." + (rank + 1), GpuAssignment.NONE);
    }

    private Path ownerOnly() throws Exception
    {
        final Path dir = parent.resolve("run");
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return dir;
    }

    @Test
    void rankZerosSecretReachesTheOthersInAnOwnerOnlyFile() throws Exception
    {
        final Path dir = ownerOnly();
        CoordinatorRendezvous.publishWithSecret(dir, rank(0), "10.0.0.1", "f".repeat(64));
        final Path file = CoordinatorRendezvous.fileFor(dir, rank(0));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        final CoordinatorRendezvous.Endpoint endpoint =
            CoordinatorRendezvous.awaitEndpoint(dir, rank(1), TimeUnit.SECONDS.toNanos(1));
        assertEquals("10.0.0.1", endpoint.address());
        assertEquals("f".repeat(64), endpoint.secret());
    }

    @Test
    void anAddressAloneCarriesNoSecret() throws Exception
    {
        final Path dir = ownerOnly();
        CoordinatorRendezvous.publish(dir, rank(0), "10.0.0.1");
        final CoordinatorRendezvous.Endpoint endpoint =
            CoordinatorRendezvous.awaitEndpoint(dir, rank(1), TimeUnit.SECONDS.toNanos(1));
        assertEquals("10.0.0.1", endpoint.address());
        assertNull(endpoint.secret());
        assertEquals("10.0.0.1", CoordinatorRendezvous.await(dir, rank(1), TimeUnit.SECONDS.toNanos(1)));
    }

    @Test
    void aDirectoryOthersCanReadIsRefusedOnBothSides() throws Exception
    {
        final Path dir = ownerOnly();
        CoordinatorRendezvous.publishWithSecret(dir, rank(0), "10.0.0.1", "a".repeat(64));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        final TopologyException reader = assertThrows(TopologyException.class,
            () -> CoordinatorRendezvous.awaitEndpoint(dir, rank(1), TimeUnit.SECONDS.toNanos(1)));
        assertTrue(reader.getMessage().contains("is open to other users (rwxr-xr-x)") &&
            reader.getMessage().contains("chmod 700"), reader.getMessage());
        final TopologyException writer = assertThrows(TopologyException.class,
            () -> CoordinatorRendezvous.publishWithSecret(dir, rank(0), "10.0.0.1", "a".repeat(64)));
        assertTrue(writer.getMessage().contains("export SLIPSTREAM_SECRET"), writer.getMessage());
    }

    @Test
    void aSecretFileOthersCanReadIsRefused() throws Exception
    {
        final Path dir = ownerOnly();
        CoordinatorRendezvous.publishWithSecret(dir, rank(0), "10.0.0.1", "a".repeat(64));
        Files.setPosixFilePermissions(CoordinatorRendezvous.fileFor(dir, rank(0)),
            PosixFilePermissions.fromString("rw-r--r--"));
        final TopologyException ex = assertThrows(TopologyException.class,
            () -> CoordinatorRendezvous.awaitEndpoint(dir, rank(1), TimeUnit.SECONDS.toNanos(1)));
        assertTrue(ex.getMessage().contains("chmod 600"), ex.getMessage());
    }
}
