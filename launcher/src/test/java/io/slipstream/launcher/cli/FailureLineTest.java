package io.slipstream.launcher.cli;

import io.slipstream.launcher.signal.ExitCode;
import io.slipstream.launcher.spec.SpecException;
import io.slipstream.trainer.model.UserInputException;
import io.slipstream.trainer.tasks.TaskFailedException;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FailureLineTest
{
    private static final String RANK = "rank 0 failed: ";

    @Test
    void badInputIsItsOwnMessageAndExitTwo()
    {
        assertEquals(new FailureLine(ExitCode.USAGE, "data file x.csv: row 3 is short; fix the row"),
            FailureLine.of(new UserInputException("data file x.csv: row 3 is short; fix the row"), RANK, false));
        assertEquals(ExitCode.USAGE, FailureLine.of(new SpecException("model", "is missing"), RANK, false).code());
    }

    @Test
    void aTaskThatFailedOnUserInputExitsTwoAndAnyOtherTaskFailureOne()
    {
        final String message = "task fit_score#3(setting 1, fold 1) failed on rank 1 after 1 attempt(s): " +
            "checkpoint ck-1.bin is damaged; remove it or start a new run directory";
        assertEquals(new FailureLine(ExitCode.USAGE, message), FailureLine.of(
            new TaskFailedException(3, 1, message, true, UserInputException.class.getName()), RANK, false));
        final TaskFailedException bug = new TaskFailedException(3, 1, "task x failed: index 5 out of bounds", false,
            ArrayIndexOutOfBoundsException.class.getName());
        assertEquals(new FailureLine(ExitCode.FAILED, "task x failed: index 5 out of bounds"),
            FailureLine.of(bug, RANK, false));
        assertEquals(new FailureLine(ExitCode.FAILED, "task x failed: index 5 out of bounds (" +
            ArrayIndexOutOfBoundsException.class.getName() + ")"), FailureLine.of(bug, RANK, true));
    }

    @Test
    void anUnexpectedFailureNamesTheRankAndNoClassUnlessDebugging()
    {
        final IllegalStateException ex = new IllegalStateException("the forest has no trees\n  second line");
        assertEquals(new FailureLine(ExitCode.FAILED, "rank 0 failed: the forest has no trees ..."),
            FailureLine.of(ex, RANK, false));
        assertEquals(new FailureLine(ExitCode.FAILED,
            "rank 0 failed: java.lang.IllegalStateException: the forest has no trees ..."), FailureLine.of(ex, RANK, true));
        assertEquals(new FailureLine(ExitCode.FAILED,
            "rank 0 failed: an unexpected error with no message (run with --debug to see where)"),
            FailureLine.of(new NullPointerException(), RANK, false));
    }

    @Test
    void aFileErrorSaysWhatItsClassMeant()
    {
        final UncheckedIOException ex = new UncheckedIOException(new NoSuchFileException("/runs/a/summary.json"));
        assertEquals(new FailureLine(ExitCode.FAILED, "failed: /runs/a/summary.json does not exist"),
            FailureLine.of(ex, "failed: ", false));
    }
}
