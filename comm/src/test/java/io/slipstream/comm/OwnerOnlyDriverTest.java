package io.slipstream.comm;

import io.slipstream.comm.transport.CounterReport;
import io.slipstream.comm.transport.DriverHost;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a job keeps in /dev/shm is its owner's alone, and its counters can be read while it runs. */
class OwnerOnlyDriverTest
{
    @Test
    void theDriverDirectoryIsOwnerOnlyAndItsCountersAreReadable()
    {
        final String jobId = "owner-only-" + UUID.randomUUID();
        final File dir = DriverHost.directoryFor(CommConfig.builder().rank(0).size(1).jobId(jobId).hostId("local")
            .secret(new byte[CommConfig.MIN_SECRET_BYTES]).build());
        final String[] report = new String[1];
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> ThreadRanks.run(2,
            (rank, builder) -> builder.jobId(jobId), Duration.ofSeconds(55), (comm) ->
            {
                comm.allreduce(new float[1000], ReduceOp.SUM);
                comm.barrier();
                if (comm.rank() == 0)
                {
                    assertEquals("rwx------",
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.toPath())));
                    try (Stream<Path> tree = Files.walk(dir.toPath()))
                    {
                        final List<Path> all = tree.toList();
                        assertTrue(all.size() > 3, "the driver's files: " + all);
                        for (final Path path : all)
                        {
                            assertEquals(Files.isDirectory(path) ? "rwx------" : "rw-------",
                                PosixFilePermissions.toString(Files.getPosixFilePermissions(path)), path.toString());
                        }
                    }
                    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    assertEquals(2, CounterReport.print(DriverHost.aeronDirectoryFor(CommConfig.builder().rank(0)
                        .size(1).jobId(jobId).hostId("local").secret(new byte[CommConfig.MIN_SECRET_BYTES]).build()),
                        new PrintStream(bytes, true, StandardCharsets.UTF_8)));
                    report[0] = bytes.toString(StandardCharsets.UTF_8);
                }
                comm.barrier();
            }));
        assertTrue(report[0].contains("1 slipstream rank 0: allreduce calls"), report[0]);
        assertTrue(report[0].contains("1 slipstream rank 1: allreduce calls"), report[0]);
        assertTrue(report[0].contains("slipstream rank 1: data frames sent"), report[0]);
        assertFalse(dir.exists(), "removed at the end");
    }
}
