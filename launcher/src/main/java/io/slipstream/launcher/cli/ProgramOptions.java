package io.slipstream.launcher.cli;

import picocli.CommandLine.Option;

/**
 * {@code --main CLASS} and {@code -jar APP.jar} (a picocli mixin), here for the help and the completion script:
 * {@link Slipstream} splits them and what follows off before parsing, and {@link UserProgram#parse} reads them.
 */
final class ProgramOptions
{
    @Option(names = UserProgram.MAIN, paramLabel = "CLASS",
        description = "run your own program's main class (the ARGS after it are its own)")
    private String main;
    @Option(names = UserProgram.JAR, paramLabel = "APP.jar",
        description = "run the Main-Class of your jar (the ARGS after it are its own)")
    private String jar;
}
