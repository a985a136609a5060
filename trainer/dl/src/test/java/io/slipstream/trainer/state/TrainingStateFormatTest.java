package io.slipstream.trainer.state;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingStateFormatTest
{
    static TrainingState sample(final int params, final int updater)
    {
        final Random random = new Random(params);
        final float[] p = new float[params];
        final float[] u = new float[updater];
        for (int i = 0; i < p.length; i++)
        {
            p[i] = (float)random.nextGaussian();
        }
        for (int i = 0; i < u.length; i++)
        {
            u[i] = random.nextFloat();
        }
        p[0] = Float.NaN;
        final byte[] hash = new byte[32];
        Arrays.fill(hash, (byte)7);
        return new TrainingState(hash, "mlp 4-8-3 adam", 3, 42, 2, 1234, 96, 1, p, u);
    }

    static byte[] encode(final TrainingState state) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        TrainingStateFormat.write(state, out);
        return out.toByteArray();
    }

    static TrainingState decode(final byte[] bytes) throws IOException
    {
        return TrainingStateFormat.read(new ByteArrayInputStream(bytes), bytes.length, "test.ckpt");
    }

    @Test
    void roundTripsEveryFieldBitForBit() throws IOException
    {
        for (final int n : new int[]{0, 1, 16383, 16384, 40000})
        {
            final TrainingState state = sample(n + 1, n / 2);
            final byte[] bytes = encode(state);
            assertEquals(TrainingStateFormat.encodedLength(state), bytes.length);
            assertEquals(state, decode(bytes));
        }
    }

    @Test
    void everyTruncationIsRefusedClearly() throws IOException
    {
        final byte[] bytes = encode(sample(100, 50));
        for (int cut = 0; cut < bytes.length; cut += 7)
        {
            final byte[] part = Arrays.copyOf(bytes, cut);
            final CorruptCheckpointException ex = assertThrows(CorruptCheckpointException.class, () -> decode(part));
            assertTrue(ex.getMessage().startsWith("test.ckpt"), ex.getMessage());
        }
    }

    @Test
    void everyFlippedBitIsRefused() throws IOException
    {
        final byte[] bytes = encode(sample(20, 10));
        for (int i = 0; i < bytes.length; i++)
        {
            final byte[] flipped = bytes.clone();
            flipped[i] ^= (byte)(1 << (i % 8));
            assertThrows(CorruptCheckpointException.class, () -> decode(flipped), "flip at byte " + i);
        }
    }

    @Test
    void otherFilesAreNotCheckpoints()
    {
        final byte[] zip = {'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0, 0, 0};
        final CorruptCheckpointException ex = assertThrows(CorruptCheckpointException.class, () -> decode(zip));
        assertTrue(ex.getMessage().contains("bad magic"), ex.getMessage());
    }
}
