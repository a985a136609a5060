package io.slipstream.trainer.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OwnerOnlyFileTest
{
    @Test
    void replacesAWorldReadableFileWithAnOwnerOnlyOne(@TempDir final Path dir) throws IOException
    {
        final Path file = dir.resolve("summary.json");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        OwnerOnlyFile.write(file, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
        assertEquals("new", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void aFailedWriteKeepsThePreviousFileAndLeavesNoTemporary(@TempDir final Path dir) throws IOException
    {
        final Path file = dir.resolve("report.html");
        OwnerOnlyFile.write(file, out -> out.write("complete".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IOException.class, () -> OwnerOnlyFile.write(file, out ->
        {
            out.write("half".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        }));
        assertEquals("complete", Files.readString(file));
        try (Stream<Path> files = Files.list(dir))
        {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void restrictCreatesOrTightensAFile(@TempDir final Path dir) throws IOException
    {
        final Path fresh = dir.resolve("journal.bin");
        OwnerOnlyFile.restrict(fresh);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
        final Path old = dir.resolve("old.bin");
        Files.writeString(old, "kept");
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-rw-r--"));
        OwnerOnlyFile.restrict(old);
        assertEquals("kept", Files.readString(old));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(old)));
    }
}
