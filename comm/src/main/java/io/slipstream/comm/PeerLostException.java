package io.slipstream.comm;

/** A rank of the job died or left; every surviving rank's next or pending collective throws this. */
public final class PeerLostException extends CommException
{
    private final int lostRank;

    public PeerLostException(
        final int rank, final String operation, final long sequence, final int lostRank, final String message)
    {
        super(rank, operation, sequence, message);
        this.lostRank = lostRank;
    }

    /** The rank that was lost. */
    public int lostRank()
    {
        return lostRank;
    }
}
