package io.slipstream.comm;

/** Element types the collectives reduce. */
public enum DataType
{
    FLOAT32(4), FLOAT64(8), INT32(4), INT64(8);

    private final int bytes;

    DataType(final int bytes)
    {
        this.bytes = bytes;
    }

    public int bytes()
    {
        return bytes;
    }
}
