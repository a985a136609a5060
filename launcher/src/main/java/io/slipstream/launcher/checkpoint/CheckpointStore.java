package io.slipstream.launcher.checkpoint;

import io.slipstream.comm.OneLineLog;
import io.slipstream.trainer.model.UserInputException;
import io.slipstream.trainer.report.OwnerOnlyFile;
import io.slipstream.trainer.state.CorruptCheckpointException;
import io.slipstream.trainer.state.TrainingState;
import io.slipstream.trainer.state.TrainingStateFormat;

import java.lang.System.Logger.Level;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A run's checkpoints in one owner-only directory ({@code 0700}, files {@code 0600}), written by rank 0.
 * A write goes through {@link OwnerOnlyFile} (a temporary file, fsynced, renamed over its final name atomically,
 * the directory fsynced), so a crash at any moment leaves the previous checkpoint intact. The newest {@code keep}
 * are kept. Reading verifies each file's SHA-256 and the job spec's hash; a corrupt newest file falls
 * back to the one before it, with a warning.
 *
 * <p>Files are named {@code checkpoint-<iteration, 12 digits>.ckpt}; see {@link TrainingStateFormat}.
 */
public final class CheckpointStore
{
    /** What a failed write does to the run. */
    public enum OnFailure
    {
        /** Log the error and train on; the previous checkpoint stays the newest. */
        CONTINUE,
        /** Stop the run cleanly; the previous checkpoint stays valid for a resume. */
        STOP
    }

    private static final OneLineLog LOG = OneLineLog.of(CheckpointStore.class);
    private static final String PREFIX = "checkpoint-";
    private static final String SUFFIX = ".ckpt";
    private static final String TEMP_SUFFIX = ".tmp";
    /** A killed write's temporary: {@link OwnerOnlyFile}'s {@code .<name><random>.tmp}, or an older <name>.tmp. */
    private static final String TEMPORARIES =
        "{." + PREFIX + "*" + SUFFIX + "*" + TEMP_SUFFIX + "," + PREFIX + "*" + SUFFIX + TEMP_SUFFIX + "}";
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_DIR =
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final int WRITE_BUFFER = 1 << 20;

    private final Path dir;
    private final int keep;
    private final OnFailure onFailure;
    private final byte[] specHash;
    private final UnaryOperator<OutputStream> streamFilter;
    private final Long fitSeed;
    private long failedWrites;
    private boolean temporariesSwept;

    public CheckpointStore(final Path dir, final int keep, final OnFailure onFailure, final byte[] specHash)
    {
        this(dir, keep, onFailure, specHash, UnaryOperator.identity(), null);
    }

    /**
     * The store of one fit's checkpoints: a file in it that holds another fit's state (another seed: copied or
     * moved there by hand) is skipped with a warning, as a corrupt one is, instead of failing the resume.
     */
    public static CheckpointStore forFit(
        final Path dir, final long seed, final int keep, final OnFailure onFailure, final byte[] specHash)
    {
        return new CheckpointStore(dir, keep, onFailure, specHash, UnaryOperator.identity(), seed);
    }

    /** {@code streamFilter} wraps the file's stream (tests inject a full disk with it). */
    CheckpointStore(
        final Path dir,
        final int keep,
        final OnFailure onFailure,
        final byte[] specHash,
        final UnaryOperator<OutputStream> streamFilter)
    {
        this(dir, keep, onFailure, specHash, streamFilter, null);
    }

    private CheckpointStore(
        final Path dir,
        final int keep,
        final OnFailure onFailure,
        final byte[] specHash,
        final UnaryOperator<OutputStream> streamFilter,
        final Long fitSeed)
    {
        if (keep < 1)
        {
            throw new IllegalArgumentException("checkpoint.keep must be >= 1, was " + keep);
        }
        if (specHash == null || specHash.length != TrainingState.SPEC_HASH_BYTES)
        {
            throw new IllegalArgumentException("spec hash must be a 32-byte SHA-256");
        }
        this.dir = dir;
        this.keep = keep;
        this.onFailure = onFailure;
        this.specHash = specHash.clone();
        this.streamFilter = streamFilter;
        this.fitSeed = fitSeed;
    }

