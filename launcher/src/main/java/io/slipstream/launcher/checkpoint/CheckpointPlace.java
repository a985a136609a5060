package io.slipstream.launcher.checkpoint;

import io.slipstream.comm.OneLineLog;
import io.slipstream.launcher.spec.Printable;
import io.slipstream.launcher.spec.SpecNode;

import java.lang.System.Logger.Level;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Where {@code checkpoint.dir} may point: inside the run directory (a relative path that does not climb out of
 * it), unless the spec asks for another place explicitly with {@code checkpoint.outside_run_dir: true}, which is
 * then said in the log. A run's files stay under the directory the user chose for it, and a spec copied from
 * elsewhere cannot write into another run's or user's directory by accident.
 */
public final class CheckpointPlace
{
    /** The spec key that allows a checkpoint directory outside the run directory. */
    public static final String OUTSIDE_KEY = "outside_run_dir";
    private static final OneLineLog LOG = OneLineLog.of(CheckpointPlace.class);

    private CheckpointPlace()
    {
    }

    /** {@code dir} (the {@code checkpoint} section's {@code dir}) if it may be used; refused in one line if not. */
    public static String check(final SpecNode checkpoint, final String dir)
    {
        final boolean outsideAllowed = checkpoint.bool(OUTSIDE_KEY, false);
        final Path path;
        try
        {
            path = Path.of(dir);
        }
        catch (final InvalidPathException ex)
        {
            throw checkpoint.error("dir", "'" + Printable.of(dir) + "' is not a usable path: " + ex.getReason());
        }
        final Path normal = path.normalize();
        final boolean outside = path.isAbsolute() || normal.toString().isEmpty() || normal.startsWith("..");
        if (!outside)
        {
            return dir;
        }
        if (!outsideAllowed)
        {
            throw checkpoint.error("dir", "'" + Printable.of(dir) + "' is " + (normal.toString().isEmpty() ?
                "the run directory itself" : "outside the run directory") + "; use a directory inside it such as " +
                "'checkpoints', or set checkpoint." + OUTSIDE_KEY + ": true to write checkpoints there on purpose");
        }
        LOG.log(Level.INFO, "checkpoint.dir '" + Printable.of(dir) + "' is outside the run directory (checkpoint." +
            OUTSIDE_KEY +
            ": true): checkpoints are written there");
        return dir;
    }
}
