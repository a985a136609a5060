package io.slipstream.trainer.state;

import java.io.IOException;

/** A checkpoint file is truncated, bit-flipped or not a checkpoint at all. */
public final class CorruptCheckpointException extends IOException
{
    public CorruptCheckpointException(final String message)
    {
        super(message);
    }
}
