package io.slipstream.launcher.experiment;

import io.slipstream.launcher.testing.LogRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A damaged journal is never used silently: what is kept or dropped is said in one warning. */
class FileTaskJournalDamageTest
{
    private static List<String> warningsOf(final Runnable action)
    {
        return LogRecords.of(FileTaskJournal.class, action);
    }

    @Test
    void aBitFlipInAWaveKeepsTheWavesBeforeItAndWarns(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("j.bin");
        final FileTaskJournal journal = new FileTaskJournal(file, 5);
        journal.restore();
        journal.record(Map.of(0, new byte[]{1}));
        final long firstEnd = Files.size(file);
        journal.record(Map.of(1, new byte[]{2, 3, 4, 5}));
        final byte[] bytes = Files.readAllBytes(file);
        bytes[(int)firstEnd + 10] ^= 0x04;
        Files.write(file, bytes);

        final List<Map<Integer, byte[]>> restored = new ArrayList<>();
        final List<String> warnings = warningsOf(() -> restored.add(new FileTaskJournal(file, 5).restore()));
        assertEquals(1, restored.get(0).size(), "the wave before the damage is kept");
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("WARNING task journal " + file + " is damaged at byte " + firstEnd),
            warnings.get(0));
    }

    @Test
    void aDamagedHeaderOrAnotherJobsJournalIsNotUsedAndSaysSo(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("j.bin");
        final FileTaskJournal journal = new FileTaskJournal(file, 5);
        journal.restore();
        journal.record(Map.of(0, new byte[]{1}));
        final List<String> other = warningsOf(() -> assertTrue(new FileTaskJournal(file, 6).restore().isEmpty()));
        assertEquals(1, other.size(), other.toString());
        assertTrue(other.get(0).contains("belongs to another job"), other.get(0));

        final byte[] bytes = Files.readAllBytes(file);
        bytes[1] ^= 0x01;
        Files.write(file, bytes);
        final List<String> damaged = warningsOf(() -> assertTrue(new FileTaskJournal(file, 5).restore().isEmpty()));
        assertEquals(1, damaged.size(), damaged.toString());
        assertTrue(damaged.get(0).contains("is damaged or not a task journal"), damaged.get(0));
        assertEquals(List.of(), warningsOf(() -> new FileTaskJournal(dir.resolve("none.bin"), 5).restore()),
            "no journal yet is not a warning");
    }
}
