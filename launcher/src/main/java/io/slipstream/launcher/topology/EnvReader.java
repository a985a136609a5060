package io.slipstream.launcher.topology;

import io.slipstream.launcher.spec.Printable;
import io.slipstream.launcher.spec.ValueText;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the {@link EnvKey} variables of one environment and validates them: every refusal is one
 * {@link TopologyException} line naming the variable, its (escaped) value and the fix. An empty value counts
 * as unset, as shells and launchers often export empty variables.
 */
public final class EnvReader
{
    /** The largest count {@link EnvKey.Check#COUNT} accepts. */
    public static final int MAX_COUNT = 10_000_000;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_@+:-][A-Za-z0-9._@+:-]{0,127}");
    private static final Pattern HOST_NAME =
        Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*");

    private final Map<String, String> env;

    public EnvReader(final Map<String, String> env)
    {
        this.env = env;
    }

    /** Checks every variable that can be checked on its own, before any command does work. */
    public static void checkAll(final Map<String, String> env)
    {
        final EnvReader reader = new EnvReader(env);
        for (final EnvKey key : EnvKey.values())
        {
            if (!reader.has(key))
            {
                continue;
            }
            switch (key.check())
            {
                case NAME -> reader.name(key);
                case COUNT -> reader.integer(key, 1, MAX_COUNT);
                case ADDRESS -> reader.address(key);
                case RENAMED -> throw new TopologyException(key.name() + " is set, but its name is now " +
                    EnvKey.SLIPSTREAM_ADDR.name() + ": export SLIPSTREAM_ADDR=" + Printable.of(reader.get(key)) +
                    " instead, and unset " + key.name());
                case READ_WHERE_USED ->
                {
                }
            }
        }
    }

    public boolean has(final EnvKey key)
    {
        final String value = env.get(key.name());
        return value != null && !value.isEmpty();
    }

    /**
     * The value as set, empty included, or null when unset: for the few variables whose empty value means something
     * (an empty {@code CUDA_VISIBLE_DEVICES} hides every GPU).
     */
    public String asSet(final EnvKey key)
    {
        return env.get(key.name());
    }

    /** The value, or null when unset. */
    public String get(final EnvKey key)
    {
        return has(key) ? env.get(key.name()) : null;
    }

    public String get(final EnvKey key, final String otherwise)
    {
        return has(key) ? env.get(key.name()) : otherwise;
    }

    /** {@code KEY=value} for an error line, the value escaped. */
    public String shown(final EnvKey key)
    {
        return key.name() + "=" + Printable.of(env.get(key.name()));
    }

    public int integer(final EnvKey key, final int min, final int max)
    {
        return (int)ValueText.integer(key.name(), env.get(key.name()), min, max, TopologyException::new);
    }

    public int positive(final EnvKey key)
    {
        final int value = whole(key);
        if (value < 1)
        {
            throw new TopologyException(shown(key) + " must be at least 1");
        }
        return value;
    }

    public int nonNegative(final EnvKey key)
    {
        final int value = whole(key);
        if (value < 0)
        {
            throw new TopologyException(shown(key) + " must not be negative");
        }
        return value;
    }

    /** A rank-like value in {@code 0..size-1}; {@code what} names the size ("the world size 4"). */
    public int below(final EnvKey key, final int size, final String what)
    {
        final int value = nonNegative(key);
        if (value >= size)
        {
            throw new TopologyException(key.name() + "=" + value + " is not below " + what + " " + size +
                ": every rank must be in 0.." + (size - 1));
        }
        return value;
    }

    /** A name that becomes part of a file name: no '/', no leading '.', nothing outside the safe characters. */
    public String name(final EnvKey key)
    {
        final String value = env.get(key.name());
        if (!NAME.matcher(value).matches())
        {
            throw new TopologyException(shown(key) + " is not a usable name: it becomes part of a directory's " +
                "name, so use at most 128 letters, digits and . _ - @ + : (not starting with '.')");
        }
        return value;
    }

    /** An IP address or host name that is this machine's (any loopback address counts). */
    public String address(final EnvKey key)
    {
        return checkAddress(key.name(), env.get(key.name()));
    }

    /** {@link #address(EnvKey)} for a value named {@code name} (a variable or an option). */
    public static String checkAddress(final String name, final String text)
    {
        final String value = text.trim();
        final String shown = name + "=" + Printable.of(text);
        final boolean literal = value.indexOf(':') >= 0 ||
            value.chars().allMatch((c) -> c == '.' || Character.isDigit(c));
        if (!literal && !HOST_NAME.matcher(value).matches())
        {
            throw new TopologyException(shown + " is not an IP address or host name; set it to one of this " +
                "host's addresses (ip -brief address), or unset it to use the first non-loopback one");
        }
        final InetAddress address;
        try
        {
            address = InetAddress.getByName(value);
        }
        catch (final UnknownHostException ex)
        {
            throw new TopologyException(shown + (literal ? " is not a valid IP address" :
                " does not resolve") + "; set it to one of this host's addresses, or unset it");
        }
        try
        {
            if (!address.isLoopbackAddress() &&
                NetworkInterface.getByInetAddress(address) == null)
            {
                throw new TopologyException(shown + " (" + address.getHostAddress() + ") is not an address of " +
                    "this host, so no rank could reach it; set it to one of this host's addresses, or unset it");
            }
        }
        catch (final SocketException ex)
        {
            throw new TopologyException("cannot list this host's addresses to check " + shown + ": " +
                ex.getMessage());
        }
        return value;
    }

    private int whole(final EnvKey key)
    {
        final long value = ValueText.wholeNumber(key.name(), env.get(key.name()), TopologyException::new);
        if (value != (int)value)
        {
            throw new TopologyException(shown(key) + " is too large");
        }
        return (int)value;
    }
}
