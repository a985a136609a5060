package io.slipstream.kernels;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArrayBridgeTest
{
    @Test
    void writesThroughTheBufferAreSeenByTheArrayWithoutACopy()
    {
        final INDArray array = Nd4j.arange(10).castTo(DataType.FLOAT);
        final UnsafeBuffer buffer = ArrayBridge.wrap(array);
        assertEquals(40, buffer.capacity());
        assertEquals(3.0f, buffer.getFloat(12));
        buffer.putFloat(8, 42.0f);
        assertEquals(42.0f, array.getFloat(2));
    }

    @Test
    void aViewStartsAtItsOffset()
    {
        final INDArray array = Nd4j.arange(10).castTo(DataType.DOUBLE);
        final INDArray view = array.get(NDArrayIndex.interval(4, 7));
        final UnsafeBuffer buffer = ArrayBridge.wrap(view);
        assertEquals(24, buffer.capacity());
        assertEquals(4.0, buffer.getDouble(0));
        assertEquals(6.0, buffer.getDouble(16));
    }

    @Test
    void aViewIsBackedByItsDirectByteBufferAtTheSameAddress()
    {
        final INDArray array = Nd4j.arange(1000).castTo(DataType.FLOAT);
        final INDArray view = array.get(NDArrayIndex.interval(100, 900));
        final UnsafeBuffer buffer = ArrayBridge.wrap(view);
        assertNotNull(buffer.byteBuffer(), "comm's SIMD reduction needs the ByteBuffer");
        assertTrue(buffer.byteBuffer().isDirect());
        assertEquals(ArrayBridge.address(view), buffer.addressOffset());
        assertEquals(3200, buffer.capacity());
        buffer.putFloat(4, -1.0f);
        assertEquals(-1.0f, array.getFloat(101));
    }

    @Test
    void refusesAStridedView()
    {
        final INDArray matrix = Nd4j.arange(12).castTo(DataType.FLOAT).reshape('c', 3, 4);
        final INDArray column = matrix.getColumn(1);
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> ArrayBridge.wrap(column));
        assertTrue(ex.getMessage().contains("not a contiguous view"), ex.getMessage());
    }

    @Test
    void refusesAnFOrderedMatrix()
    {
        final INDArray matrix = Nd4j.create(DataType.FLOAT, new long[]{3, 4}, 'f');
        assertThrows(IllegalArgumentException.class, () -> ArrayBridge.wrap(matrix));
    }
}
