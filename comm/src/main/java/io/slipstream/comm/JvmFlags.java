package io.slipstream.comm;

/**
 * The flags every JVM that runs comm needs (ranks, forked test JVMs, JMH forks), as compile-time constants so that
 * annotations such as JMH's {@code @Fork(jvmArgsAppend = ...)} can name them. Scripts read the same flags from
 * {@code launcher/bin/jvm-flags} and Maven's test JVMs from the root pom's {@code slipstream.jvm.flags};
 * {@code JvmFlagsTest} fails when either differs from these. JDK 17 and JDK 25 accept all three.
 */
public final class JvmFlags
{
    /** Agrona reaches {@code jdk.internal.misc.Unsafe}: Aeron needs this export on Java 17+. */
    public static final String EXPORT_MISC = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";

    /**
     * Resolves the Vector API (incubating from 17 through 25), with which comm reduces in place; the JVM prints one
     * {@code WARNING: Using incubator modules} line at start for it, so commands that start no rank leave it out.
     */
    public static final String VECTOR_API = "--add-modules=jdk.incubator.vector";

    /**
     * javacpp (ND4J's natives) calls {@code System.load}, a restricted method: JDK 22+ prints four warning lines
     * without this; JDK 17 accepts it and has nothing to warn about.
     */
    public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    /** All three, separated by single spaces: what a rank JVM gets. */
    public static final String ALL = EXPORT_MISC + " " + VECTOR_API + " " + NATIVE_ACCESS;

    private JvmFlags()
    {
    }
}
