package io.slipstream.launcher.topology;

/**
 * The command line's say over the topology ({@code --coordinator}, {@code --addr}, {@code --host-id}), typed:
 * each wins over its environment variable; null where the option was not given.
 *
 * @param coordinator rank 0's "host:port" (over {@code SLIPSTREAM_COORDINATOR}).
 * @param address     the address this rank advertises (over {@code SLIPSTREAM_ADDR}).
 * @param hostId      auto, node or a name (over {@code SLIPSTREAM_HOST_ID}).
 */
public record TopologyOverrides(String coordinator, String address, String hostId)
{
    public static final TopologyOverrides NONE = new TopologyOverrides(null, null, null);
}
