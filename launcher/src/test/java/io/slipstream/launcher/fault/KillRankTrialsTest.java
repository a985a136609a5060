package io.slipstream.launcher.fault;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KillRankTrialsTest
{
    @Test
    void aSurvivorNamesTheDeadRankAloneOrInAList()
    {
        assertTrue(KillRankTrials.namesRank("slipstream: rank 1: allgather #6: rank 0 was lost", 0));
        assertTrue(KillRankTrials.namesRank("connect: exchanging identities #1: rank(s) 1 have not joined", 1));
        assertTrue(KillRankTrials.namesRank("rank(s) 0, 2, 13 have not reached it", 13));
        assertFalse(KillRankTrials.namesRank("slipstream: rank 0: topology from SLURM: 2 ranks, job 7", 1));
        assertFalse(KillRankTrials.namesRank("rank(s) 10, 11 have not joined", 1));
        assertFalse(KillRankTrials.namesRank("prank 1", 1));
    }
}
