package io.slipstream.comm;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Map;

/**
 * Everything a rank needs to join its job's world: who it is, where the coordinator (rank 0) listens, the job's
 * identity and secret, which ranks share a host, and the transport knobs. Immutable; built and validated once by
 * {@link Builder#build()}, whose errors name the field, the bad value and what is allowed.
 *
 * <p>The secret is kept only as its SHA-256 digest (the HMAC key of the join handshake) and never printed.
 */
public final class CommConfig
{
    /**
     * Comm's own switches, read by {@link Builder#switchesFrom(Map)}: the launcher passes them through as the user
     * set them. The rank's identity (rank, size, coordinator, job id, secret, host id, address, transport) is the
     * launcher's to detect; it sets those through the builder.
     */
    public static final String ENV_IDLE = "SLIPSTREAM_IDLE";
    public static final String ENV_TERM_LENGTH = "SLIPSTREAM_TERM_LENGTH";
    /** {@code 1|true|on} puts a CRC32C of its payload in every data frame; {@code 0|false|off} (the default) not. */
    public static final String ENV_CHECKSUMS = "SLIPSTREAM_CHECKSUMS";
    /** Where launchers take the job secret from: the one name, which the refusal of a missing secret names. */
    public static final String ENV_SECRET = "SLIPSTREAM_SECRET";

    public static final int MIN_SECRET_BYTES = 16;
    public static final int MIN_TERM_LENGTH = 64 * 1024;
    public static final int MAX_TERM_LENGTH = 1024 * 1024 * 1024;
    public static final int MIN_MTU = 1408;
    public static final int MAX_MTU = 65504;

    /**
     * 8 MiB terms. A publication's log is 3 terms (sparse, but a ring touches all of it over time), so a 5-rank job
     * holds 20 x 24 MiB in /dev/shm rather than the 3.75 GiB IPC's 64 MiB default would take. A publisher may run
     * half a term (4 MiB) ahead of its subscriber and only the driver's conductor moves that window on; measured on 2
     * loaded cores, 4 MiB terms stalled 4-64 MiB allreduces on those window moves, 8-16 MiB did not.
     */
    public static final int DEFAULT_TERM_LENGTH = 8 * 1024 * 1024;
    /** 8 KiB UDP frames between hosts: ~3x the throughput of Aeron's 1408 default, below jumbo-frame sizes. */
    public static final int DEFAULT_MTU = 8192;
    /**
     * The default {@link Builder#mtu}: each rank proposes {@link #DEFAULT_MTU}, or {@link #MAX_MTU} when it advertises
     * a loopback address (the loopback interface carries 64 KiB datagrams: measured 1.7-2x the busbw of 8 KiB frames
     * for 1-64 MiB allreduces), and the world uses the smallest proposal.
     */
    public static final int AUTO_MTU = 0;
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(60);
    /** Up to 64 KiB recursive doubling wins (log2 n latency steps); above, the ring's bandwidth wins. */
    public static final int DEFAULT_SMALL_MESSAGE_THRESHOLD = 64 * 1024;

    private final int rank;
    private final int size;
    private final String coordinatorHost;
    private final int coordinatorPort;
    private final String jobId;
    private final byte[] secretKey;
    private final String hostId;
    private final String advertiseAddress;
    private final TransportKind transport;
    private final String aeronDir;
    private final int termLength;
    private final int mtu;
    private final Duration deadline;
    private final IdleMode idleMode;
    private final int smallMessageThreshold;
    private final boolean checksums;

    private CommConfig(final Builder b, final byte[] secretKey)
    {
        this.rank = b.rank;
        this.size = b.size;
        this.coordinatorHost = b.coordinatorHost;
        this.coordinatorPort = b.coordinatorPort;
        this.jobId = b.jobId;
        this.secretKey = secretKey;
        this.hostId = b.hostId;
        this.advertiseAddress = b.advertiseAddress;
        this.transport = b.transport;
        this.aeronDir = b.aeronDir;
        this.termLength = b.termLength;
        this.mtu = b.mtu;
        this.deadline = b.deadline;
        this.idleMode = b.idleMode;
        this.smallMessageThreshold = b.smallMessageThreshold;
        this.checksums = b.checksums;
    }

    public static Builder builder()
    {
        return new Builder();
    }

    public int rank()
    {
        return rank;
    }

    public int size()
    {
        return size;
    }

    public String coordinatorHost()
    {
        return coordinatorHost;
    }

    public int coordinatorPort()
    {
        return coordinatorPort;
    }

    public String jobId()
    {
        return jobId;
    }

    /** The HMAC key: SHA-256 of the job secret. A copy; the secret itself is not kept. */
    public byte[] secretKey()
    {
        return secretKey.clone();
    }

    public String hostId()
    {
        return hostId;
    }

    public String advertiseAddress()
    {
        return advertiseAddress;
    }

    public TransportKind transport()
    {
        return transport;
    }

