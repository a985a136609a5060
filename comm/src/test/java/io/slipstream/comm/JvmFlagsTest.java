package io.slipstream.comm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The three copies of the JVM flags (Java constants, the scripts' file, the pom property) say the same. */
class JvmFlagsTest
{
    private static final Pattern ARRAY = Pattern.compile("^(slipstream_\\w+_flags)=\\((.*)\\)$");

    @Test
    void pomPropertyIsTheJavaConstant()
    {
        // Surefire passes the root pom's slipstream.jvm.flags to every test JVM as this property.
        assertEquals(JvmFlags.ALL, System.getProperty("slipstream.test.jvmFlags"));
    }

    @Test
    void scriptsFileHoldsTheJavaConstants() throws IOException
    {
        // Surefire runs in comm/; the file sits beside the slipstream script.
        final Path file = Path.of(System.getProperty("user.dir")).resolveSibling("launcher").resolve("bin/jvm-flags");
        final List<String> always = new ArrayList<>();
        final List<String> vector = new ArrayList<>();
        for (final String line : Files.readAllLines(file))
        {
            final Matcher m = ARRAY.matcher(line.trim());
            if (m.matches())
            {
                final List<String> flags = Arrays.asList(m.group(2).trim().split("\\s+"));
                switch (m.group(1))
                {
                    case "slipstream_jvm_flags" -> always.addAll(flags);
                    case "slipstream_vector_flags" -> vector.addAll(flags);
                    default -> throw new AssertionError("unknown array in " + file + ": " + line);
                }
            }
        }
        assertEquals(List.of(JvmFlags.EXPORT_MISC, JvmFlags.NATIVE_ACCESS), always);
        assertEquals(List.of(JvmFlags.VECTOR_API), vector);
    }

    @Test
    void allIsTheThreeFlags()
    {
        assertEquals(List.of(JvmFlags.EXPORT_MISC, JvmFlags.VECTOR_API, JvmFlags.NATIVE_ACCESS),
            List.of(JvmFlags.ALL.split(" ")));
    }
}
