package io.slipstream.trainer.onnx;

/**
 * One named attribute of an ONNX node ({@code AttributeProto}), already encoded: a single int, float or string, or
 * a list of ints, floats or strings. The type discriminator ONNX requires since IR version 2 is always written.
 */
public final class OnnxAttribute
{
    // AttributeProto fields and AttributeType values, as onnx.proto numbers them.
    private static final int NAME = 1;
    private static final int F = 2;
    private static final int I = 3;
    private static final int S = 4;
    private static final int FLOATS = 7;
    private static final int INTS = 8;
    private static final int STRINGS = 9;
    private static final int TYPE = 20;
    private static final int TYPE_FLOAT = 1;
    private static final int TYPE_INT = 2;
    private static final int TYPE_STRING = 3;
    private static final int TYPE_FLOATS = 6;
    private static final int TYPE_INTS = 7;
    private static final int TYPE_STRINGS = 8;

    private final ProtoWriter proto;

    private OnnxAttribute(final String name, final int type)
    {
        proto = new ProtoWriter().string(NAME, name).varint(TYPE, type);
    }

    /** An {@code INT} attribute. */
    public static OnnxAttribute of(final String name, final long value)
    {
        final OnnxAttribute a = new OnnxAttribute(name, TYPE_INT);
        a.proto.varint(I, value);
        return a;
    }

    /** A {@code FLOAT} attribute. */
    public static OnnxAttribute of(final String name, final float value)
    {
        final OnnxAttribute a = new OnnxAttribute(name, TYPE_FLOAT);
        a.proto.float32(F, value);
        return a;
    }

    /** A {@code STRING} attribute. */
    public static OnnxAttribute of(final String name, final String value)
    {
        final OnnxAttribute a = new OnnxAttribute(name, TYPE_STRING);
        a.proto.string(S, value);
        return a;
    }

    /** An {@code INTS} attribute. */
    public static OnnxAttribute ints(final String name, final long[] values)
    {
        final OnnxAttribute a = new OnnxAttribute(name, TYPE_INTS);
        a.proto.packedVarints(INTS, values);
        return a;
    }

    /** A {@code FLOATS} attribute. */
    public static OnnxAttribute floats(final String name, final float[] values)
    {
        final OnnxAttribute a = new OnnxAttribute(name, TYPE_FLOATS);
        a.proto.packedFloats(FLOATS, values);
        return a;
    }

    /** A {@code STRINGS} attribute. */
    public static OnnxAttribute strings(final String name, final String[] values)
    {
        final OnnxAttribute a = new OnnxAttribute(name, TYPE_STRINGS);
        for (final String v : values)
        {
            a.proto.string(STRINGS, v);
        }
        return a;
    }

    ProtoWriter proto()
    {
        return proto;
    }
}
