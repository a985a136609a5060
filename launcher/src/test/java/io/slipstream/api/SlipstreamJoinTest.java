package io.slipstream.api;

import io.slipstream.comm.ReduceOp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlipstreamJoinTest
{
    @TempDir
    Path dir;

    private final Thread.UncaughtExceptionHandler before = Thread.currentThread().getUncaughtExceptionHandler();

    @AfterEach
    void restoreHandler()
    {
        Thread.currentThread().setUncaughtExceptionHandler(before == Thread.currentThread().getThreadGroup() ? null :
            before);
    }

    @Test
    void aLoneProcessIsOneRankOfItsOwn()
    {
        try (SlipstreamJob job = Slipstream.join(Map.of("SLIPSTREAM_RUN_DIR", dir.resolve("run").toString())))
        {
            assertEquals(0, job.rank());
            assertEquals(1, job.size());
            assertEquals(dir.resolve("run"), job.runDir());
            final long[] one = {5};
            job.world().allreduce(one, ReduceOp.SUM);
            assertEquals(5, one[0]);
            assertTrue(!job.stopRequested());
        }
    }

    @Test
    void aBadEnvironmentIsTheCommandsOneLineWithExitCodeTwo()
    {
        final SlipstreamException batchShell = assertThrows(SlipstreamException.class, () -> Slipstream.join(Map.of(
            "SLURM_PROCID", "0", "SLURM_NTASKS", "2", "SLURM_LOCALID", "0", "SLURM_NODEID", "0", "SLURM_JOB_ID", "9",
            "SLIPSTREAM_RUN_DIR", dir.toString())));
        assertEquals(2, batchShell.exitCode());
        assertTrue(batchShell.getMessage().contains("srun"), batchShell.getMessage());

        final SlipstreamException noSecret = assertThrows(SlipstreamException.class, () -> Slipstream.join(Map.of(
            "RANK", "1", "WORLD_SIZE", "2", "LOCAL_RANK", "1", "MASTER_ADDR", "127.0.0.1", "MASTER_PORT", "29500",
            "SLIPSTREAM_RUN_DIR", dir.toString())));
        assertEquals(2, noSecret.exitCode());
        assertTrue(noSecret.getMessage().startsWith("SLIPSTREAM_SECRET is not set"), noSecret.getMessage());
        assertTrue(!noSecret.getMessage().contains("Exception"), noSecret.getMessage());

        final SlipstreamException deadline = assertThrows(SlipstreamException.class, () -> Slipstream.join(Map.of(
            "SLIPSTREAM_DEADLINE", "soon", "SLIPSTREAM_RUN_DIR", dir.toString())));
        assertEquals(2, deadline.exitCode());
        assertTrue(deadline.getMessage().contains("SLIPSTREAM_DEADLINE 'soon' is not a duration"),
            deadline.getMessage());
    }
}
