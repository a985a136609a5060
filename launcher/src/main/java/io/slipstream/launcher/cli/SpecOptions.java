package io.slipstream.launcher.cli;

import io.slipstream.launcher.spec.SpecNode;
import io.slipstream.launcher.spec.SpecOverrides;
import io.slipstream.trainer.report.OwnerOnlyFile;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The options of a command that reads a job spec (a picocli mixin): {@code --set KEY=VALUE} overrides
 * ({@link SpecOverrides}), applied to the spec as it is loaded; the effective spec goes into the run directory as
 * {@value #EFFECTIVE_SPEC}.
 */
final class SpecOptions
{
    /** The spec a run ran, overrides applied, in its run directory. */
    static final String EFFECTIVE_SPEC = "spec.effective.yaml";

    @Option(names = SpecOverrides.OPTION, paramLabel = "KEY=VALUE",
        description = "override a key of JOB.yaml, e.g. --set model.params.epochs=10 --set " +
            "search.grid.max_depth=[5,10] (repeatable; values are YAML)")
    private List<String> overrides = new ArrayList<>();

    /** {@code file} as a spec with the overrides applied. */
    SpecNode load(final Path file)
    {
        return SpecOverrides.apply(SpecNode.load(file), overrides);
    }

    /** The overrides as arguments for a rank's command line. */
    List<String> asArgs()
    {
        final List<String> args = new ArrayList<>();
        for (final String override : overrides)
        {
            args.add(SpecOverrides.OPTION);
            args.add(override);
        }
        return args;
    }

    /** Writes {@code spec} to {@code runDir}/{@value #EFFECTIVE_SPEC}, whole and owner-only. */
    static Path save(final SpecNode spec, final Path runDir) throws IOException
    {
        final byte[] yaml = spec.toYaml().getBytes(StandardCharsets.UTF_8);
        return OwnerOnlyFile.write(runDir.resolve(EFFECTIVE_SPEC), (out) -> out.write(yaml));
    }
}
