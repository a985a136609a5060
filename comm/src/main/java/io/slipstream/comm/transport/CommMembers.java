package io.slipstream.comm.transport;

/** The ranks of one communicator: world rank of each member, this rank's place, and how to name a member. */
final class CommMembers
{
    private final int[] members;
    private final int me;
    private final int worldSize;

    CommMembers(final int[] members, final int me, final int worldSize)
    {
        this.members = members.clone();
        this.me = me;
        this.worldSize = worldSize;
    }

    /** This rank's place in the communicator. */
    int me()
    {
        return me;
    }

    int size()
    {
        return members.length;
    }

    int worldRankOf(final int commRank)
    {
        return members[commRank];
    }

    int[] worldRanks()
    {
        return members.clone();
    }

    /** A world rank as users know it here: its communicator rank, with the world rank in a sub-communicator. */
    String describe(final int world)
    {
        if (members.length == worldSize)
        {
            return Integer.toString(world);
        }
        for (int i = 0; i < members.length; i++)
        {
            if (members[i] == world)
            {
                return i + " (world rank " + world + ")";
            }
        }
        return "(world rank " + world + ")";
    }
}
