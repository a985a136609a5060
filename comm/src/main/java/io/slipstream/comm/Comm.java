package io.slipstream.comm;

import io.slipstream.comm.transport.AeronWorld;

/** Entry points: join a job's world, or get a world of one. */
public final class Comm
{
    private Comm()
    {
    }

    /**
     * Joins the job described by {@code config} and returns its world communicator. Blocks until every rank has
     * joined, or throws {@link CommException} at the config's deadline naming what is missing.
     */
    public static Communicator connect(final CommConfig config)
    {
        if (config.size() == 1)
        {
            return new SelfCommunicator();
        }
        return AeronWorld.connect(config);
    }

    /** A world of one rank: no driver, no sockets; collectives leave the data as it is. */
    public static Communicator self()
    {
        return new SelfCommunicator();
    }
}
