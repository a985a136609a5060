package io.slipstream.launcher.cli;

import io.slipstream.launcher.experiment.ModelFamilies;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.List;

/**
 * {@code --classpath CP} (a picocli mixin): the user's classes, for {@code --main} or for model families of their
 * own that a job spec names. Its entries are checked once, when first asked for: each must exist.
 */
final class ClasspathOption
{
    @Option(names = UserProgram.CLASSPATH, paramLabel = "CP", description = "your classes: the program's for --main, " +
        "or jars of your own model families for JOB.yaml (Slipstream's own is added)")
    private String value;
    private List<String> entries;

    /** Whether {@code --classpath} was given. */
    boolean given()
    {
        return value != null;
    }

    /** The entries, each an existing path made absolute ({@link UserProgram#classpathEntries}); empty when not given. */
    List<String> entries()
    {
        if (entries == null)
        {
            entries = value == null ? List.of() : UserProgram.classpathEntries(value);
        }
        return entries;
    }

    /** The checked entries as one classpath for a rank's command line, or null when not given. */
    String joined()
    {
        return value == null ? null : String.join(File.pathSeparator, entries());
    }

    /** The model families a job may name: the built-in ones, and those in these entries. */
    ModelFamilies families()
    {
        return value == null ? ModelFamilies.standard() : ModelFamilies.load(UserProgram.loaderOver(entries()));
    }
}
