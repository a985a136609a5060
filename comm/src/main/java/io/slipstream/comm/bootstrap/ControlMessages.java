package io.slipstream.comm.bootstrap;

import io.slipstream.comm.OneLineLog;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The control plane's messages as records, each with its codec: what a frame's payload holds, read with every
 * length checked so a malformed frame is an IOException, never a wrong value. Text read from a peer is made one
 * line ({@link #oneLine}), so nothing a rank sends can break or forge a log line.
 */
final class ControlMessages
{
    /** The longest activity label a rank may publish, in characters. */
    static final int MAX_LABEL = 80;
    private static final int MAX_TEXT = 64 * 1024;

    private ControlMessages()
    {
    }

    /** Line breaks and other control characters become spaces; {@code max} characters at most. */
    static String oneLine(final String text, final int max)
    {
        return OneLineLog.oneLine(text.length() > max ? text.substring(0, max) : text);
    }

    private static void putText(final ByteBuffer out, final byte[] text)
    {
        out.putInt(text.length).put(text);
    }

    private static String getText(final ByteBuffer in) throws IOException
    {
        final int length = in.getInt();
        if (length < 0 || length > in.remaining() || length > MAX_TEXT)
        {
            throw new IOException("text of " + length + " bytes with " + in.remaining() + " left in the frame");
        }
        final byte[] text = new byte[length];
        in.get(text);
        return oneLine(new String(text, StandardCharsets.UTF_8), MAX_TEXT);
    }

    private static void end(final ByteBuffer in, final String what) throws IOException
    {
        if (in.hasRemaining())
        {
            throw new IOException(what + " frame has " + in.remaining() + " bytes too many");
        }
    }

    /**
     * A rank's periodic word that it is alive, and what it does: its activity label, and the collective it is in
     * (or last finished) with the world rank it waits for.
     *
     * @param label        what the rank says it is doing ("" if it said nothing).
     * @param inCollective whether it is inside a collective now.
     * @param commId       the communicator of that (or its last) collective.
     * @param seq          that collective's sequence number, 0 before its first.
     * @param waitingOn    the world rank whose frames it waits for, or -1.
     */
    record Heartbeat(String label, boolean inCollective, int commId, long seq, int waitingOn)
    {
        byte[] encode()
        {
            final byte[] text = oneLine(label, MAX_LABEL).getBytes(StandardCharsets.UTF_8);
            final ByteBuffer out = ByteBuffer.allocate(4 + text.length + 1 + 4 + 8 + 4);
            putText(out, text);
            return out.put((byte)(inCollective ? 1 : 0)).putInt(commId).putLong(seq).putInt(waitingOn).array();
        }

        static Heartbeat decode(final byte[] payload) throws IOException
        {
            try
            {
                final ByteBuffer in = ByteBuffer.wrap(payload);
                final Heartbeat beat = new Heartbeat(oneLine(getText(in), MAX_LABEL), in.get() != 0, in.getInt(),
                    in.getLong(), in.getInt());
                end(in, "heartbeat");
                return beat;
            }
            catch (final BufferUnderflowException ex)
            {
                throw new IOException("heartbeat frame cut short", ex);
            }
        }
    }

    /**
     * A rank's question: it has waited long in collective {@code seq} of {@code commId}, whose members are the
     * world ranks {@code members}; who holds it up?
     */
    record StallQuery(int commId, long seq, String operation, int[] members)
    {
        byte[] encode()
        {
            final byte[] op = operation.getBytes(StandardCharsets.UTF_8);
            final ByteBuffer out = ByteBuffer.allocate(4 + 8 + 4 + op.length + 4 + 4 * members.length);
            out.putInt(commId).putLong(seq);
            putText(out, op);
            out.putInt(members.length);
            for (final int member : members)
            {
                out.putInt(member);
            }
            return out.array();
        }

        static StallQuery decode(final byte[] payload, final int worldSize) throws IOException
        {
            try
            {
                final ByteBuffer in = ByteBuffer.wrap(payload);
                final int commId = in.getInt();
                final long seq = in.getLong();
                final String op = oneLine(getText(in), 32);
                final int count = in.getInt();
                if (count < 1 || count > worldSize || in.remaining() != 4 * count)
                {
                    throw new IOException("stall query names " + count + " members in a world of " + worldSize);
                }
                final int[] members = new int[count];
                for (int i = 0; i < count; i++)
                {
                    members[i] = in.getInt();
                    if (members[i] < 0 || members[i] >= worldSize)
                    {
                        throw new IOException("stall query names rank " + members[i]);
                    }
                }
                return new StallQuery(commId, seq, op, members);
            }
            catch (final BufferUnderflowException ex)
            {
                throw new IOException("stall query cut short", ex);
            }
        }
    }

    /**
     * The coordinator's answer to a {@link StallQuery}: the members that have not reached the collective, and
     * whether any of them is alive and working (then the wait is for work, not a failure).
     *
     * @param working    true when a member that has not reached it is alive and busy, directly or through the
     *                   rank it waits for.
     * @param notArrived the members that have not reached it, as world ranks separated by ", " ("" if none).
     * @param detail     what each of them is doing, for the waiting rank's log line.
     */
    record StallAnswer(int commId, long seq, boolean working, String notArrived, String detail)
    {
        byte[] encode()
        {
            final byte[] missing = notArrived.getBytes(StandardCharsets.UTF_8);
            final byte[] text = detail.getBytes(StandardCharsets.UTF_8);
            final ByteBuffer out = ByteBuffer.allocate(4 + 8 + 1 + 8 + missing.length + text.length);
            out.putInt(commId).putLong(seq).put((byte)(working ? 1 : 0));
            putText(out, missing);
            putText(out, text);
            return out.array();
        }

        static StallAnswer decode(final byte[] payload) throws IOException
        {
            try
            {
                final ByteBuffer in = ByteBuffer.wrap(payload);
                final StallAnswer answer = new StallAnswer(in.getInt(), in.getLong(), in.get() != 0, getText(in),
                    getText(in));
                end(in, "stall answer");
                return answer;
            }
            catch (final BufferUnderflowException ex)
            {
                throw new IOException("stall answer cut short", ex);
            }
        }
    }

    /** The coordinator's notice that rank {@code rank} is gone, and why. */
    record DeathNotice(int rank, String reason)
    {
        byte[] encode()
        {
            final byte[] text = reason.getBytes(StandardCharsets.UTF_8);
            final ByteBuffer out = ByteBuffer.allocate(8 + text.length).putInt(rank);
            putText(out, text);
            return out.array();
        }

        static DeathNotice decode(final byte[] payload) throws IOException
        {
            try
            {
                final ByteBuffer in = ByteBuffer.wrap(payload);
                final DeathNotice notice = new DeathNotice(in.getInt(), getText(in));
                end(in, "death notice");
                return notice;
            }
            catch (final BufferUnderflowException ex)
            {
                throw new IOException("death notice cut short", ex);
            }
        }
    }

    /** Rank {@code origin} ends the job: {@code mismatch} when ranks called different collectives. */
    record AbortNotice(int origin, boolean mismatch, String message)
    {
        byte[] encode()
        {
            final byte[] text = message.getBytes(StandardCharsets.UTF_8);
            final ByteBuffer out = ByteBuffer.allocate(9 + text.length).putInt(origin).put((byte)(mismatch ? 1 : 0));
            putText(out, text);
            return out.array();
        }

        static AbortNotice decode(final byte[] payload) throws IOException
        {
            try
            {
                final ByteBuffer in = ByteBuffer.wrap(payload);
                final AbortNotice notice = new AbortNotice(in.getInt(), in.get() != 0, getText(in));
                end(in, "abort");
                return notice;
            }
            catch (final BufferUnderflowException ex)
            {
                throw new IOException("abort frame cut short", ex);
            }
        }
    }

    /** A join refusal: {@code retry} when the coordinator was only busy and the rank should try again. */
    record Refusal(boolean retry, String reason)
    {
        byte[] encode()
        {
            final byte[] text = oneLine(reason, 512).getBytes(StandardCharsets.UTF_8);
            final ByteBuffer out = ByteBuffer.allocate(5 + text.length).put((byte)(retry ? 1 : 0));
            putText(out, text);
            return out.array();
        }

        static Refusal decode(final byte[] payload) throws IOException
        {
            try
            {
                final ByteBuffer in = ByteBuffer.wrap(payload);
                final Refusal refusal = new Refusal(in.get() != 0, getText(in));
                end(in, "refusal");
                return refusal;
            }
            catch (final BufferUnderflowException ex)
            {
                throw new IOException("refusal frame cut short", ex);
            }
        }
    }
}
