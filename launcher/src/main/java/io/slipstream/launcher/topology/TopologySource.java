package io.slipstream.launcher.topology;

/** Where a rank learned its place in the world, in the order the detector tries them. */
public enum TopologySource
{
    /** {@code SLIPSTREAM_RANK}/{@code SLIPSTREAM_SIZE} (set by {@code slipstream local} or by hand). */
    SLIPSTREAM("Slipstream variables"),
    SLURM("SLURM step"),
    OPENMPI("OpenMPI"),
    PMI("PMI"),
    TORCHRUN("torchrun-style variables"),
    /** No launcher at all: one rank on its own. */
    SINGLE("no launcher (single rank)");

    private final String description;

    TopologySource(final String description)
    {
        this.description = description;
    }

    public String description()
    {
        return description;
    }
}
