package io.slipstream.comm.transport;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RingScheduleTest
{
    @Test
    void whatARankSendsIsWhereItsRightNeighbourReceivesItAndAllreduceEndsWithEveryBlock()
    {
        for (int n = 2; n <= 5; n++)
        {
            for (final int count : new int[] {0, 1, 7, 100, 1009})
            {
                for (final int chunkBytes : new int[] {8, 64, 65_432})
                {
                    final RingSchedule[] ranks = new RingSchedule[n];
                    for (int r = 0; r < n; r++)
                    {
                        ranks[r] = new RingSchedule();
                        ranks[r].plan(n, r, count, 4, 0, 2 * (n - 1), n - 1, chunkBytes);
                    }
                    final int total = ranks[0].total();
                    int covered = 0;
                    for (int i = 0; i < total; i++)
                    {
                        for (int r = 0; r < n; r++)
                        {
                            final RingSchedule right = ranks[(r + 1) % n];
                            assertEquals(ranks[r].offset(i, true), right.offset(i, false), "n=" + n + " i=" + i);
                            assertEquals(ranks[r].length(i, true), right.length(i, false), "n=" + n + " i=" + i);
                            assertTrue(ranks[r].length(i, true) <= Math.max(chunkBytes, 4));
                        }
                        if (!ranks[0].reduces(i))
                        {
                            covered += ranks[0].length(i, false);
                        }
                    }
                    // In allgather rank 0 copies in every block but its own: all but about 1/n of the buffer.
                    final int own = (count / n + (0 < count % n ? 1 : 0)) * 4;
                    assertEquals(count * 4 - own, covered, "n=" + n + " count=" + count);
                }
            }
        }
    }
}
