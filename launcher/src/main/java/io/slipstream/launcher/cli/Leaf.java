package io.slipstream.launcher.cli;

import java.util.List;

/**
 * A command at the end of the command tree, run after picocli has parsed and checked its options into its fields.
 * {@code args} are the command's own arguments as given (after its name), for what it passes on to ranks or to a
 * user program unparsed.
 */
interface Leaf
{
    int execute(List<String> args) throws Exception;
}
