package io.slipstream.comm.transport;

import org.agrona.DirectBuffer;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * CRC32C of a frame's payload in an Aeron log. Log buffers are mapped {@link ByteBuffer}s, so the JDK's intrinsic
 * {@link CRC32C} can read them through a duplicate view; the views are cached per mapped buffer (a job has a
 * handful), so steady use allocates nothing. Buffers without a backing ByteBuffer use {@link Crc32cChecksum}.
 */
final class FrameChecksum
{
    private static final int VIEWS = 16;

    private final CRC32C crc = new CRC32C();
    private final ByteBuffer[] sources = new ByteBuffer[VIEWS];
    private final ByteBuffer[] views = new ByteBuffer[VIEWS];
    private int next;

    int compute(final DirectBuffer buffer, final int index, final int length)
    {
        final ByteBuffer source = buffer.byteBuffer();
        if (source == null || !source.isDirect())
        {
            return Crc32cChecksum.compute(buffer, index, length);
        }
        final ByteBuffer view = viewOf(source);
        final int at = buffer.wrapAdjustment() + index;
        view.clear();
        view.limit(at + length);
        view.position(at);
        crc.reset();
        crc.update(view);
        return (int)crc.getValue();
    }

    private ByteBuffer viewOf(final ByteBuffer source)
    {
        for (int i = 0; i < VIEWS; i++)
        {
            if (sources[i] == source)
            {
                return views[i];
            }
        }
        final int slot = next;
        next = (next + 1) % VIEWS;
        sources[slot] = source;
        views[slot] = source.duplicate();
        return views[slot];
    }
}
