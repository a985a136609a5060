package io.slipstream.launcher.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Builds a user's program for the tests: one class from source, compiled against Slipstream, in a runnable jar. */
final class UserJars
{
    private UserJars()
    {
    }

    /** {@code dir}/app.jar with class {@code name} from {@code source} as its Main-Class. */
    static Path build(final Path dir, final String name, final String source) throws IOException
    {
        final Path file = dir.resolve("src").resolve(name + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, source);
        final Path classes = dir.resolve("classes");
        Files.createDirectories(classes);
        final int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
            "-cp", System.getProperty("java.class.path"), file.toString());
        assertEquals(0, compiled, "javac of the user's program");
        final Path jar = dir.resolve("app.jar");
        final Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest))
        {
            out.putNextEntry(new JarEntry(name + ".class"));
            out.write(Files.readAllBytes(classes.resolve(name + ".class")));
            out.closeEntry();
        }
        return jar;
    }
}
