package io.slipstream.launcher.topology;

import io.slipstream.kernels.DevicePlacement;

import java.util.List;

/**
 * The GPU a rank should use, chosen once when the rank joins: {@code ordinal} indexes the devices the process can
 * see (what a CUDA runtime's set-device call takes), {@code id} is that device's name in {@code variable}. Local
 * rank k takes visible device {@link DevicePlacement#gpuOrdinal k mod visible.size()}. A variable that is set but
 * names no device ({@code ""}, {@code NoDevFiles}) gives no GPU with {@code visible} empty; {@link #NONE} is for
 * no variable at all.
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

    /**
     * How many GPUs the variable makes visible, or {@link DevicePlacement#ALL_BACKEND_DEVICES} when no variable
     * names them: what {@link DevicePlacement#applyForThisThread} takes.
     */
    public int visibleGpus()
    {
        return variable.isEmpty() ? DevicePlacement.ALL_BACKEND_DEVICES : visible.size();
    }

    static GpuAssignment of(final String variable, final String value, final int localRank)
    {
        if (value == null)
        {
            return NONE;
        }
        if (value.isBlank() || "NoDevFiles".equals(value.trim()))
        {
            return new GpuAssignment(variable, List.of(), -1, "");
        }
        final List<String> visible = List.of(value.trim().split("\\s*,\\s*"));
        final int ordinal = DevicePlacement.gpuOrdinal(localRank, visible.size());
        return new GpuAssignment(variable, visible, ordinal, visible.get(ordinal));
    }

    @Override
    public String toString()
    {
        return present() ? "gpu " + ordinal + " (" + variable + "=" + String.join(",", visible) + " -> " + id + ")" :
            "no gpu";
    }
}
