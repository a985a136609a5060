package io.slipstream.comm;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SmokeTest
{
    @Test
    void twoRanksAllreduce()
    {
        ThreadRanks.run(3, comm ->
        {
            final float[] data = new float[100_000];
            for (int i = 0; i < data.length; i++)
            {
                data[i] = comm.rank() + i;
            }
            comm.allreduce(data, ReduceOp.SUM);
            for (int i = 0; i < data.length; i++)
            {
                assertEquals(3 * i + 3, data[i], 0.0f, "i=" + i);
            }
            final int[] small = {comm.rank() + 1};
            comm.allreduce(small, ReduceOp.SUM);
            assertEquals(6, small[0]);
            comm.barrier();
        });
    }
}
