package io.slipstream.kernels;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompressedGradientTest
{
    @Test
    void twoRanksSumTheirDecodedGradientsInRankOrder()
    {
        for (final Compression compression : new Compression[]{Compression.BF16, Compression.FP16})
        {
            final INDArray g0 = Nd4j.rand(DataType.FLOAT, 1000).subi(0.5);
            final INDArray g1 = Nd4j.rand(DataType.FLOAT, 1000).subi(0.5);
            final INDArray expected = g0.add(g1);
            final CompressedGradient c0 = new CompressedGradient(compression, g0, 2, 256);
            final CompressedGradient c1 = new CompressedGradient(compression, g1, 2, 256);
            assertEquals(8, c0.buckets());
            c0.encode();
            c1.encode();
            for (int b = 0; b < c0.buckets(); b++)
            {
                gather(b, c0, c1);
                c0.decodeSum(b);
                c1.decodeSum(b);
            }
            assertArrayEquals(g0.toFloatVector(), g1.toFloatVector(), "ranks must agree bit for bit");
            final double tolerance = compression == Compression.BF16 ? 1e-2 : 1e-3;
            final double maxError = Nd4j.getExecutioner().exec(
                new org.nd4j.linalg.api.ops.impl.reduce.floating.NormMax(g0.sub(expected))).getDouble(0);
            assertTrue(maxError < tolerance, compression + " max error " + maxError);
        }
    }

    @Test
    void errorFeedbackCarriesTheRoundingErrorToTheNextStep()
    {
        final INDArray g = Nd4j.zeros(DataType.FLOAT, 4);
        final CompressedGradient codec = new CompressedGradient(Compression.BF16, g, 1, 1024);
        // 1 + 2^-10 is not representable in bf16 (8 bits of mantissa): it rounds to 1 and leaves 2^-10 behind.
        final float value = 1.0f + 1.0f / 1024;
        float sent = 0;
        for (int step = 0; step < 64; step++)
        {
            g.assign(value);
            codec.encode();
            gather(0, codec);
            codec.decodeSum();
            sent += g.getFloat(0);
        }
        assertEquals(64 * value, sent + codec.residual().getFloat(0), 1e-4);
        assertTrue(Math.abs(sent - 64 * value) < 0.02, "sent " + sent);
        codec.resetResidual();
        assertEquals(0.0f, codec.residual().getFloat(0));
    }

    @Test
    void refusesNone()
    {
        assertThrows(IllegalArgumentException.class,
            () -> new CompressedGradient(Compression.NONE, Nd4j.zeros(DataType.FLOAT, 4), 1, 1024));
        assertEquals(Compression.FP16, Compression.parse("FP16"));
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("int8"));
    }

    /** Plays an allgather among in-process codecs: every rank gets every rank's encoded bucket. */
    private static void gather(final int bucket, final CompressedGradient... ranks)
    {
        final int bytes = ranks[0].sendBytes(bucket);
        for (final CompressedGradient receiver : ranks)
        {
            final UnsafeBuffer into = receiver.gatherBuffer(bucket);
            for (int r = 0; r < ranks.length; r++)
            {
                into.putBytes(r * bytes, ranks[r].sendBuffer(bucket), 0, bytes);
            }
        }
    }
}
