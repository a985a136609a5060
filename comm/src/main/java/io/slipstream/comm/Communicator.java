package io.slipstream.comm;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A group of ranks that can run collectives together. Every collective is called by every rank of the
 * group in the same order. A collective waits as long as a rank it waits for is alive and working (its
 * heartbeats say so, however long its work takes; {@link #activity} says on what); a rank that dies or stops
 * (SIGSTOP, a hung host) is named within {@link #deadlineNanos()} with {@link PeerLostException}, and a
 * collective that makes no progress for the deadline while no rank it waits for is working throws
 * {@link CommTimeoutException}.
 *
 * <p>Buffers are used in place: an off-heap {@link MutableDirectBuffer} (for example an Agrona
 * {@code UnsafeBuffer} wrapping an ND4J array's address) is reduced without a copy into a Java array.
 * Offsets and lengths are in bytes unless a parameter is called {@code count} (elements of {@code type}).
 */
public interface Communicator extends AutoCloseable
{
    int rank();

    int size();

    /** The deadline each collective waits before it fails, in nanoseconds. */
    long deadlineNanos();

    /**
     * Says what this rank is doing ("refit of settings 4", "fold 2 of 5") until the next call: the other ranks'
     * messages name it while they wait for this rank. Cheap (one volatile write); one line, cut to 80 characters.
     */
    default void activity(final String label)
    {
        // A world of one has nobody waiting for it.
    }

    /** In place: every rank ends with the element-wise reduction, bit-identical on all ranks. */
    void allreduce(MutableDirectBuffer buffer, int offset, int count, DataType type, ReduceOp op);

    /** Root's {@code length} bytes at {@code offset} are copied into every other rank's buffer. */
    void broadcast(MutableDirectBuffer buffer, int offset, int length, int root);

    void barrier();

    /**
     * Every rank contributes {@code length} bytes; {@code recv} receives {@code size() * length} bytes at
     * {@code recvOffset}, rank r's contribution at {@code recvOffset + r * length}.
     */
    void allgather(DirectBuffer send, int sendOffset, int length, MutableDirectBuffer recv, int recvOffset);

    /**
     * Reduces {@code count} elements across ranks and leaves rank r's block, elements
     * {@code [blockStart(count, r), blockStart(count, r + 1))}, reduced in place in {@code buffer};
     * the other blocks of {@code buffer} are scratch afterwards.
     */
    void reduceScatter(MutableDirectBuffer buffer, int offset, int count, DataType type, ReduceOp op);

    /**
     * Collective over this communicator: ranks with the same {@code color} form a new communicator,
     * ordered by {@code key} then by rank. A negative color returns {@code null} (the rank joins none).
     */
    Communicator split(int color, int key);

    /** First element of rank r's block when {@code count} elements are split over {@link #size()} ranks. */
    default int blockStart(final int count, final int r)
    {
        final int n = size();
        final int base = count / n;
        final int extra = count % n;
        return r * base + Math.min(r, extra);
    }

    /** Variable-length allgather of small control data (not a hot path): result[r] is rank r's bytes. */
    byte[][] allgatherBytes(byte[] mine);

    /** Root's bytes on every rank (not a hot path). */
    byte[] broadcastBytes(byte[] data, int root);

    void allreduce(float[] data, ReduceOp op);

    void allreduce(double[] data, ReduceOp op);

    void allreduce(int[] data, ReduceOp op);

    void allreduce(long[] data, ReduceOp op);

    /** Releases this communicator; closing the world communicator also leaves the job and its driver. */
    @Override
    void close();
}
