package io.slipstream.launcher.cli;

import io.aeron.CncFileDescriptor;
import io.slipstream.comm.Comm;
import io.slipstream.comm.CommConfig;
import io.slipstream.comm.Communicator;
import io.slipstream.comm.TransportKind;
import io.slipstream.launcher.topology.Topology;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

/**
 * Joins this rank to its world: the topology's rank, size, coordinator, host id and address, the job
 * secret from {@code SLIPSTREAM_SECRET} (only from the environment, never argv or logs; a lone rank
 * makes up its own), and the deadline. Comm's job id is the topology's attempt tag, so two steps or a
 * requeued run of one SLURM job never share a driver directory. {@code SLIPSTREAM_AERON_DIR} names an
 * external media driver this rank uses instead of Slipstream's own (a site's tuned driver, or a test's
 * driver that drops packets); every rank of the job must then have one. {@code SLIPSTREAM_CHECKSUMS=1} puts a
 * CRC32C in every data frame.
 */
final class WorldConnection
{
    static final String SECRET = CommConfig.ENV_SECRET;
    static final String TRANSPORT = "SLIPSTREAM_TRANSPORT";
    static final String AERON_DIR = "SLIPSTREAM_AERON_DIR";

    private WorldConnection()
    {
    }

    static CommConfig config(
        final Topology topology, final Map<String, String> env, final long deadlineNanos, final TransportKind transport)
    {
        return CommConfig.builder()
            .switchesFrom(env)
            .rank(topology.rank())
            .size(topology.size())
            .coordinator(topology.coordinatorHost(), topology.coordinatorPort())
            .jobId(topology.attemptTag())
            .secret(secret(env, topology.size()))
            .hostId(topology.hostId())
            .advertiseAddress(topology.advertiseAddress())
            .transport(transport(transport, env))
            .aeronDir(externalDriver(env))
            .deadline(Duration.ofNanos(deadlineNanos))
            .build();
    }

    /** Checks comm's switches in {@code env} before any rank starts: one line naming a bad one. */
    static void checkSwitches(final Map<String, String> env)
    {
        try
        {
            CommConfig.builder().switchesFrom(env);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UsageException(ex.getMessage());
        }
    }

    static Communicator connect(final CommConfig config)
    {
        return Comm.connect(config);
    }

    /** 32 random bytes as hex: what {@code slipstream local} hands its ranks. */
    static String newSecret()
    {
        final byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * The transport the ranks use: {@code given} ({@code --transport}) when not null, else {@value #TRANSPORT}, else
     * auto. The one place the variable is read.
     */
    static TransportKind transport(final TransportKind given, final Map<String, String> env)
    {
        if (given != null)
        {
            return given;
        }
        final String text = env.get(TRANSPORT);
        return text == null || text.isBlank() ? TransportKind.AUTO : parse(TRANSPORT + "=", text);
    }

    /** {@code --transport}'s value (auto, ipc or udp, any case). */
    static TransportKind parse(final String text)
    {
        return parse("", text);
    }

    private static TransportKind parse(final String name, final String text)
    {
        return switch (text.trim().toLowerCase())
        {
            case "auto" -> TransportKind.AUTO;
            case "ipc" -> TransportKind.IPC;
            case "udp" -> TransportKind.UDP;
            default -> throw new UsageException("transport " + name + "'" + text + "' is not known; use auto, ipc or " +
                "udp");
        };
    }

    /** The external media driver's directory from {@code SLIPSTREAM_AERON_DIR}, or null to run Slipstream's own. */
    static String externalDriver(final Map<String, String> env)
    {
        final String dir = env.get(AERON_DIR);
        if (dir == null || dir.isEmpty())
        {
            return null;
        }
        if (!new File(dir, CncFileDescriptor.CNC_FILE).isFile())
        {
            throw new UsageException(AERON_DIR + "=" + dir + " holds no running media driver (no " +
                CncFileDescriptor.CNC_FILE + "); start that driver first, or unset " + AERON_DIR +
                " to use Slipstream's own");
        }
        return dir;
    }

    /** The job secret's bytes; refuses a missing one for a world of several ranks, or a short one. */
    static byte[] secret(final Map<String, String> env, final int size)
    {
        final String text = env.get(SECRET);
        if (text == null || text.isEmpty())
        {
            if (size == 1)
            {
                return newSecret().getBytes(StandardCharsets.US_ASCII);
            }
            throw new UsageException(SECRET + " is not set, and every rank of a " + size + "-rank job needs the same " +
                "one: export it before srun (see slurm/*.sbatch), or start the job with 'slipstream local'");
        }
        if (text.length() < CommConfig.MIN_SECRET_BYTES)
        {
            throw new UsageException(SECRET + " is too short (" + text.length() + " characters); use at least " +
                CommConfig.MIN_SECRET_BYTES + ", e.g. $(openssl rand -hex 32)");
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
