package io.slipstream.launcher.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void udpRanksAreTheOnesLeftUnbound()
    {
        assertTrue(LocalCommand.overUdp(List.of("bench", "allreduce", "--transport", "udp"), Map.of()));
        assertTrue(LocalCommand.overUdp(List.of("run", "job.yaml", "--transport=UDP"), Map.of()));
        assertTrue(LocalCommand.overUdp(List.of("run", "job.yaml"), Map.of("SLIPSTREAM_TRANSPORT", "udp")));
        assertFalse(LocalCommand.overUdp(List.of("run", "job.yaml", "--transport", "ipc"),
            Map.of("SLIPSTREAM_TRANSPORT", "udp")));
        assertFalse(LocalCommand.overUdp(List.of("run", "job.yaml"), Map.of()));
    }
}
