package io.slipstream.launcher.cli;

import io.slipstream.comm.CommException;
import io.slipstream.comm.CommTimeoutException;
import io.slipstream.comm.PeerLostException;
import io.slipstream.launcher.signal.ExitCode;
import io.slipstream.launcher.signal.SharedFailure;
import io.slipstream.launcher.spec.Printable;
import io.slipstream.launcher.spec.SpecException;
import io.slipstream.launcher.topology.TopologyException;
import io.slipstream.trainer.model.UserInputException;
import io.slipstream.trainer.tasks.TaskFailedException;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/**
 * What the command prints for a failure (after {@code "slipstream: "}) and its exit code. Bad input (the
 * command line, the spec, the environment, a {@link UserInputException}, a task that failed with one) is
 * 2; another rank's failure (a lost peer, a collective deadline) is 4; anything else is 1. Bad input and
 * comm failures are their own one-line messages; a failure nobody foresaw is {@code unexpected} (such as
 * {@code "rank 0 failed: "}) and its message's first line, without Java class names unless {@code debug}.
 */
record FailureLine(int code, String line)
{
    /** {@code line} with its control characters escaped: whatever a message quotes, it stays one line. */
    FailureLine
    {
        line = Printable.line(line);
    }

    static FailureLine of(final Throwable ex, final String unexpected, final boolean debug)
    {
        final OutOfMemoryError memory = causeOfType(ex, OutOfMemoryError.class);
        if (memory != null)
        {
            final Runtime runtime = Runtime.getRuntime();
            return new FailureLine(ExitCode.FAILED, "out of memory (" + Printable.of(memory.getMessage()) +
                "): this JVM's heap is at most " + runtime.maxMemory() / (1024 * 1024) + " MiB, too small for this " +
                "job; give it more with SLIPSTREAM_JAVA_OPTS=-Xmx" + suggestedHeapGiB(runtime.maxMemory()) + "g (or " +
                "more), or make the job smaller");
        }
        if (ex instanceof UsageException || ex instanceof SpecException || ex instanceof TopologyException ||
            ex instanceof UserInputException)
        {
            return new FailureLine(ExitCode.USAGE, ex.getMessage());
        }
        if (ex instanceof SharedFailure shared)
        {
            return new FailureLine(shared.exitCode(), shared.getMessage());
        }
        if (ex instanceof TaskFailedException task)
        {
            return new FailureLine(task.userInput() ? ExitCode.USAGE : ExitCode.FAILED,
                task.getMessage() + (debug ? " (" + task.errorClass() + ")" : ""));
        }
        if (ex instanceof PeerLostException || ex instanceof CommTimeoutException)
        {
            return new FailureLine(ExitCode.PEER_FAILED, ex.getMessage());
        }
        if (ex instanceof CommException)
        {
            return new FailureLine(ExitCode.FAILED, ex.getMessage());
        }
        final Throwable shown = ex instanceof UncheckedIOException && ex.getCause() != null &&
            ex.getCause().toString().equals(ex.getMessage()) ? ex.getCause() : ex;
        return new FailureLine(ExitCode.FAILED,
            unexpected + (debug ? shown.getClass().getName() + ": " : "") + firstLine(describe(shown)));
    }

    /** The message, plus what the class name alone said for the file errors whose message is only a path. */
    private static String describe(final Throwable ex)
    {
        final String message = ex.getMessage();
        if (message == null || message.isBlank())
        {
            return "an unexpected error with no message (run with --debug to see where)";
        }
        if (ex instanceof NoSuchFileException)
        {
            return message + " does not exist";
        }
        if (ex instanceof AccessDeniedException)
        {
            return message + ": permission denied";
        }
        if (ex instanceof FileAlreadyExistsException)
        {
            return message + " already exists";
        }
        return message;
    }

    private static <T extends Throwable> T causeOfType(final Throwable ex, final Class<T> type)
    {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause())
        {
            if (type.isInstance(t))
            {
                return type.cast(t);
            }
        }
        return null;
    }

    /** Four times the current heap in GiB, at least 2. */
    private static long suggestedHeapGiB(final long maxHeap)
    {
        return Math.max(2, (4 * maxHeap + (1L << 30) - 1) >> 30);
    }

    private static String firstLine(final String text)
    {
        final int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end).stripTrailing() + " ...";
    }
}
