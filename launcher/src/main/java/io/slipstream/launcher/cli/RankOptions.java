package io.slipstream.launcher.cli;

import io.slipstream.comm.TransportKind;
import picocli.CommandLine.Option;

import java.util.Map;

/** The options of a process that is one rank (a picocli mixin): where rank 0 is, how to be reached, how to talk. */
final class RankOptions
{
    @Option(names = "--coordinator", paramLabel = "HOST:PORT",
        description = "where rank 0 listens (default: derived; see slurm/README.md)")
    private String coordinator;

    @Option(names = "--addr", paramLabel = "ADDRESS",
        description = "the address this rank advertises (default: SLIPSTREAM_ADDR or the first non-loopback address)")
    private String addr;

    @Option(names = "--host-id", paramLabel = "auto|node|NAME",
        description = "which ranks share memory: per machine (auto), per scheduler node (node), or a name")
    private String hostId;

    @Option(names = "--transport", paramLabel = "auto|ipc|udp", converter = Converters.Transport.class,
        completionCandidates = Converters.TransportNames.class,
        description = "how ranks exchange data (default auto: IPC on a host, UDP between hosts)")
    private TransportKind transport;

    /** The transport's name (auto, ipc, udp), or null when not given. */
    String transport()
    {
        return transport == null ? null : Converters.name(transport);
    }

    /** Puts the given options into {@code env} under the variables they stand for; {@code --transport} too if asked. */
    void putInto(final Map<String, String> env, final boolean withTransport)
    {
        putIfGiven(coordinator, "SLIPSTREAM_COORDINATOR", env);
        putIfGiven(addr, "SLIPSTREAM_ADDR", env);
        putIfGiven(hostId, "SLIPSTREAM_HOST_ID", env);
        if (withTransport)
        {
            putIfGiven(transport(), WorldConnection.TRANSPORT, env);
        }
    }

    private static void putIfGiven(final String value, final String variable, final Map<String, String> env)
    {
        if (value != null)
        {
            env.put(variable, value);
        }
    }
}
