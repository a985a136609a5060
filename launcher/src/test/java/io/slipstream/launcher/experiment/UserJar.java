package io.slipstream.launcher.experiment;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A user's own {@code ModelFamily}, compiled from source against the test class path and packaged with its
 * {@code META-INF/services} entry into a jar of its own, as a user's build would make it.
 */
public final class UserJar
{
    private UserJar()
    {
    }

    /**
     * Compiles {@code source} (one public class {@code className} in package {@code com.example}) into
     * {@code dir/NAME.jar}, registered as a model family; returns the jar.
     */
    public static Path family(final Path dir, final String className, final String source) throws IOException
    {
        final Path src = Files.createDirectories(dir.resolve("src/com/example"));
        final Path file = Files.writeString(src.resolve(className + ".java"), source);
        final Path classes = Files.createDirectories(dir.resolve("classes"));
        final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        final ByteArrayOutputStream errors = new ByteArrayOutputStream();
        final int rc = javac.run(null, errors, errors, "-d", classes.toString(), "-classpath",
            System.getProperty("java.class.path"), file.toString());
        assertEquals(0, rc, errors.toString(StandardCharsets.UTF_8));
        final Path jar = dir.resolve(className + ".jar");
        try (OutputStream raw = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(raw);
             Stream<Path> files = Files.walk(classes))
        {
            for (final Path c : files.filter(Files::isRegularFile).toList())
            {
                out.putNextEntry(new JarEntry(classes.relativize(c).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(c));
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/services/io.slipstream.trainer.model.ModelFamily"));
            out.write(("com.example." + className + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }
}
