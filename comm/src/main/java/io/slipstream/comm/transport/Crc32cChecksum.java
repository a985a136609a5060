package io.slipstream.comm.transport;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * CRC32C (Castagnoli) over a region of a {@link DirectBuffer}, table-driven eight bytes at a time, with no access to
 * JDK internals (Agrona's intrinsic variant needs {@code --add-opens java.base/java.util.zip}). Used only when a job
 * turns frame checksums on.
 */
final class Crc32cChecksum
{
    private static final int POLY = 0x82F63B78;
    private static final int[][] TABLES = new int[8][256];

    static
    {
        for (int i = 0; i < 256; i++)
        {
            int crc = i;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc >>> 1) ^ ((crc & 1) != 0 ? POLY : 0);
            }
            TABLES[0][i] = crc;
        }
        for (int i = 0; i < 256; i++)
        {
            for (int t = 1; t < 8; t++)
            {
                final int previous = TABLES[t - 1][i];
                TABLES[t][i] = (previous >>> 8) ^ TABLES[0][previous & 0xFF];
            }
        }
    }

    private Crc32cChecksum()
    {
    }

    static int compute(final DirectBuffer buffer, final int offset, final int length)
    {
        final int[] t0 = TABLES[0];
        final int[] t1 = TABLES[1];
        final int[] t2 = TABLES[2];
        final int[] t3 = TABLES[3];
        final int[] t4 = TABLES[4];
        final int[] t5 = TABLES[5];
        final int[] t6 = TABLES[6];
        final int[] t7 = TABLES[7];
        int crc = 0xFFFFFFFF;
        int i = 0;
        for (; i + 8 <= length; i += 8)
        {
            final long word = buffer.getLong(offset + i, ByteOrder.LITTLE_ENDIAN);
            final int low = (int)word ^ crc;
            final int high = (int)(word >>> 32);
            crc = t7[low & 0xFF] ^ t6[(low >>> 8) & 0xFF] ^ t5[(low >>> 16) & 0xFF] ^ t4[low >>> 24] ^
                t3[high & 0xFF] ^ t2[(high >>> 8) & 0xFF] ^ t1[(high >>> 16) & 0xFF] ^ t0[high >>> 24];
        }
        for (; i < length; i++)
        {
            crc = (crc >>> 8) ^ t0[(crc ^ buffer.getByte(offset + i)) & 0xFF];
        }
        return ~crc;
    }
}
