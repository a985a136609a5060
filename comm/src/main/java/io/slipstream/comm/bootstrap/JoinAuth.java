package io.slipstream.comm.bootstrap;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The join handshake's proofs: HMAC-SHA256 under the job key over a direction label, the job id, the rank and
 * both nonces. The client proves it knows the secret with label "join", the coordinator answers with "welcome"
 * and the nonces swapped, so neither side can replay the other's proof.
 */
public final class JoinAuth
{
    public static final int NONCE_BYTES = 32;
    public static final int MAC_BYTES = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final byte[] jobId;

    public JoinAuth(final byte[] key, final String jobId)
    {
        this.key = new SecretKeySpec(key, "HmacSHA256");
        this.jobId = jobId.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] newNonce()
    {
        final byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return nonce;
    }

    public byte[] joinProof(final int rank, final byte[] serverNonce, final byte[] clientNonce)
    {
        return mac("join", rank, serverNonce, clientNonce);
    }

    public byte[] welcomeProof(final int rank, final byte[] serverNonce, final byte[] clientNonce)
    {
        return mac("welcome", rank, clientNonce, serverNonce);
    }

    /** Constant-time comparison. */
    public static boolean matches(final byte[] expected, final byte[] actual)
    {
        return MessageDigest.isEqual(expected, actual);
    }

    private byte[] mac(final String label, final int rank, final byte[] first, final byte[] second)
    {
        try
        {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(label.getBytes(StandardCharsets.US_ASCII));
            mac.update(ByteBuffer.allocate(8).putInt(jobId.length).putInt(rank).array());
            mac.update(jobId);
            mac.update(first);
            mac.update(second);
            return mac.doFinal();
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", ex);
        }
    }
}
