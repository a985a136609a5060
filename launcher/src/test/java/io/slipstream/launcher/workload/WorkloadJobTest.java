package io.slipstream.launcher.workload;

import io.slipstream.comm.ThreadRanks;
import io.slipstream.launcher.job.Job;
import io.slipstream.launcher.job.JobContext;
import io.slipstream.launcher.signal.ExitCode;
import io.slipstream.launcher.spec.SpecException;
import io.slipstream.launcher.spec.SpecNode;
import io.slipstream.trainer.model.RunHooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkloadJobTest
{
    @TempDir
    Path dir;

    private static Job job(final String yaml)
    {
        return WorkloadJob.fromSpec(SpecNode.parse(yaml, "test.yaml"));
    }

    /** Runs {@code job} on {@code n} thread ranks; returns each rank's exit code. */
    private AtomicIntegerArray runOn(final int n, final Job job, final RunHooks hooks, final PrintStream out)
    {
        final AtomicIntegerArray codes = new AtomicIntegerArray(n);
        ThreadRanks.run(n, world -> codes.set(world.rank(), job.run(new JobContext(world, dir, 1, hooks, out))));
        return codes;
    }

    @Test
    void smokePassesOnThreeRanksAndSaysOk()
    {
        final ByteArrayOutputStream text = new ByteArrayOutputStream();
        final AtomicIntegerArray codes = runOn(3, job("name: s\nworkload:\n  kind: smoke\n  rounds: 3\n  elements: 999\n"),
            RunHooks.NONE, new PrintStream(text, true));
        for (int r = 0; r < 3; r++)
        {
            assertEquals(0, codes.get(r));
        }
        assertTrue(text.toString().contains("smoke OK: 3 ranks, 3 rounds"), text.toString());
        assertTrue(text.toString().contains("broadcast from rank 2"), "the broadcast root rotates");
    }

    @Test
    void sleepStopsOnEveryRankWhenOneIsAskedAndResumesFromItsCheckpoint() throws Exception
    {
        // Asked after 20 polls (10 steps of 2 ranks): deterministic however slow the machine is.
        final AtomicInteger polls = new AtomicInteger();
        final RunHooks hooks = new RunHooks()
        {
            @Override
            public boolean stopRequested()
            {
                return polls.incrementAndGet() > 20;
            }
        };
        final AtomicIntegerArray codes = runOn(2, job("name: s\nworkload:\n  kind: sleep\n  seconds: 60\n  step_ms: 20\n"),
            hooks, new PrintStream(new ByteArrayOutputStream(), true));
        assertEquals(ExitCode.CHECKPOINTED_AND_STOPPED, codes.get(0));
        assertEquals(ExitCode.CHECKPOINTED_AND_STOPPED, codes.get(1));

        final long saved = Long.parseLong(Files.readString(dir.resolve(SleepWorkload.PROGRESS_FILE)));
        assertTrue(saved > 0, "the checkpoint holds the step reached");
        final ByteArrayOutputStream text = new ByteArrayOutputStream();
        final AtomicIntegerArray again = runOn(2, job("name: s\nworkload:\n  kind: sleep\n  seconds: 1\n" +
            "  step_ms: 1\n"), RunHooks.NONE, new PrintStream(text, true));
        assertEquals(0, again.get(0));
        assertTrue(text.toString().contains("resuming at step " + saved + " of 1000"), text.toString());
    }

    @Test
    void anInjectedExitIsReturnedOnlyByItsRank()
    {
        final Job job = job("name: s\nworkload:\n  kind: smoke\n  fail:\n    rank: 0\n    after_rounds: 0\n    exit_code: 5\n");
        final AtomicIntegerArray codes = runOn(1, job, RunHooks.NONE, new PrintStream(new ByteArrayOutputStream(), true));
        assertEquals(5, codes.get(0));
    }

    @Test
    void benchRunsTheAllreduceTableOnTwoRanks()
    {
        final ByteArrayOutputStream text = new ByteArrayOutputStream();
        final AtomicIntegerArray codes = runOn(2, job("name: b\nworkload:\n  kind: bench\n  min_bytes: 8\n" +
            "  max_bytes: 64K\n  iterations: 5\n  warmup: 1\n  type: int64\n  op: max\n"), RunHooks.NONE,
            new PrintStream(text, true));
        assertEquals(0, codes.get(0));
        assertEquals(0, codes.get(1));
        assertTrue(text.toString().contains("2 ranks, INT64 MAX"), text.toString());
        assertTrue(text.toString().contains("65536"), text.toString());
        assertTrue(assertThrows(SpecException.class, () -> job("name: b\nworkload:\n  kind: bench\n  max_bytes: 1Q\n"))
            .getMessage().startsWith("workload.max_bytes: '1Q' is not a byte count"));
    }

    @Test
    void specsAreValidatedWithTheirPaths()
    {
        assertTrue(assertThrows(SpecException.class, () -> job("name: s\nworkload:\n  kind: sleep\n  rounds: 2\n"))
            .getMessage().startsWith("workload.rounds: unknown key"));
        assertTrue(assertThrows(SpecException.class, () -> job("name: s\nworkload:\n  elements: 0\n"))
            .getMessage().startsWith("workload.elements: 0 is out of range"));
        assertTrue(assertThrows(SpecException.class, () -> job("name: s\nworkload:\n  fail:\n    when: 1\n"))
            .getMessage().startsWith("workload.fail.when: unknown key"));
        assertTrue(assertThrows(SpecException.class, () -> job("name: s\nworkload: 3\n"))
            .getMessage().startsWith("workload: expected a mapping"));
        assertTrue(WorkloadJob.KINDS.contains("smoke"));
    }
}
