package io.slipstream.launcher.cli;

import io.slipstream.launcher.experiment.ExperimentJob;
import io.slipstream.launcher.experiment.ModelFamilies;
import io.slipstream.launcher.job.Job;
import io.slipstream.launcher.spec.SpecException;
import io.slipstream.launcher.spec.SpecNode;
import io.slipstream.launcher.train.CheckpointedExperiment;
import io.slipstream.launcher.workload.WorkloadJob;

import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns a validated job spec into the job every rank runs: a spec with {@code workload:} is a workload
 * job (smoke, sleep, bench); any other spec is an experiment, run as a {@link CheckpointedExperiment}.
 */
final class JobCatalog
{
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private JobCatalog()
    {
    }

    /** The spec's {@code name}, safe as part of a directory name. */
    static String name(final SpecNode root)
    {
        final String name = root.string("name");
        if (!NAME.matcher(name).matches())
        {
            throw new SpecException(root.pathOf("name"), "'" + name + "' is not a usable job name; use 1-64 letters, " +
                "digits, '.', '_' or '-', starting with a letter or digit");
        }
        return name;
    }

    /** The job {@code root} describes, with its model family looked up in {@code families}. */
    static Job fromSpec(final SpecNode root, final ModelFamilies families)
    {
        name(root);
        if (root.has("workload"))
        {
            root.allowOnly("name", "workload");
            return WorkloadJob.fromSpec(root);
        }
        root.allowOnly(Stream.concat(Stream.of("name"), ExperimentJob.SECTIONS.stream().sorted()).toArray(String[]::new));
        return CheckpointedExperiment.fromSpec(root, families);
    }
}
