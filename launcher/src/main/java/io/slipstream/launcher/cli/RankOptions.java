package io.slipstream.launcher.cli;

import io.slipstream.comm.TransportKind;
import io.slipstream.launcher.topology.TopologyOverrides;
import picocli.CommandLine.Option;

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

    /** {@code --transport}, or null when not given (then {@code SLIPSTREAM_TRANSPORT} or auto). */
    TransportKind transport()
    {
        return transport;
    }

    /** {@code --coordinator}, {@code --addr} and {@code --host-id} as given (null where not). */
    TopologyOverrides topology()
    {
        return new TopologyOverrides(coordinator, addr, hostId);
    }
}