    public Path dir()
    {
        return dir;
    }

    public long failedWrites()
    {
        return failedWrites;
    }

    /**
     * Writes {@code state} (stamped with this store's spec hash) and prunes old files.
     *
     * @throws CheckpointException when the directory cannot be created or the file cannot be written;
     *                             the previous checkpoint is untouched.
     */
    public Path write(final TrainingState state)
    {
        final Path target = dir.resolve(String.format("%s%012d%s", PREFIX, state.iteration(), SUFFIX));
        try
        {
            createDirectory();
            sweepTemporariesOnce();
            OwnerOnlyFile.write(target, (file) ->
            {
                final OutputStream out = new BufferedOutputStream(streamFilter.apply(file), WRITE_BUFFER);
                TrainingStateFormat.write(state.withSpecHash(specHash), out);
                out.flush();
            });
        }
        catch (final IOException | RuntimeException ex)
        {
            final Optional<Path> previous = newestFile();
            throw new CheckpointException("cannot write checkpoint " + target + ": " + describe(ex) + "; " +
                previous.map((p) -> "the previous checkpoint " + p.getFileName() + " stays valid")
                    .orElse("there is no earlier checkpoint") +
                ". Free disk space or point checkpoint.dir at a writable directory", ex);
        }
        prune();
        return target;
    }

    /**
     * Writes {@code state} and applies the failure policy: returns true to train on (written, or
     * failed under {@link OnFailure#CONTINUE}), false to stop. Failures are logged as one clear line.
     */
    public boolean save(final TrainingState state)
    {
        try
        {
            write(state);
            return true;
        }
        catch (final CheckpointException ex)
        {
            failedWrites++;
            LOG.log(Level.ERROR, ex.getMessage() + (onFailure == OnFailure.CONTINUE ?
                " (checkpoint.on_failure: continue, training goes on)" : " (checkpoint.on_failure: stop, stopping)"));
            return onFailure == OnFailure.CONTINUE;
        }
    }

    /**
     * The newest intact checkpoint of this job spec; empty when the directory holds none. Unusable newer files
     * (corrupt, not a regular file, another fit's) are skipped with one warning that names them and the file
     * resumed from; when no file is intact, the refusal names every file's fault in its one line and nothing is
     * logged.
     *
     * @throws UserInputException when a checkpoint belongs to another job spec, or files exist but none is intact.
     * @throws CheckpointException when a file cannot be read at all (permissions, I/O).
     */
    public Optional<TrainingState> latest()
    {
        sweepTemporariesOnce();
        final List<Path> files = checkpoints();
        final List<String> corrupt = new ArrayList<>();
        for (int i = files.size() - 1; i >= 0; i--)
        {
            final Path file = files.get(i);
            if (!Files.isRegularFile(file))
            {
                corrupt.add(file + " is " + (Files.isDirectory(file) ? "a directory" : "not a regular file") +
                    ", not a checkpoint (corrupt)");
                continue;
            }
            final TrainingState state;
            try
            {
                state = read(file);
            }
            catch (final CorruptCheckpointException ex)
            {
                corrupt.add(ex.getMessage());
                continue;
            }
            catch (final IOException ex)
            {
                throw new CheckpointException("cannot read checkpoint " + file + ": " + describe(ex) +
                    "; check the directory's permissions", ex);
            }
            if (fitSeed != null && state.seed() != fitSeed)
            {
                corrupt.add(file + " holds the fit with seed " + state.seed() + ", not this fit's " + fitSeed +
                    " (copied from another fit's directory?)");
                continue;
            }
            if (!java.security.MessageDigest.isEqual(state.specHash(), specHash))
            {
                throw new UserInputException("checkpoint " + file + " was written for another job spec (spec hash " +
                    shortHex(state.specHash()) + ", this spec " + shortHex(specHash) + "): resume with the original " +
                    "spec, or use a new checkpoint.dir to start over");
            }
            if (!corrupt.isEmpty())
            {
                LOG.log(Level.WARNING, String.join("; ", corrupt) + "; falling back to " + file.getFileName());
            }
            return Optional.of(state);
        }
        if (!corrupt.isEmpty())
        {
            throw new UserInputException("no intact checkpoint in " + dir + " (" + corrupt.size() + " unusable: " +
                String.join("; ", corrupt).replace(dir + dir.getFileSystem().getSeparator(), "") +
                "): remove them to start the run over, or restore a copy");
        }
        return Optional.empty();
    }

