package io.slipstream.launcher.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
