package io.slipstream.trainer.onnx;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProtoWriterTest
{
    private static byte[] bytes(final int... values)
    {
        final byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            out[i] = (byte)values[i];
        }
        return out;
    }

    @Test
    void varintsAreLittleEndianSevenBitGroups()
    {
        // The protobuf encoding guide's examples: field 1 = 150, and the smallest and largest one-byte values.
        assertArrayEquals(bytes(0x08, 0x96, 0x01), new ProtoWriter().varint(1, 150).toByteArray());
        assertArrayEquals(bytes(0x08, 0x00), new ProtoWriter().varint(1, 0).toByteArray());
        assertArrayEquals(bytes(0x08, 0x7F), new ProtoWriter().varint(1, 127).toByteArray());
        assertArrayEquals(bytes(0x08, 0x80, 0x01), new ProtoWriter().varint(1, 128).toByteArray());
        assertArrayEquals(bytes(0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0x07),
            new ProtoWriter().varint(1, Integer.MAX_VALUE).toByteArray());
    }

    @Test
    void negativeVarintsTakeTenBytes()
    {
        assertArrayEquals(bytes(0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01),
            new ProtoWriter().varint(1, -1).toByteArray());
        assertArrayEquals(bytes(0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01),
            new ProtoWriter().varint(1, Long.MIN_VALUE).toByteArray());
    }

    @Test
    void tagsCarryFieldNumberAndWireType()
    {
        // Field 20 (AttributeProto.type) needs a two-byte tag: (20 << 3) | 0 = 160.
        assertArrayEquals(bytes(0xA0, 0x01, 0x02), new ProtoWriter().varint(20, 2).toByteArray());
        // Field 2 as fixed32: (2 << 3) | 5 = 0x15, then 1.0f little-endian.
        assertArrayEquals(bytes(0x15, 0x00, 0x00, 0x80, 0x3F), new ProtoWriter().float32(2, 1.0f).toByteArray());
        assertArrayEquals(bytes(0x15, 0x00, 0x00, 0xC0, 0x7F),
            new ProtoWriter().float32(2, Float.NaN).toByteArray());
    }

    @Test
    void stringsAndMessagesAreLengthDelimited()
    {
        // The guide's examples: field 2 = "testing"; field 3 = an embedded message whose field 1 is 150.
        assertArrayEquals(bytes(0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6E, 0x67),
            new ProtoWriter().string(2, "testing").toByteArray());
        assertArrayEquals(bytes(0x1A, 0x03, 0x08, 0x96, 0x01),
            new ProtoWriter().message(3, new ProtoWriter().varint(1, 150)).toByteArray());
        assertArrayEquals(bytes(0x12, 0x02, 0xC3, 0xA9), new ProtoWriter().string(2, "\u00e9").toByteArray());
        assertArrayEquals(bytes(0x12, 0x00), new ProtoWriter().string(2, "").toByteArray());
    }

    @Test
    void packedRepeatedFieldsShareOneLength()
    {
        // The guide's packed example: field 4 = [3, 270, 86942].
        assertArrayEquals(bytes(0x22, 0x06, 0x03, 0x8E, 0x02, 0x9E, 0xA7, 0x05),
            new ProtoWriter().packedVarints(4, new long[]{3, 270, 86942}).toByteArray());
        assertArrayEquals(bytes(0x22, 0x08, 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0),
            new ProtoWriter().packedFloats(4, new float[]{1.0f, -2.0f}).toByteArray());
        assertEquals(0, new ProtoWriter().packedVarints(4, new long[0]).size());
        assertEquals(0, new ProtoWriter().packedFloats(4, new float[0]).size());
    }

    @Test
    void fieldsFollowInCallOrderAndGrowPastTheFirstBuffer() throws Exception
    {
        final ProtoWriter w = new ProtoWriter();
        final StringBuilder longText = new StringBuilder();
        for (int i = 0; i < 300; i++)
        {
            longText.append((char)('a' + i % 26));
        }
        w.varint(1, 1).string(2, longText.toString()).varint(1, 2);
        final byte[] out = w.toByteArray();
        assertEquals(2 + 3 + 300 + 2, out.length);
        assertArrayEquals(bytes(0x08, 0x01, 0x12, 0xAC, 0x02), java.util.Arrays.copyOf(out, 5));
        assertEquals(longText.toString(), new String(out, 5, 300, StandardCharsets.UTF_8));
        assertArrayEquals(bytes(0x08, 0x02), java.util.Arrays.copyOfRange(out, 305, 307));
        final ByteArrayOutputStream stream = new ByteArrayOutputStream();
        w.writeTo(stream);
        assertArrayEquals(out, stream.toByteArray());
    }

    @Test
    void refusesFieldNumbersProtobufCannotEncode()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new ProtoWriter().varint(0, 1));
        assertTrue(ex.getMessage().contains("field number 0"), ex.getMessage());
    }

    @Test
    void anAttributeCarriesItsNameTypeAndValue()
    {
        // AttributeProto {name: "axis" (1), type: INT = 2 (20), i: 1 (3)}.
        assertArrayEquals(bytes(0x0A, 0x04, 'a', 'x', 'i', 's', 0xA0, 0x01, 0x02, 0x18, 0x01),
            OnnxAttribute.of("axis", 1L).proto().toByteArray());
        // STRINGS = 8: each string its own field-9 entry.
        assertArrayEquals(bytes(0x0A, 0x01, 'm', 0xA0, 0x01, 0x08, 0x4A, 0x01, 'a', 0x4A, 0x00),
            OnnxAttribute.strings("m", new String[]{"a", ""}).proto().toByteArray());
    }

    @Test
    void aModelStartsWithItsIrVersionAndListsItsOpsets()
    {
        final byte[] model = new OnnxModel(new OnnxGraph("g"), "d").opset("", 13).opset("ai.onnx.ml", 3)
            .metadata("k", "v").toBytes();
        // ir_version (1) = 8, producer_name (2) = "slipstream", doc_string (6) = "d", graph (7) = {name: "g"}.
        final byte[] head = bytes(0x08, 0x08, 0x12, 0x0A, 's', 'l', 'i', 'p', 's', 't', 'r', 'e', 'a', 'm',
            0x32, 0x01, 'd', 0x3A, 0x03, 0x12, 0x01, 'g',
            // opset_import (8) = {version: 13}, then {domain: "ai.onnx.ml", version: 3}.
            0x42, 0x02, 0x10, 0x0D, 0x42, 0x0E, 0x0A, 0x0A, 'a', 'i', '.', 'o', 'n', 'n', 'x', '.', 'm', 'l', 0x10, 0x03,
            // metadata_props (14) = {key: "k", value: "v"}.
            0x72, 0x06, 0x0A, 0x01, 'k', 0x12, 0x01, 'v');
        assertArrayEquals(head, model);
    }

    @Test
    void jsonStringsEscapeQuotesBackslashesAndControls()
    {
        assertEquals("[\"a\", \"b \\\"c\\\" \\\\ \\u000a\"]", OnnxModel.jsonStrings(new String[]{"a", "b \"c\" \\ \n"}));
        assertEquals("[]", OnnxModel.jsonStrings(new String[0]));
    }
}