    /** Reads and verifies one file (checksum only, not the spec hash). */
    public static TrainingState read(final Path file) throws IOException
    {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), WRITE_BUFFER))
        {
            return TrainingStateFormat.read(in, Files.size(file), file.toString());
        }
    }

    /** This store's checkpoint files, oldest first. */
    public List<Path> checkpoints()
    {
        final List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir))
        {
            return files;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX))
        {
            for (final Path p : stream)
            {
                files.add(p);
            }
        }
        catch (final IOException ex)
        {
            throw new CheckpointException("cannot list checkpoint directory " + dir + ": " + describe(ex), ex);
        }
        // Zero-padded iterations: name order is age order.
        files.sort(null);
        return files;
    }

    private Optional<Path> newestFile()
    {
        try
        {
            final List<Path> files = checkpoints();
            return files.isEmpty() ? Optional.empty() : Optional.of(files.get(files.size() - 1));
        }
        catch (final CheckpointException ex)
        {
            return Optional.empty();
        }
    }

    /**
     * Deletes the half-written temporaries ({@link #TEMPORARIES}) a killed run left, once per store:
     * one rank writes a fit's directory, so none of them can belong to a live write.
     */
    private void sweepTemporariesOnce()
    {
        if (temporariesSwept || !Files.isDirectory(dir))
        {
            return;
        }
        temporariesSwept = true;
        int removed = 0;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, TEMPORARIES))
        {
            for (final Path temp : stream)
            {
                Files.deleteIfExists(temp);
                removed++;
            }
        }
        catch (final IOException ex)
        {
            LOG.log(Level.WARNING, "cannot remove half-written checkpoints in " + dir + ": " + describe(ex) +
                "; they are ignored, but check the directory's permissions");
            return;
        }
        if (removed > 0)
        {
            LOG.log(Level.INFO, "removed " + removed + " half-written checkpoint file(s) an earlier run left in " +
                dir);
        }
    }

    private void createDirectory() throws IOException
    {
        if (Files.isDirectory(dir))
        {
            return;
        }
        final Path parent = dir.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent))
        {
            Files.createDirectories(parent, OWNER_DIR);
        }
        try
        {
            Files.createDirectory(dir, OWNER_DIR);
        }
        catch (final FileAlreadyExistsException ex)
        {
            if (!Files.isDirectory(dir))
            {
                throw new IOException(dir + " exists and is not a directory", ex);
            }
        }
    }

    private void prune()
    {
        final List<Path> files = checkpoints();
        for (int i = 0; i < files.size() - keep; i++)
        {
            deleteQuietly(files.get(i));
        }
        // Only rank 0 writes here, one file at a time: any other temporary file is a crashed write's leftover.
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, TEMPORARIES))
        {
            for (final Path stale : stream)
            {
                deleteQuietly(stale);
            }
        }
        catch (final IOException ex)
        {
            LOG.log(Level.WARNING, "cannot list " + dir + " for stale temporary files: " + describe(ex));
        }
    }

    private static void deleteQuietly(final Path file)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ex)
        {
            LOG.log(Level.WARNING, "cannot delete " + file + ": " + describe(ex));
        }
    }

    private static String describe(final Throwable ex)
    {
        final String message = ex.getMessage();
        return ex.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }

    private static String shortHex(final byte[] hash)
    {
        return HexFormat.of().formatHex(hash, 0, 6);
    }
}
