package io.slipstream.launcher.topology;

import java.util.List;

/**
 * The GPU a rank should use: {@code ordinal} indexes the devices the process can see (what a CUDA
 * runtime's set-device call takes), {@code id} is that device's name in {@code variable}. Local rank k
 * takes visible device {@code k mod visible.size()}.
 */
public record GpuAssignment(String variable, List<String> visible, int ordinal, String id)
{
    public static final GpuAssignment NONE = new GpuAssignment("", List.of(), -1, "");

    public GpuAssignment
    {
        visible = List.copyOf(visible);
    }

    public boolean present()
    {
        return ordinal >= 0;
    }

    static GpuAssignment of(final String variable, final String value, final int localRank)
    {
        if (value == null || value.isBlank() || "NoDevFiles".equals(value))
        {
            return NONE;
        }
        final List<String> visible = List.of(value.trim().split("\\s*,\\s*"));
        final int ordinal = Math.floorMod(localRank, visible.size());
        return new GpuAssignment(variable, visible, ordinal, visible.get(ordinal));
    }

    @Override
    public String toString()
    {
        return present() ? "gpu " + ordinal + " (" + variable + "=" + String.join(",", visible) + " -> " + id + ")" :
            "no gpu";
    }
}
