package io.slipstream.comm.bootstrap;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The coordinator's side of a join: says HELLO with a fresh nonce, reads the JOIN and checks its proof of the
 * job's secret. Only a join that passes gets a rank's slot; everything before that is bounded in bytes (frames of
 * at most {@link ControlFrames#MAX_HANDSHAKE_FRAME}) and, by the {@link Coordinator}, in time.
 */
final class JoinHandshake
{
    /** A join that did not prove itself. */
    static final class Refused extends Exception
    {
        private static final long serialVersionUID = 1L;

        Refused(final String reason)
        {
            super(reason, null, false, false);
        }
    }

    private final JoinAuth auth;
    private final int size;
    private final byte[] serverNonce = JoinAuth.newNonce();
    private byte[] clientNonce;
    private int rank = -1;

    JoinHandshake(final JoinAuth auth, final int size)
    {
        this.auth = auth;
        this.size = size;
    }

    /** Says HELLO, reads the JOIN and returns the rank it proved; {@link Refused} if it proved nothing. */
    int admit(final DataInputStream in, final DataOutputStream out) throws IOException, Refused
    {
        ControlFrames.write(out, ControlFrames.HELLO, ByteBuffer.allocate(ControlFrames.HELLO_BYTES)
            .putInt(ControlFrames.PROTOCOL_MAGIC).putInt(ControlFrames.PROTOCOL_VERSION).putInt(size)
            .put(serverNonce).array());
        final ControlFrames.Frame join = ControlFrames.read(in, ControlFrames.MAX_HANDSHAKE_FRAME);
        if (join.type() != ControlFrames.JOIN ||
            join.payload().length != 12 + JoinAuth.NONCE_BYTES + JoinAuth.MAC_BYTES)
        {
            throw new Refused("not a join frame");
        }
        final ByteBuffer b = ByteBuffer.wrap(join.payload());
        final int magic = b.getInt();
        final int version = b.getInt();
        final int claimed = b.getInt();
        clientNonce = new byte[JoinAuth.NONCE_BYTES];
        b.get(clientNonce);
        final byte[] proof = new byte[JoinAuth.MAC_BYTES];
        b.get(proof);
        if (magic != ControlFrames.PROTOCOL_MAGIC || version != ControlFrames.PROTOCOL_VERSION)
        {
            throw new Refused("protocol " + Integer.toHexString(magic) + " v" + version + " is not this version (v" +
                ControlFrames.PROTOCOL_VERSION + ")");
        }
        if (claimed < 0 || claimed >= size ||
            !JoinAuth.matches(auth.joinProof(claimed, serverNonce, clientNonce), proof))
        {
            throw new Refused("its proof does not match this job's secret and id (wrong SLIPSTREAM_SECRET or job id)");
        }
        rank = claimed;
        return claimed;
    }

    /** Tells the admitted rank it is in, proving the coordinator knows the secret too, and the liveness terms. */
    void welcome(final DataOutputStream out, final Liveness liveness) throws IOException
    {
        final byte[] proof = auth.welcomeProof(rank, serverNonce, clientNonce);
        ControlFrames.write(out, ControlFrames.WELCOME, ByteBuffer.allocate(proof.length + 8).put(proof)
            .putInt(liveness.periodMs()).putInt(liveness.timeoutMs()).array());
    }
}
