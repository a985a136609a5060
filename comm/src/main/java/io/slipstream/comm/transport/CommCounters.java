package io.slipstream.comm.transport;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.nio.MappedByteBuffer;

/**
 * One rank's data-plane counters: frames sent, received and dropped, collectives that stalled, and per collective
 * kind the calls and payload bytes sent. They live in an Agrona {@link CountersManager} over a small file of the
 * rank's own, {@code slipstream-rank-R.counters} in the Aeron directory, mapped for the life of the communicator
 * so that another process can read them while the job runs ({@link CounterReport} prints them). The file is the
 * counters' metadata ({@value #MAX_COUNTERS} records of {@link CountersReader#METADATA_LENGTH} bytes) followed by
 * their values ({@value #MAX_COUNTERS} of {@link CountersReader#COUNTER_LENGTH} bytes); type ids are
 * {@link #TYPE_ID_BASE} and up. Each counter is written by the thread that runs the rank's collectives with release
 * stores (a plain store on x86), so counting costs no fence on the hot path. Retransmissions are the media
 * driver's: its own counters in {@code cnc.dat} ({@code Retransmits sent}, {@code NAKs sent}) say how many.
 */
public final class CommCounters implements AutoCloseable
{
    /** The first type id of comm's counters; each counter kind adds its index. */
    public static final int TYPE_ID_BASE = 0x534C_0000;
    /** Room for this many counters in a rank's file. */
    public static final int MAX_COUNTERS = 32;
    /** The file's length: metadata then values. */
    public static final int FILE_LENGTH =
        MAX_COUNTERS * (CountersReader.METADATA_LENGTH + CountersReader.COUNTER_LENGTH);
    /** The name of rank {@code r}'s counters file is this prefix, r, and {@link #FILE_SUFFIX}. */
    public static final String FILE_PREFIX = "slipstream-rank-";
    public static final String FILE_SUFFIX = ".counters";

    static final int FRAMES_SENT = 0;
    static final int FRAMES_RECEIVED = 1;
    static final int FRAMES_DROPPED = 2;
    static final int STALLS = 3;
    static final int BYTES_SENT = 4;
    static final int COLLECTIVES = BYTES_SENT + FrameHeader.OP_COUNT;

    private final AtomicCounter framesSent;
    private final AtomicCounter framesReceived;
    private final AtomicCounter framesDropped;
    private final AtomicCounter stalls;
    private final AtomicCounter[] bytesSent = new AtomicCounter[FrameHeader.OP_COUNT + 1];
    private final AtomicCounter[] collectives = new AtomicCounter[FrameHeader.OP_COUNT + 1];
    private final File file;

    /** The counters of {@code rank} in {@code manager}, which outlives them (an in-memory one in tests). */
    public CommCounters(final int rank, final CountersManager manager)
    {
        this(rank, manager, null);
    }

    private CommCounters(final int rank, final CountersManager manager, final File file)
    {
        this.file = file;
        final String prefix = "slipstream rank " + rank + ": ";
        framesSent = manager.newCounter(prefix + "data frames sent", TYPE_ID_BASE + FRAMES_SENT);
        framesReceived = manager.newCounter(prefix + "data frames received", TYPE_ID_BASE + FRAMES_RECEIVED);
        framesDropped = manager.newCounter(prefix + "data frames dropped (not this job's)",
            TYPE_ID_BASE + FRAMES_DROPPED);
        stalls = manager.newCounter(prefix + "collectives that waited half their deadline", TYPE_ID_BASE + STALLS);
        for (int op = 1; op <= FrameHeader.OP_COUNT; op++)
        {
            bytesSent[op] = manager.newCounter(prefix + FrameHeader.opName(op) + " payload bytes sent",
                TYPE_ID_BASE + BYTES_SENT + op - 1);
            collectives[op] = manager.newCounter(prefix + FrameHeader.opName(op) + " calls",
                TYPE_ID_BASE + COLLECTIVES + op - 1);
        }
    }

    /** Rank {@code rank}'s counters in a new file in {@code directory}, owner-only, removed on close. */
    public static CommCounters inDirectory(final File directory, final int rank)
    {
        final File file = new File(directory, FILE_PREFIX + rank + FILE_SUFFIX);
        IoUtil.deleteIfExists(file); // left by a killed run of the same job on an external driver's directory
        final MappedByteBuffer mapping = IoUtil.mapNewFile(file, FILE_LENGTH);
        OwnerOnly.restrict(file.toPath(), false);
        final int metadataLength = MAX_COUNTERS * CountersReader.METADATA_LENGTH;
        final CountersManager manager = new CountersManager(
            new UnsafeBuffer(mapping, 0, metadataLength),
            new UnsafeBuffer(mapping, metadataLength, FILE_LENGTH - metadataLength));
        return new CommCounters(rank, manager, file);
    }

    void frameSent(final byte op, final int payloadBytes)
    {
        framesSent.incrementRelease();
        bytesSent[op].getAndAddRelease(payloadBytes);
    }

    void frameReceived()
    {
        framesReceived.incrementRelease();
    }

    void frameDropped()
    {
        framesDropped.incrementRelease();
    }

    void stalled()
    {
        stalls.incrementRelease();
    }

    void collective(final byte op)
    {
        collectives[op].incrementRelease();
    }

    public long framesSent()
    {
        return framesSent.get();
    }

    public long framesReceived()
    {
        return framesReceived.get();
    }

    public long framesDropped()
    {
        return framesDropped.get();
    }

    public long stalls()
    {
        return stalls.get();
    }

    /** Payload bytes this rank sent in collectives of {@code op} (a {@link FrameHeader} op code). */
    public long bytesSent(final byte op)
    {
        return bytesSent[op].get();
    }

    /** Collectives of {@code op} this rank has called. */
    public long collectives(final byte op)
    {
        return collectives[op].get();
    }

    /**
     * Removes the file. The mapping stays until the counters are unreachable, so a collective still running on
     * another thread never writes to unmapped memory.
     */
    @Override
    public void close()
    {
        if (file != null)
        {
            IoUtil.deleteIfExists(file);
        }
    }
}
