package io.slipstream.launcher.topology;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;

/**
 * Facts about this machine found without any name lookup: an id shared by processes that see the same
 * {@code /dev/shm} (kernel boot id plus mount namespace, so two containers on one kernel differ), and
 * the first non-loopback IPv4 address of an interface that is up.
 */
public final class HostIdentity
{
    private HostIdentity()
    {
    }

    public static String machineId()
    {
        final String boot = read(Path.of("/proc/sys/kernel/random/boot_id"));
        String mountNamespace = "";
        try
        {
            mountNamespace = Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")).toString();
        }
        catch (final IOException | UnsupportedOperationException ignored)
        {
            // No /proc namespaces (not Linux): the boot id alone must do.
        }
        final String id = boot + (mountNamespace.isEmpty() ? "" : "/" + mountNamespace);
        return id.isEmpty() ? "unknown-machine" : id;
    }

    /** First non-loopback IPv4 address of an interface that is up, else 127.0.0.1. */
    public static String firstNonLoopbackAddress()
    {
        try
        {
            final Enumeration<NetworkInterface> interfaces = NetworkInterface.getNetworkInterfaces();
            while (interfaces != null && interfaces.hasMoreElements())
            {
                final NetworkInterface nif = interfaces.nextElement();
                if (!nif.isUp() || nif.isLoopback())
                {
                    continue;
                }
                final Enumeration<InetAddress> addresses = nif.getInetAddresses();
                while (addresses.hasMoreElements())
                {
                    final InetAddress address = addresses.nextElement();
                    if (address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress())
                    {
                        return address.getHostAddress();
                    }
                }
            }
        }
        catch (final SocketException ignored)
        {
            // No interface list: loopback is the only address we can be sure of.
        }
        return "127.0.0.1";
    }

    private static String read(final Path path)
    {
        try
        {
            return new String(Files.readAllBytes(path), StandardCharsets.US_ASCII).trim();
        }
        catch (final IOException ex)
        {
            return "";
        }
    }
}
