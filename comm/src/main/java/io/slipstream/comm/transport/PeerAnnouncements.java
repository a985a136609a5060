package io.slipstream.comm.transport;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Codecs of the later bootstrap rounds: a rank's UDP inbox endpoint, and the session id of its publication to each
 * peer. Each entry is checked as it is read, so a malformed one is an error naming the rank that sent it.
 */
final class PeerAnnouncements
{
    private static final int MAX_ENDPOINT = 1024;

    private PeerAnnouncements()
    {
    }

    static byte[] endpoint(final String endpoint)
    {
        return endpoint.getBytes(StandardCharsets.UTF_8);
    }

    static String endpoint(final byte[] entry, final int rank) throws IOException
    {
        if (entry.length > MAX_ENDPOINT)
        {
            throw new IOException("rank " + rank + " announced an inbox endpoint of " + entry.length + " bytes");
        }
        return new String(entry, StandardCharsets.UTF_8);
    }

    /** {@code sessions[p]}: the session id of this rank's publication to peer p (0 for itself). */
    static byte[] sessions(final int[] sessions)
    {
        final ByteBuffer out = ByteBuffer.allocate(4 + 4 * sessions.length).putInt(sessions.length);
        for (final int session : sessions)
        {
            out.putInt(session);
        }
        return out.array();
    }

    /** Rank {@code rank}'s session id towards {@code peer}, read from its entry, in a world of {@code size}. */
    static int sessionTo(final byte[] entry, final int rank, final int peer, final int size) throws IOException
    {
        try
        {
            final ByteBuffer in = ByteBuffer.wrap(entry);
            final int n = in.getInt();
            if (n != size || entry.length != 4 + 4 * size)
            {
                throw new IOException("rank " + rank + " announced " + n + " session ids in " + entry.length +
                    " bytes for a world of " + size + ": do the ranks agree on the world size?");
            }
            return in.getInt(4 + 4 * peer);
        }
        catch (final BufferUnderflowException ex)
        {
            throw new IOException("rank " + rank + "'s session ids are cut short", ex);
        }
    }
}
