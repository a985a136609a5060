package io.slipstream.comm.transport;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameHeaderTest
{
    @Test
    void fieldsReadBackAsWrittenAtTheirOffsets()
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);
        final FrameHeader header = new FrameHeader().wrap(frame, 8);
        header.magic(FrameHeader.MAGIC).jobHash(-7).commId(0xABCDEF).op(FrameHeader.OP_BROADCAST).type((byte)2)
            .reduce((byte)-1).flags(FrameHeader.FLAG_CRC).seq(1L << 40 | 3).count(12345).chunk(9).crc(0xCAFEBABE)
            .root(4);
        final FrameHeader read = new FrameHeader().wrap((org.agrona.DirectBuffer)frame, 8);
        assertEquals(FrameHeader.MAGIC, read.magic());
        assertEquals(-7, read.jobHash());
        assertEquals(0xABCDEF, read.commId());
        assertEquals(FrameHeader.OP_BROADCAST, read.op());
        assertEquals(2, read.type());
        assertEquals(-1, read.reduce());
        assertTrue(read.hasChecksum());
        assertEquals(1L << 40 | 3, read.seq());
        assertEquals(12345, read.count());
        assertEquals(9, read.chunk());
        assertEquals(0xCAFEBABE, read.crc());
        assertEquals(4, read.root());
        assertEquals(8 + FrameHeader.LENGTH, read.payloadOffset());
        assertEquals("broadcast(bytes=12345, INT32, root=4) #1099511627779 on communicator abcdef",
            read.describeCall());
    }

    @Test
    void everyFieldIsLittleEndianWhateverTheHostsOrder()
    {
        final byte[] bytes = new byte[FrameHeader.LENGTH];
        new FrameHeader().wrap(new UnsafeBuffer(bytes), 0).magic(FrameHeader.MAGIC).seq(0x0102030405060708L)
            .count(0x0A0B0C0D).flags((byte)0);
        final ByteBuffer little = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(FrameHeader.MAGIC, little.getInt(FrameHeader.MAGIC_OFFSET));
        assertEquals(0x31, bytes[FrameHeader.MAGIC_OFFSET], "least significant byte first");
        assertEquals(0x0102030405060708L, little.getLong(FrameHeader.SEQ_OFFSET));
        assertEquals(0x08, bytes[FrameHeader.SEQ_OFFSET]);
        assertEquals(0x0A0B0C0D, little.getInt(FrameHeader.COUNT_OFFSET));
        assertFalse(new FrameHeader().wrap(new UnsafeBuffer(bytes), 0).hasChecksum());
    }

    @Test
    void aCallMatchesOnlyFramesOfItself()
    {
        final CollectiveCall call = new CollectiveCall(5, 99);
        call.begin(FrameHeader.OP_ALLREDUCE, new UnsafeBuffer(new byte[400]), 0, 100,
            io.slipstream.comm.DataType.FLOAT32, io.slipstream.comm.ReduceOp.SUM, 0, 2);
        final FrameHeader header = new FrameHeader().wrap(new UnsafeBuffer(new byte[64]), 0);
        call.writeHeader(header, 3, false);
        assertTrue(call.matches(header));
        assertEquals(3, header.chunk());
        assertEquals(99, header.jobHash());
        header.count(101);
        assertFalse(call.matches(header));
        header.count(100).seq(2);
        assertFalse(call.matches(header));
    }
}
