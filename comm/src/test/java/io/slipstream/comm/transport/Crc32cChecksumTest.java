package io.slipstream.comm.transport;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Crc32cChecksumTest
{
    @Test
    void agreesWithTheJdkForEveryLengthAndAlignment()
    {
        final byte[] data = new byte[300];
        new Random(5).nextBytes(data);
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(data.length));
        buffer.putBytes(0, data);
        final FrameChecksum frames = new FrameChecksum();
        final ByteBuffer wider = ByteBuffer.allocateDirect(data.length + 5);
        final UnsafeBuffer shifted = new UnsafeBuffer(wider, 5, data.length);
        shifted.putBytes(0, data);
        for (int offset = 0; offset < 9; offset++)
        {
            for (int length = 0; length + offset <= data.length; length += 7)
            {
                final CRC32C jdk = new CRC32C();
                jdk.update(data, offset, length);
                assertEquals((int)jdk.getValue(), Crc32cChecksum.compute(buffer, offset, length),
                    "offset " + offset + " length " + length);
                assertEquals((int)jdk.getValue(), frames.compute(buffer, offset, length), "via mapped view");
                assertEquals((int)jdk.getValue(), frames.compute(shifted, offset, length), "with wrap adjustment");
            }
        }
    }
}
