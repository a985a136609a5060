package io.slipstream.comm;

import java.io.IOException;
import java.net.BindException;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * Runs a job of N ranks as threads of this JVM: each thread joins the world with its own config (a fresh job id,
 * secret and coordinator port, host id "local"), runs the body, and closes. The first failure is rethrown with
 * the others suppressed; the whole run is bounded in time. For tests and benchmarks of code that uses comm.
 */
public final class ThreadRanks
{
    /** A rank's part of the job. */
    @FunctionalInterface
    public interface Body
    {
        void run(Communicator comm) throws Exception;
    }

    /** Changes one rank's settings; the builder already holds rank, size, coordinator, job id and secret. */
    @FunctionalInterface
    public interface Customiser
    {
        CommConfig.Builder apply(int rank, CommConfig.Builder builder);
    }

    private ThreadRanks()
    {
    }

    /** Runs {@code n} ranks with default settings and a limit of two minutes. */
    public static void run(final int n, final Body body)
    {
        run(n, (rank, builder) -> builder, Duration.ofMinutes(2), body);
    }

    /** Runs {@code n} ranks with the same change applied to every rank's builder. */
    public static void run(
        final int n, final UnaryOperator<CommConfig.Builder> everyRank, final Duration limit, final Body body)
    {
        run(n, (rank, builder) -> everyRank.apply(builder), limit, body);
    }

    /**
     * Runs {@code n} ranks; {@code customiser} may change each rank's builder (it sees rank, size, coordinator,
     * job id and secret already set). Throws if any rank fails or the run exceeds {@code limit}.
     */
    public static void run(
        final int n, final Customiser customiser, final Duration limit, final Body body)
    {
        if (n < 1)
        {
            throw new IllegalArgumentException("ThreadRanks: n = " + n + "; use n >= 1");
        }
        // A port found free can be taken by another process before rank 0 binds it; then no body has run yet and
        // the job is simply started again on another port.
        final AtomicBoolean portTaken = new AtomicBoolean();
        for (int attempt = 1; ; attempt++)
        {
            portTaken.set(false);
            final Throwable failure = attempt(n, customiser, limit, body, attempt < 3, portTaken);
            if (portTaken.get())
            {
                continue;
            }
            if (failure instanceof RuntimeException)
            {
                throw (RuntimeException)failure;
            }
            if (failure instanceof Error)
            {
                throw (Error)failure;
            }
            if (failure != null)
            {
                throw new IllegalStateException("a rank failed: " + failure, failure);
            }
            return;
        }
    }

    private static Throwable attempt(
        final int n,
        final Customiser customiser,
        final Duration limit,
        final Body body,
        final boolean mayRetry,
        final AtomicBoolean portTaken)
    {
        final int port = freePort();
        final String jobId = "threads-" + UUID.randomUUID();
        final byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        final AtomicReference<Throwable> first = new AtomicReference<>();
        final AtomicBoolean bodyStarted = new AtomicBoolean();
        final Thread[] threads = new Thread[n];
        for (int r = 0; r < n; r++)
        {
            final CommConfig config = customiser.apply(r, CommConfig.builder()
                .rank(r).size(n).coordinator("127.0.0.1", port).jobId(jobId).secret(secret).hostId("local")
                .advertiseAddress("127.0.0.1")).build();
            threads[r] = new Thread(() ->
            {
                try (Communicator comm = Comm.connect(config))
                {
                    bodyStarted.set(true);
                    body.run(comm);
                }
                catch (final Throwable ex)
                {
                    if (!bodyStarted.get() && causedBy(ex, BindException.class))
                    {
                        portTaken.set(true);
                    }
                    if (!first.compareAndSet(null, ex))
                    {
                        first.get().addSuppressed(ex);
                    }
                }
            }, "rank-" + r);
            threads[r].setDaemon(true);
        }
        for (final Thread thread : threads)
        {
            thread.start();
        }
        final long end = System.nanoTime() + limit.toNanos();
        boolean stopped = false;
        for (final Thread thread : threads)
        {
            try
            {
                while (thread.isAlive() && System.nanoTime() < end)
                {
                    if (portTaken.get() && !stopped)
                    {
                        stopped = true;
                        for (final Thread other : threads)
                        {
                            other.interrupt(); // they wait for a coordinator that will not come
                        }
                    }
                    thread.join(Math.max(1, Math.min(100, (end - System.nanoTime()) / 1_000_000L)));
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for ranks", ex);
            }
        }
        for (int r = 0; r < n; r++)
        {
            if (threads[r].isAlive())
            {
                final IllegalStateException timeout = new IllegalStateException(
                    "ThreadRanks: rank " + r + " still runs after " + limit + "; see its stack below");
                final Throwable trace = new Throwable("rank " + r + " stack");
                trace.setStackTrace(threads[r].getStackTrace());
                timeout.addSuppressed(trace);
                for (final Thread thread : threads)
                {
                    thread.interrupt();
                }
                return timeout;
            }
        }
        portTaken.set(mayRetry && portTaken.get() && !bodyStarted.get());
        return first.get();
    }

    private static boolean causedBy(final Throwable error, final Class<? extends Throwable> type)
    {
        for (Throwable t = error; t != null; t = t.getCause())
        {
            if (type.isInstance(t))
            {
                return true;
            }
        }
        return false;
    }

    /** A TCP port that was free a moment ago. */
    public static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("no free TCP port: " + ex.getMessage(), ex);
        }
    }
}
