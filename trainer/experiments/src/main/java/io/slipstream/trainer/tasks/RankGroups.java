package io.slipstream.trainer.tasks;

import io.slipstream.comm.Communicator;

/**
 * The world split into the groups an {@link ExecutionMode} asks for. Group g holds world ranks
 * {@code [g * G, min((g + 1) * G, size))}; in SERIAL mode only rank 0 is in a group and the other ranks
 * take part in scheduling only. Creating it is a collective over the world.
 */
public final class RankGroups implements AutoCloseable
{
    private final ExecutionMode mode;
    private final int groupSize;
    private final int groupCount;
    private final int worldSize;
    private final int myGroup;
    private final Communicator group;

    private RankGroups(final ExecutionMode mode, final int groupSize, final int groupCount, final int worldSize,
        final int myGroup, final Communicator group)
    {
        this.mode = mode;
        this.groupSize = groupSize;
        this.groupCount = groupCount;
        this.worldSize = worldSize;
        this.myGroup = myGroup;
        this.group = group;
    }

    /** {@code groupSize} is used by HYBRID only (1..world size); the other modes fix it. */
    public static RankGroups create(final Communicator world, final ExecutionMode mode, final int groupSize)
    {
        final int size = world.size();
        final int rank = world.rank();
        final int g;
        switch (mode)
        {
            case SERIAL:
                g = size;
                break;
            case PARALLEL:
                g = 1;
                break;
            default:
                if (groupSize < 1 || groupSize > size)
                {
                    throw new IllegalArgumentException("hybrid group size " + groupSize + " does not fit " + size +
                        " ranks; use 1.." + size);
                }
                g = groupSize;
                break;
        }
        final int count = mode == ExecutionMode.SERIAL ? 1 : (size + g - 1) / g;
        final int color = mode == ExecutionMode.SERIAL ? (rank == 0 ? 0 : -1) : rank / g;
        final Communicator group = world.split(color, rank);
        return new RankGroups(mode, mode == ExecutionMode.SERIAL ? 1 : g, count, size, color, group);
    }

    public ExecutionMode mode()
    {
        return mode;
    }

    public int groupCount()
    {
        return groupCount;
    }

    /** This rank's group, or -1 when it only schedules (SERIAL mode, ranks other than 0). */
    public int myGroup()
    {
        return myGroup;
    }

    /** This rank's group communicator, or null when {@link #myGroup()} is -1. */
    public Communicator group()
    {
        return group;
    }

    /** Ranks in group g. */
    public int sizeOf(final int g)
    {
        if (mode == ExecutionMode.SERIAL)
        {
            return 1;
        }
        return Math.min(groupSize, worldSize - g * groupSize);
    }

    /** World rank of group g's first member, which reports the group's results. */
    public int leaderOf(final int g)
    {
        return mode == ExecutionMode.SERIAL ? 0 : g * groupSize;
    }

    @Override
    public void close()
    {
        if (group != null)
        {
            group.close();
        }
    }
}