    /** An external media driver's directory, or null for the embedded driver shared by this host's ranks. */
    public String aeronDir()
    {
        return aeronDir;
    }

    public int termLength()
    {
        return termLength;
    }

    /** The UDP MTU asked for, or {@link #AUTO_MTU}. */
    public int mtu()
    {
        return mtu;
    }

    /** The UDP MTU this rank proposes to the world: the one asked for, or the {@link #AUTO_MTU} choice. */
    public int proposedMtu()
    {
        if (mtu != AUTO_MTU)
        {
            return mtu;
        }
        return Math.min(isLoopback(advertiseAddress) ? MAX_MTU : DEFAULT_MTU, (termLength / 8) & ~31);
    }

    /** Literal loopback addresses only: nothing here resolves a name. */
    private static boolean isLoopback(final String address)
    {
        return address.startsWith("127.") || "::1".equals(address) || "0:0:0:0:0:0:0:1".equals(address);
    }

    public Duration deadline()
    {
        return deadline;
    }

    public IdleMode idleMode()
    {
        return idleMode;
    }

    public int smallMessageThreshold()
    {
        return smallMessageThreshold;
    }

    /** Whether every data frame carries a CRC32C of its payload, checked on receipt. */
    public boolean checksums()
    {
        return checksums;
    }

    /** A stable 32-bit digest of the job id, carried in every data frame. */
    public int jobHash()
    {
        final byte[] id = jobId.getBytes(StandardCharsets.UTF_8);
        int h = 0x811C9DC5;
        for (final byte b : id)
        {
            h = (h ^ (b & 0xFF)) * 0x01000193;
        }
        return h;
    }

    @Override
    public String toString()
    {
        return "CommConfig{rank=" + rank + ", size=" + size + ", coordinator=" + coordinatorHost + ":" +
            coordinatorPort + ", jobId=" + jobId + ", secret=<hidden>, hostId=" + hostId + ", advertiseAddress=" +
            advertiseAddress + ", transport=" + transport + ", aeronDir=" + aeronDir + ", termLength=" +
            termLength + ", mtu=" + mtu + ", deadline=" + deadline + ", idleMode=" + idleMode +
            ", smallMessageThreshold=" + smallMessageThreshold + ", checksums=" + checksums + "}";
    }

    /** Mutable, unvalidated; {@link #build()} checks every field. */
    public static final class Builder
    {
        private int rank = -1;
        private int size = -1;
        private String coordinatorHost;
        private int coordinatorPort = -1;
        private String jobId;
        private byte[] secret;
        private String hostId;
        private String advertiseAddress = "127.0.0.1";
        private TransportKind transport = TransportKind.AUTO;
        private String aeronDir;
        private int termLength = DEFAULT_TERM_LENGTH;
        private int mtu = AUTO_MTU;
        private Duration deadline = DEFAULT_DEADLINE;
        private IdleMode idleMode = IdleMode.BACKOFF;
        private int smallMessageThreshold = DEFAULT_SMALL_MESSAGE_THRESHOLD;
        private boolean checksums;

        private Builder()
        {
        }

        /**
         * Reads comm's switches that are present in {@code env} ({@code SLIPSTREAM_IDLE}, {@code
         * SLIPSTREAM_TERM_LENGTH} in bytes, {@code SLIPSTREAM_CHECKSUMS}); absent ones keep their current values.
         */
        public Builder switchesFrom(final Map<String, String> env)
        {
            final String term = env.get(ENV_TERM_LENGTH);
            if (term != null)
            {
                termLength(parseInt(ENV_TERM_LENGTH, term));
            }
            final String idle = env.get(ENV_IDLE);
            if (idle != null)
            {
                try
                {
                    idleMode(IdleMode.valueOf(idle.trim().toUpperCase()));
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new IllegalArgumentException(
                        ENV_IDLE + ": '" + idle + "' is not an idle mode; use BACKOFF or BUSY_SPIN", ex);
                }
            }
            final String crc = env.get(ENV_CHECKSUMS);
            if (crc != null)
            {
                switch (crc.trim().toLowerCase())
                {
                    case "1", "true", "on" -> checksums(true);
                    case "0", "false", "off" -> checksums(false);
                    default -> throw new IllegalArgumentException(ENV_CHECKSUMS + ": '" + crc + "' is not allowed; " +
                        "use 1, true or on to checksum every frame, or 0, false or off (the default)");
                }
            }
            return this;
        }

        public Builder rank(final int rank)
        {
            this.rank = rank;
            return this;
        }

        public Builder size(final int size)
        {
            this.size = size;
            return this;
        }

        public Builder coordinator(final String host, final int port)
        {
            this.coordinatorHost = host;
            this.coordinatorPort = port;
            return this;
        }

        public Builder jobId(final String jobId)
        {
            this.jobId = jobId;
            return this;
        }

        /** The job secret; the builder keeps a copy and {@link #build()} keeps only its digest. */
        public Builder secret(final byte[] secret)
        {
            this.secret = secret == null ? null : secret.clone();
            return this;
        }

