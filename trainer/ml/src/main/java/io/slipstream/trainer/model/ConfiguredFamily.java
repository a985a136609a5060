package io.slipstream.trainer.model;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * A family whose {@code model} section names files besides its {@code params}: the {@code dl4j} family's
 * {@code config} (a network configuration) and {@code init} (a saved network). The job spec's reader resolves each
 * named file (relative paths against the spec's directory) and calls {@link #configure} once, before any setting is
 * parsed; the family it returns is the one the search uses.
 */
public interface ConfiguredFamily<P> extends ModelFamily<P>
{
    /** The keys of the {@code model} section this family reads as file paths. */
    Set<String> fileKeys();

    /**
     * This family bound to {@code files} (those of {@link #fileKeys} the spec gave, each resolved), checked against
     * data of {@code shape}. A {@link ModelFileException} names the key its problem is at.
     */
    ConfiguredFamily<P> configure(Map<String, Path> files, DataShape shape);

    /**
     * A digest of what the files said when {@link #configure} read them (0 before), so records of finished fits
     * (a search's journal) are not reused once a file changed.
     */
    long fingerprint();
}
