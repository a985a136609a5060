package io.slipstream.launcher.cli;

import io.slipstream.comm.TransportKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LocalCommandTest
{
    @Test
    void ranksDoNotGetTheOptionsOnlyTheStartingProcessReads()
    {
        assertEquals(List.of("bench", "allreduce", "--sizes", "8:1M", "--verbose"),
            LocalCommand.rankArgs(List.of("bench", "allreduce"),
                List.of("-n", "2", "--sizes", "8:1M", "--peer", "mpi", "--verbose"), "-n", "--peer"));
        assertEquals(List.of("bench", "train", "--steps", "5"),
            LocalCommand.rankArgs(List.of("bench", "train"), List.of("-n=4", "--steps", "5"), "-n"));
        assertEquals(List.of("bench", "train", "--layers", "4,8,2"),
            LocalCommand.rankArgs(List.of("bench", "train"), List.of("--layers", "4,8,2"), "-n"));
    }

    @Test
    void theTransportIsTheOptionElseTheVariableElseAuto()
    {
        assertEquals(TransportKind.UDP, WorldConnection.transport(TransportKind.UDP, Map.of()));
        assertEquals(TransportKind.IPC, WorldConnection.transport(TransportKind.IPC,
            Map.of("SLIPSTREAM_TRANSPORT", "udp")));
        assertEquals(TransportKind.UDP, WorldConnection.transport(null, Map.of("SLIPSTREAM_TRANSPORT", " UDP ")));
        assertEquals(TransportKind.AUTO, WorldConnection.transport(null, Map.of()));
        assertEquals("transport SLIPSTREAM_TRANSPORT='tcp' is not known; use auto, ipc or udp",
            assertThrows(UsageException.class, () -> WorldConnection.transport(null,
                Map.of("SLIPSTREAM_TRANSPORT", "tcp"))).getMessage());
        assertEquals("transport 'tcp' is not known; use auto, ipc or udp",
            assertThrows(UsageException.class, () -> WorldConnection.parse("tcp")).getMessage());
    }
}
