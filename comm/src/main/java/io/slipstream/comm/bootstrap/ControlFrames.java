package io.slipstream.comm.bootstrap;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * Framing of the TCP control plane: {@code int length, byte type, payload}. Every read is bounded so a hostile or
 * broken peer cannot make a rank allocate more than {@code maxLength} bytes for one frame.
 */
public final class ControlFrames
{
    public static final int PROTOCOL_MAGIC = 0x534C4354;
    public static final int PROTOCOL_VERSION = 2;

    public static final byte HELLO = 1;
    public static final byte JOIN = 2;
    public static final byte WELCOME = 3;
    public static final byte REFUSED = 4;
    public static final byte ROUND = 5;
    public static final byte TABLE = 6;
    public static final byte DEAD = 7;
    public static final byte ABORT = 8;
    public static final byte LEAVE = 9;
    public static final byte STALL = 10;
    public static final byte STALL_REPORT = 11;
    public static final byte HEARTBEAT = 12;

    /** Handshake frames are tiny; anything larger before authentication is refused. */
    public static final int MAX_HANDSHAKE_FRAME = 1024;

    /** A HELLO's payload: magic, protocol version, the coordinator's world size, its nonce. */
    public static final int HELLO_BYTES = 12 + JoinAuth.NONCE_BYTES;
    /** Tables of a large job: size x (host id, address, endpoint, session ids). */
    public static final int MAX_FRAME = 16 * 1024 * 1024;

    private ControlFrames()
    {
    }

    /** A frame read from the wire. */
    public record Frame(byte type, byte[] payload)
    {
    }

    public static void write(final DataOutputStream out, final byte type, final byte[] payload) throws IOException
    {
        synchronized (out)
        {
            out.writeInt(payload.length + 1);
            out.writeByte(type);
            out.write(payload);
            out.flush();
        }
    }

    /** Reads one frame or throws {@link EOFException} at end of stream and {@link IOException} if too long. */
    public static Frame read(final DataInputStream in, final int maxLength) throws IOException
    {
        final int length = in.readInt();
        if (length < 1 || length > maxLength)
        {
            throw new IOException("control frame of " + length + " bytes is outside 1.." + maxLength);
        }
        final byte type = in.readByte();
        final byte[] payload = new byte[length - 1];
        in.readFully(payload);
        return new Frame(type, payload);
    }
}
