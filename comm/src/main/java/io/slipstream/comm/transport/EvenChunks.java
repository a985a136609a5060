package io.slipstream.comm.transport;

/**
 * A vector of {@code bytes} split into chunks of at most {@code chunkBytes}, each a whole number of elements and
 * the sizes as even as integer division allows; what recursive doubling and the broadcast tree send.
 */
final class EvenChunks
{
    private int chunks;
    private int elements;
    private int elementSize;

    void plan(final int bytes, final int elementSize, final int chunkBytes)
    {
        this.chunks = Math.max(1, (bytes + chunkBytes - 1) / chunkBytes);
        this.elements = bytes / elementSize;
        this.elementSize = elementSize;
    }

    int chunks()
    {
        return chunks;
    }

    /** Byte offset of chunk {@code c} from the vector's start. */
    int start(final int c)
    {
        return (int)((long)c * elements / chunks) * elementSize;
    }

    int length(final int c)
    {
        return start(c + 1) - start(c);
    }
}
