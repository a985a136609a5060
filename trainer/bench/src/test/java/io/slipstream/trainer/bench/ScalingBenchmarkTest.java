package io.slipstream.trainer.bench;

import io.slipstream.comm.Comm;
import io.slipstream.comm.ThreadRanks;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScalingBenchmarkTest
{
    private static final ScalingBenchmark.Options SMALL =
        new ScalingBenchmark.Options(new int[]{12, 16, 8, 3}, 8, 3, 1, 1);

    @Test
    void everyRankGetsTheSameWorldFigures()
    {
        final ScalingBenchmark.Result[] seen = new ScalingBenchmark.Result[2];
        final long start = System.nanoTime();
        ThreadRanks.run(2, (comm) -> seen[comm.rank()] = ScalingBenchmark.run(comm, SMALL));
        final double wallSeconds = (System.nanoTime() - start) / 1e9;
        assertEquals(seen[0], seen[1]);
        assertEquals(2, seen[0].ranks());
        assertTrue(seen[0].samplesPerSecond() > 0, seen[0].line());
        assertTrue(seen[0].commFraction() > 0 && seen[0].commFraction() < 1, seen[0].line());
        // Checked against a clock and a count of our own: the timed steps fit inside this test's wall time, and
        // the 2 ranks x 8 samples x 3 timed steps were trained no slower than that wall time allows.
        final double timedSeconds = seen[0].stepMillis() * SMALL.steps() / 1e3;
        assertTrue(timedSeconds > 0 && timedSeconds <= wallSeconds, timedSeconds + " s timed in " + wallSeconds + " s");
        final double trained = 2.0 * SMALL.batch() * SMALL.steps();
        assertTrue(seen[0].samplesPerSecond() >= trained / wallSeconds,
            seen[0].line() + " vs " + trained + " samples in " + wallSeconds + " s");
        assertEquals(trained, seen[0].samplesPerSecond() * timedSeconds, 1e-6 * trained,
            "samples/s times the timed seconds gives back the samples trained");
    }

    @Test
    void oneRankSpendsNoTimeInCommunication()
    {
        final ScalingBenchmark.Result one = ScalingBenchmark.run(Comm.self(), SMALL);
        assertEquals(1, one.ranks());
        assertTrue(one.commFraction() < 0.05, one.line());
    }

    @Test
    void theResultLineReadsBack()
    {
        final ScalingBenchmark.Result result = new ScalingBenchmark.Result(2, 1234.5, 207.4, 0.1412);
        assertEquals(result, ScalingBenchmark.parse("[rank 0] " + result.line()));
        assertNull(ScalingBenchmark.parse("[rank 0] something else"));
        assertNull(ScalingBenchmark.parse(ScalingBenchmark.RESULT_PREFIX + " ranks=2 samples_per_s=x step_ms=1 " +
            "comm_fraction=0.1"));
        assertNull(ScalingBenchmark.parse(ScalingBenchmark.RESULT_PREFIX + " ranks=2"));
    }

    @Test
    void badOptionsAreRefused()
    {
        assertThrows(IllegalArgumentException.class,
            () -> new ScalingBenchmark.Options(new int[]{784, 10}, 256, 20, 3, 1));
        assertThrows(IllegalArgumentException.class,
            () -> new ScalingBenchmark.Options(new int[]{784, 0, 10}, 256, 20, 3, 1));
        assertThrows(IllegalArgumentException.class,
            () -> new ScalingBenchmark.Options(new int[]{784, 1024, 10}, 0, 20, 3, 1));
        assertThrows(IllegalArgumentException.class,
            () -> new ScalingBenchmark.Options(new int[]{784, 1024, 10}, 256, 20, 3, 0));
    }
}
