package io.slipstream.launcher.experiment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileTaskJournalTest
{
    @Test
    void appendsWavesAndRestoresThem(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("j.bin");
        final FileTaskJournal journal = new FileTaskJournal(file, 5);
        assertTrue(journal.restore().isEmpty());
        journal.record(Map.of(0, new byte[]{1}, 1, new byte[]{2, 3}));
        final long afterFirst = Files.size(file);
        journal.record(Map.of(2, new byte[0]));
        assertTrue(Files.size(file) > afterFirst);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        final Map<Integer, byte[]> restored = new FileTaskJournal(file, 5).restore();
        assertEquals(3, restored.size());
        assertArrayEquals(new byte[]{2, 3}, restored.get(1));
        assertEquals(0, restored.get(2).length);
    }

    @Test
    void aTornTailIsIgnoredAndReplaced(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("j.bin");
        final FileTaskJournal first = new FileTaskJournal(file, 5);
        first.restore();
        first.record(Map.of(0, new byte[]{1}));
        Files.write(file, new byte[]{0, 0, 0, 40, 9, 9}, StandardOpenOption.APPEND);

        final FileTaskJournal second = new FileTaskJournal(file, 5);
        assertEquals(1, second.restore().size());
        second.record(Map.of(1, new byte[]{7}));
        final Map<Integer, byte[]> restored = new FileTaskJournal(file, 5).restore();
        assertEquals(2, restored.size());
        assertArrayEquals(new byte[]{7}, restored.get(1));
    }

    @Test
    void anotherJobsJournalIsIgnoredAndStartedAfresh(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("j.bin");
        final FileTaskJournal old = new FileTaskJournal(file, 5);
        old.restore();
        old.record(Map.of(0, new byte[]{1}));

        final FileTaskJournal other = new FileTaskJournal(file, 6);
        assertTrue(other.restore().isEmpty());
        other.record(Map.of(3, new byte[]{4}));
        assertEquals(Map.of(), new FileTaskJournal(file, 5).restore());
        assertEquals(1, new FileTaskJournal(file, 6).restore().size());
        other.delete();
        assertTrue(!Files.exists(file));
    }
}
