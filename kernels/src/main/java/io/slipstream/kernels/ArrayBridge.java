package io.slipstream.kernels;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteBuffer;

/**
 * The one place where an ND4J array's memory becomes an Agrona buffer without a copy: comm reduces the
 * bytes in place and ND4J sees the result. Only dense, contiguous host memory can be wrapped; the array
 * must outlive the buffer (keep a reference to it).
 */
public final class ArrayBridge
{
    private ArrayBridge()
    {
    }

    /**
     * Points {@code into} at {@code array}'s elements and returns it; no bytes are copied. The buffer is backed by the
     * array's direct ByteBuffer where ND4J has one covering the elements (allocates that view: wrap once, reuse).
     */
    public static UnsafeBuffer wrap(final INDArray array, final UnsafeBuffer into)
    {
        final long bytes = byteLength(array);
        if (bytes > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("array of " + bytes + " bytes is larger than one Agrona buffer (2 GiB): " +
                "split it into buckets first");
        }
        final long address = address(array);
        final ByteBuffer whole = array.data().asNio();
        final long offset = whole == null || !whole.isDirect() ? -1 : address - BufferUtil.address(whole);
        if (offset >= 0 && offset + bytes <= whole.capacity())
        {
            // Through the buffer's own ByteBuffer, so comm can reduce into it with SIMD lanes (VectorReducer).
            into.wrap(whole, (int)offset, (int)bytes);
        }
        else
        {
            into.wrap(address, (int)bytes);
        }
        return into;
    }

    public static UnsafeBuffer wrap(final INDArray array)
    {
        return wrap(array, new UnsafeBuffer(0, 0));
    }

    /** Address of the array's first element: the buffer's base plus the view's offset times the element size. */
    public static long address(final INDArray array)
    {
        requireContiguous(array);
        return array.data().address() + array.offset() * array.data().getElementSize();
    }

    public static long byteLength(final INDArray array)
    {
        return array.length() * array.data().getElementSize();
    }

    /** Fails unless the array's elements lie back to back in host memory in their logical order. */
    public static void requireContiguous(final INDArray array)
    {
        if (array.isEmpty())
        {
            throw new IllegalArgumentException("cannot wrap an empty array");
        }
        if (array.data().address() == 0)
        {
            throw new IllegalArgumentException("array has no host address (device-only or compressed buffer): " +
                "wrap a host copy instead");
        }
        final boolean vector = array.rank() <= 1 || array.isRowVector() || array.isColumnVector();
        final boolean dense = vector ? array.elementWiseStride() == 1 || array.length() == 1 :
            array.ordering() == 'c' && array.elementWiseStride() == 1;
        if (!dense)
        {
            throw new IllegalArgumentException("array " + array.shapeInfoToString().replace('\n', ' ') +
                " is not a contiguous view (strided or 'f'-ordered): use dup('c') or a flat view");
        }
    }
}
