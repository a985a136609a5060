package io.slipstream.launcher.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserProgramTest
{
    @TempDir
    Path dir;

    private static UserProgram parse(final List<String> args, final String classpath)
    {
        final ClasspathOption option = new ClasspathOption();
        if (classpath != null)
        {
            new CommandLine(option).parseArgs(UserProgram.CLASSPATH, classpath);
        }
        return UserProgram.parse("slipstream local", args, UserProgram.start(args), option);
    }

    private static String refusal(final List<String> args, final String classpath)
    {
        return assertThrows(UsageException.class, () -> parse(args, classpath)).getMessage();
    }

    private Path jar(final String mainClass) throws IOException
    {
        final Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (mainClass != null)
        {
            manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        }
        final Path jar = dir.resolve("app.jar");
        new JarOutputStream(Files.newOutputStream(jar), manifest).close();
        return jar;
    }

    @Test
    void everythingAfterTheClassIsTheProgramsOwn()
    {
        final List<String> args = List.of("-n", "2", "--main", Slipstream.class.getName(), "--main", "-n", "x");
        assertEquals(2, UserProgram.start(args));
        final UserProgram program = parse(args, null);
        assertEquals(Slipstream.class.getName(), program.mainClass());
        assertEquals(List.of("--main", "-n", "x"), program.args());
        assertTrue(program.rankClasspath().endsWith(System.getProperty("java.class.path")));
        assertEquals(-1, UserProgram.start(List.of("-n", "2", "job.yaml")));
    }

    @Test
    void theJarsMainClassRunsAndMustBeThere() throws IOException
    {
        final Path jar = jar(Slipstream.class.getName());
        final UserProgram program = parse(List.of("-jar", jar.toString(), "a"), null);
        assertEquals(Slipstream.class.getName(), program.mainClass());
        assertEquals(List.of(jar.toString()), program.classpath());
        assertEquals(List.of("a"), program.args());
    }

    @Test
    void badProgramsAreOneLineEach() throws IOException
    {
        assertTrue(refusal(List.of("--main", "com.example.Nope"), null)
            .contains("class com.example.Nope is not on the classpath (none given: add --classpath"));
        assertTrue(refusal(List.of("--main"), null).contains("--main needs a class name"));
        assertTrue(refusal(List.of("--main", "x.Y"), dir.resolve("missing").toString())
            .contains("--classpath entry " + dir.resolve("missing") + " does not exist"));
        assertTrue(refusal(List.of("-jar", dir.resolve("none.jar").toString()), null).contains("does not exist"));
        assertTrue(refusal(List.of("--main", UserProgramTest.class.getName()), null)
            .contains("has no public static void main(String[])"));
        final Path noMain = jar(null);
        assertTrue(refusal(List.of("-jar", noMain.toString()), null).contains("names no Main-Class"));
        assertTrue(refusal(List.of("-jar", noMain.toString()), "x").contains("not both"));
    }
}
