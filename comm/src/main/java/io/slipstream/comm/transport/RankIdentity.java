package io.slipstream.comm.transport;

import io.slipstream.comm.CommConfig;
import io.slipstream.comm.TransportKind;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What each rank announces in the first bootstrap round: where it is (host id, address) and the settings every
 * rank must share, with its UDP MTU proposal (the world takes the smallest).
 *
 * @param hostId           ranks with the same host id share a media driver and talk over IPC.
 * @param address          the address its UDP inbox listens on.
 * @param transport        the transport it was asked to use.
 * @param smallThreshold   the byte size up to which reductions use recursive doubling.
 * @param termLength       its publications' term length.
 * @param mtu              the UDP MTU it was asked for (0: auto).
 * @param checksums        whether its frames carry a CRC32C.
 * @param externalDriver   whether it uses an external media driver.
 * @param proposedMtu      the UDP MTU it proposes.
 */
record RankIdentity(
    String hostId,
    String address,
    TransportKind transport,
    int smallThreshold,
    int termLength,
    int mtu,
    boolean checksums,
    boolean externalDriver,
    int proposedMtu)
{
    private static final int MAX_TEXT = 1024;

    static RankIdentity of(final CommConfig config)
    {
        return new RankIdentity(config.hostId(), config.advertiseAddress(), config.transport(),
            config.smallMessageThreshold(), config.termLength(), config.mtu(), config.checksums(),
            config.aeronDir() != null, config.proposedMtu());
    }

    byte[] encode()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            out.writeUTF(hostId);
            out.writeUTF(address);
            out.writeByte(transport.ordinal());
            out.writeInt(smallThreshold);
            out.writeInt(termLength);
            out.writeInt(mtu);
            out.writeBoolean(checksums);
            out.writeBoolean(externalDriver);
            out.writeInt(proposedMtu);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    /** Reads rank {@code rank}'s announcement; a malformed one is an IOException naming the rank. */
    static RankIdentity decode(final byte[] entry, final int rank) throws IOException
    {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(entry)))
        {
            final String hostId = in.readUTF();
            final String address = in.readUTF();
            final int transport = in.readUnsignedByte();
            final RankIdentity identity = new RankIdentity(hostId, address,
                transport < TransportKind.values().length ? TransportKind.values()[transport] : null,
                in.readInt(), in.readInt(), in.readInt(), in.readBoolean(), in.readBoolean(), in.readInt());
            if (in.available() != 0 || identity.transport == null || hostId.length() > MAX_TEXT ||
                address.length() > MAX_TEXT || identity.proposedMtu < CommConfig.MIN_MTU)
            {
                throw new IOException("malformed");
            }
            return identity;
        }
        catch (final IOException ex)
        {
            throw new IOException("rank " + rank + "'s announcement of " + entry.length + " bytes is malformed: is " +
                "it running another Slipstream version?", ex);
        }
    }

    /**
     * The first setting that {@code other} (rank {@code otherRank}) has different from this rank's, as an error
     * naming both values, or null when they agree.
     */
    String settingDifference(final RankIdentity other, final int otherRank, final int myRank)
    {
        final String[][] settings = {
            {"transport", transport.name(), other.transport.name()},
            {"smallMessageThreshold", Integer.toString(smallThreshold), Integer.toString(other.smallThreshold)},
            {"termLength", Integer.toString(termLength), Integer.toString(other.termLength)},
            {"mtu", Integer.toString(mtu), Integer.toString(other.mtu)},
            {"checksums", Boolean.toString(checksums), Boolean.toString(other.checksums)},
            {"an external aeronDir", Boolean.toString(externalDriver), Boolean.toString(other.externalDriver)},
        };
        for (final String[] setting : settings)
        {
            if (!setting[1].equals(setting[2]))
            {
                return "rank " + otherRank + " has " + setting[0] + " = " + setting[2] + " but rank " + myRank +
                    " has " + setting[1] + "; give every rank the same settings";
            }
        }
        return null;
    }
}
