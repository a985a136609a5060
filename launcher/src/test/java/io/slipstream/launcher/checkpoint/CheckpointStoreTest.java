package io.slipstream.launcher.checkpoint;

import io.slipstream.launcher.testing.LogRecords;
import io.slipstream.trainer.model.UserInputException;
import io.slipstream.trainer.state.TrainingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointStoreTest
{
    private static final byte[] SPEC = hash(1);

    @TempDir
    Path root;

    private static byte[] hash(final int value)
    {
        final byte[] hash = new byte[32];
        Arrays.fill(hash, (byte)value);
        return hash;
    }

    private static TrainingState state(final long iteration)
    {
        final float[] params = new float[1000];
        Arrays.fill(params, iteration);
        return new TrainingState(new byte[32], "mlp", 2, 7, 1, iteration, 40, 0, params, new float[]{1, 2, 3});
    }

    @Test
    void writesOwnerOnlyFilesAtomicallyAndKeepsTheNewestK() throws IOException
    {
        final Path dir = root.resolve("run/checkpoints");
        final CheckpointStore store = new CheckpointStore(dir, 2, CheckpointStore.OnFailure.STOP, SPEC);
        assertEquals(Optional.empty(), store.latest());
        for (long i = 1; i <= 4; i++)
        {
            store.write(state(i * 10));
        }
        final List<Path> files = store.checkpoints();
        assertEquals(2, files.size());
        assertEquals("checkpoint-000000000030.ckpt", files.get(0).getFileName().toString());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.get(1))));
        final TrainingState latest = store.latest().orElseThrow();
        assertEquals(40, latest.iteration());
        assertArrayEquals(SPEC, latest.specHash(), "the store stamps its spec hash");
        assertArrayEquals(state(40).params(), latest.params());
        try (var listing = Files.list(dir))
        {
            assertEquals(2, listing.count(), "no temporary files are left");
        }
    }

    @Test
    void aCorruptNewestCheckpointFallsBackToThePreviousOne() throws IOException
    {
        final CheckpointStore store = new CheckpointStore(root, 3, CheckpointStore.OnFailure.STOP, SPEC);
        store.write(state(1));
        final Path newest = store.write(state(2));
        final byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(newest, bytes);
        assertEquals(1, store.latest().orElseThrow().iteration());

        final Path oldest = store.checkpoints().get(0);
        Files.write(oldest, Arrays.copyOf(bytes, 100));
        final UserInputException ex = assertThrows(UserInputException.class, store::latest);
        assertTrue(ex.getMessage().contains("no intact checkpoint"), ex.getMessage());
        assertTrue(ex.getMessage().contains(newest.getFileName() + " fails its SHA-256 check") &&
            ex.getMessage().contains(oldest.getFileName() + " "),
            "the one refusal names each file's fault: " + ex.getMessage());
    }

    @Test
    void aCheckpointOfAnotherSpecIsRefusedByName()
    {
        new CheckpointStore(root, 3, CheckpointStore.OnFailure.STOP, hash(9)).write(state(5));
        final UserInputException ex = assertThrows(UserInputException.class,
            () -> new CheckpointStore(root, 3, CheckpointStore.OnFailure.STOP, SPEC).latest());
        assertTrue(ex.getMessage().contains("another job spec"), ex.getMessage());
    }

    @Test
    void aFullDiskLeavesThePreviousCheckpointValid() throws IOException
    {
        new CheckpointStore(root, 3, CheckpointStore.OnFailure.STOP, SPEC).write(state(1));
        final CheckpointStore full = new CheckpointStore(root, 3, CheckpointStore.OnFailure.STOP, SPEC,
            (out) -> new FilterOutputStream(out)
            {
                private long written;

                @Override
                public void write(final byte[] b, final int off, final int len) throws IOException
                {
                    written += len;
                    if (written > 2000)
                    {
                        throw new IOException("No space left on device");
                    }
                    out.write(b, off, len);
                }
            });
        final CheckpointException ex = assertThrows(CheckpointException.class, () -> full.write(state(2)));
        assertTrue(ex.getMessage().contains("No space left on device"), ex.getMessage());
        assertTrue(ex.getMessage().contains("checkpoint-000000000001.ckpt stays valid"), ex.getMessage());
        assertFalse(full.save(state(2)), "on_failure: stop");
        assertEquals(1, full.failedWrites());
        assertEquals(1, full.latest().orElseThrow().iteration());
        try (var listing = Files.list(root))
        {
            assertEquals(1, listing.count(), "the half-written temporary file is removed");
        }
        final CheckpointStore carryOn = new CheckpointStore(root, 3, CheckpointStore.OnFailure.CONTINUE, SPEC,
            (out) -> new FilterOutputStream(out)
            {
                @Override
                public void write(final byte[] b, final int off, final int len) throws IOException
                {
                    throw new IOException("No space left on device");
                }
            });
        assertTrue(carryOn.save(state(3)), "on_failure: continue");
    }

    @Test
    void anUnwritableDirectoryIsAClearError() throws IOException
    {
        final Path file = Files.writeString(root.resolve("not-a-dir"), "x");
        final CheckpointStore store = new CheckpointStore(file.resolve("ckpt"), 3, CheckpointStore.OnFailure.STOP, SPEC);
        final CheckpointException ex = assertThrows(CheckpointException.class, () -> store.write(state(1)));
        assertTrue(ex.getMessage().contains("point checkpoint.dir at a writable directory"), ex.getMessage());
    }

    @Test
    void staleTemporaryFilesFromACrashAreIgnoredAndRemoved() throws IOException
    {
        final CheckpointStore store = new CheckpointStore(root, 3, CheckpointStore.OnFailure.STOP, SPEC);
        Files.write(root.resolve("checkpoint-000000000009.ckpt.tmp"), new byte[]{1, 2, 3});
        assertEquals(Optional.empty(), store.latest());
        store.write(state(4));
        assertEquals(List.of(root.resolve("checkpoint-000000000004.ckpt")), store.checkpoints());
        assertFalse(Files.exists(root.resolve("checkpoint-000000000009.ckpt.tmp")));
    }

    private static TrainingState stateOfFit(final long seed, final long iteration)
    {
        return new TrainingState(new byte[32], "mlp", 2, seed, 1, iteration, 40, 0, new float[10], new float[0]);
    }

    private static List<String> warningsWhile(final Runnable action)
    {
        return LogRecords.of(CheckpointStore.class, action);
    }

    @Test
    void aNewestFileOfAnotherFitOrADirectoryInItsPlaceFallsBackToThePreviousWithAWarning() throws IOException
    {
        final Path dir = root.resolve("fit");
        final CheckpointStore store = CheckpointStore.forFit(dir, 7, 3, CheckpointStore.OnFailure.STOP, SPEC);
        store.write(stateOfFit(7, 10));
        final Path newest = store.write(stateOfFit(7, 20));

        final Path other = CheckpointStore.forFit(root.resolve("other"), 9, 3, CheckpointStore.OnFailure.STOP, SPEC)
            .write(stateOfFit(9, 20));
        Files.copy(other, newest, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        final Optional<TrainingState>[] found = new Optional[1];
        List<String> warnings = warningsWhile(() -> found[0] = store.latest());
        assertEquals(10, found[0].orElseThrow().iteration());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("holds the fit with seed 9, not this fit's 7") &&
            warnings.get(0).contains("falling back to checkpoint-000000000010.ckpt"), warnings.get(0));

        Files.delete(newest);
        Files.createDirectory(newest);
        warnings = warningsWhile(() -> found[0] = store.latest());
        assertEquals(10, found[0].orElseThrow().iteration());
        assertTrue(warnings.size() == 1 && warnings.get(0).contains("is a directory, not a checkpoint"),
            warnings.toString());

        Files.delete(store.checkpoints().get(0));
        final UserInputException none = assertThrows(UserInputException.class, store::latest);
        assertTrue(none.getMessage().contains("no intact checkpoint") && none.getMessage().contains("a directory"),
            none.getMessage());
    }
}