        public Builder hostId(final String hostId)
        {
            this.hostId = hostId;
            return this;
        }

        public Builder advertiseAddress(final String advertiseAddress)
        {
            this.advertiseAddress = advertiseAddress;
            return this;
        }

        public Builder transport(final TransportKind transport)
        {
            this.transport = transport;
            return this;
        }

        public Builder aeronDir(final String aeronDir)
        {
            this.aeronDir = aeronDir;
            return this;
        }

        public Builder termLength(final int termLength)
        {
            this.termLength = termLength;
            return this;
        }

        /** The UDP MTU, equal on every rank; {@link #AUTO_MTU} (the default) lets the world choose. */
        public Builder mtu(final int mtu)
        {
            this.mtu = mtu;
            return this;
        }

        public Builder deadline(final Duration deadline)
        {
            this.deadline = deadline;
            return this;
        }

        public Builder idleMode(final IdleMode idleMode)
        {
            this.idleMode = idleMode;
            return this;
        }

        public Builder smallMessageThreshold(final int smallMessageThreshold)
        {
            this.smallMessageThreshold = smallMessageThreshold;
            return this;
        }

        public Builder checksums(final boolean checksums)
        {
            this.checksums = checksums;
            return this;
        }

        public CommConfig build()
        {
            if (size < 1)
            {
                throw invalid("size", size, "a world size >= 1");
            }
            if (rank < 0 || rank >= size)
            {
                throw invalid("rank", rank, "0 <= rank < size (size = " + size + ")");
            }
            if (size > 1)
            {
                if (coordinatorHost == null || coordinatorHost.isBlank())
                {
                    throw invalid("coordinatorHost", coordinatorHost, "the host or IP where rank 0 listens");
                }
                if (coordinatorPort < 1 || coordinatorPort > 65535)
                {
                    throw invalid("coordinatorPort", coordinatorPort, "a TCP port 1..65535");
                }
            }
            if (jobId == null || jobId.isBlank() || jobId.length() > 200)
            {
                throw invalid("jobId", jobId, "a non-blank id of at most 200 characters, equal on every rank");
            }
            if (secret == null || secret.length < MIN_SECRET_BYTES)
            {
                throw new IllegalArgumentException("CommConfig.secret: " +
                    (secret == null ? "missing" : "only " + secret.length + " bytes") + "; allowed: at least " +
                    MIN_SECRET_BYTES + " bytes, equal on every rank (set " + ENV_SECRET +
                    ", e.g. from `openssl rand -hex 32`)");
            }
            if (hostId == null || hostId.isBlank())
            {
                throw invalid("hostId", hostId, "a non-blank id shared by ranks on one host (e.g. SLURM_NODEID)");
            }
            if (advertiseAddress == null || advertiseAddress.isBlank())
            {
                throw invalid("advertiseAddress", advertiseAddress, "this rank's IP address that peers can reach");
            }
            if (transport == null)
            {
                throw invalid("transport", null, "one of AUTO, IPC, UDP");
            }
            if (aeronDir != null && aeronDir.isBlank())
            {
                throw invalid("aeronDir", aeronDir, "null (embedded driver) or an external driver's directory");
            }
            if (termLength < MIN_TERM_LENGTH || termLength > MAX_TERM_LENGTH || Integer.bitCount(termLength) != 1)
            {
                throw invalid("termLength", termLength, "a power of two from 64 KiB to 1 GiB");
            }
            if (mtu != AUTO_MTU && (mtu < MIN_MTU || mtu > MAX_MTU || (mtu & 31) != 0 || mtu > termLength / 8))
            {
                throw invalid("mtu", mtu, AUTO_MTU + " (auto) or a multiple of 32 from " + MIN_MTU + " to " + MAX_MTU +
                    " and at most termLength / 8 (" + termLength / 8 + ")");
            }
            if (deadline == null || deadline.isNegative() || deadline.isZero() || deadline.toDays() > 1)
            {
                throw invalid("deadline", deadline, "a positive duration of at most one day");
            }
            if (idleMode == null)
            {
                throw invalid("idleMode", null, "BACKOFF or BUSY_SPIN");
            }
            if (smallMessageThreshold < 0)
            {
                throw invalid("smallMessageThreshold", smallMessageThreshold, "a byte count >= 0");
            }
            return new CommConfig(this, digest(secret));
        }

        private static byte[] digest(final byte[] secret)
        {
            try
            {
                return MessageDigest.getInstance("SHA-256").digest(secret);
            }
            catch (final NoSuchAlgorithmException ex)
            {
                throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
            }
        }

        private static int parseInt(final String name, final String value)
        {
            try
            {
                return Integer.parseInt(value.trim());
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException(name + ": '" + value + "' is not an integer", ex);
            }
        }

        private static IllegalArgumentException invalid(final String field, final Object value, final String allowed)
        {
            return new IllegalArgumentException(
                "CommConfig." + field + ": " + value + " is not allowed; allowed: " + allowed);
        }
    }
}
