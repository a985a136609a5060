package io.slipstream.comm.bootstrap;

import java.io.IOException;

/** The coordinator and this rank could not prove to each other that they belong to the same job. */
public final class JoinRefusedException extends IOException
{
    public JoinRefusedException(final String message)
    {
        super(message);
    }
}
