package io.slipstream.kernels;

import org.nd4j.linalg.api.buffer.DataType;

import java.util.Locale;

/**
 * What crosses the wire for a gradient. {@link #NONE} sends float32 and reduces it in place; the 16-bit
 * forms send half the bytes per element with error feedback (see {@link CompressedGradient}).
 */
public enum Compression
{
    NONE(DataType.FLOAT),
    /** bfloat16: float32's exponent range, 8 bits of mantissa; never overflows where float32 does not. */
    BF16(DataType.BFLOAT16),
    /** IEEE half: 11 bits of mantissa but a maximum of 65504; larger summed gradients become infinite. */
    FP16(DataType.HALF);

    private final DataType wireType;

    Compression(final DataType wireType)
    {
        this.wireType = wireType;
    }

    public DataType wireType()
    {
        return wireType;
    }

    public int wireBytes()
    {
        return wireType.width();
    }

    /** Parses {@code none}, {@code bf16} or {@code fp16} (any case). */
    public static Compression parse(final String text)
    {
        switch (text.toLowerCase(Locale.ROOT))
        {
            case "none":
                return NONE;
            case "bf16":
                return BF16;
            case "fp16":
                return FP16;
            default:
                throw new IllegalArgumentException("unknown compression '" + text + "': use none, bf16 or fp16");
        }
    }
}
