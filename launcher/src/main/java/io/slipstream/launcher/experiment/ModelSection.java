package io.slipstream.launcher.experiment;

import io.slipstream.launcher.spec.SpecException;
import io.slipstream.launcher.spec.SpecNode;

import io.slipstream.trainer.model.ConfiguredFamily;
import io.slipstream.trainer.model.DataShape;
import io.slipstream.trainer.model.ModelFamily;
import io.slipstream.trainer.model.ModelFileException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code model} section: the {@code family} by name and its fixed {@code params}, and for a family that reads
 * files ({@link ConfiguredFamily}, e.g. {@code dl4j}'s {@code config} and {@code init}) those files, relative paths
 * resolved against the spec's directory.
 */
record ModelSection(String family, ModelFamily<?> entry, Map<String, Object> fixed)
{
    static ModelSection parse(final SpecNode model, final ModelFamilies families)
    {
        final List<String> allowed = new ArrayList<>(List.of("family", "params"));
        if (model.has("family") && model.raw("family") instanceof String name &&
            families.names().contains(name) && families.family(name, "") instanceof ConfiguredFamily<?> configured)
        {
            allowed.addAll(configured.fileKeys());
        }
        model.allowOnly(allowed.toArray(new String[0]));
        final String family = model.string("family");
        final ModelFamily<?> entry = families.family(family, model.pathOf("family"));
        final Map<String, Object> fixed = new LinkedHashMap<>();
        final SpecNode params = model.childOrEmpty("params");
        for (final String key : params.keys())
        {
            fixed.put(key, SearchSection.scalar(params.pathOf(key), params.raw(key)));
        }
        return new ModelSection(family, entry, Collections.unmodifiableMap(fixed));
    }

    /**
     * This section with its family given the files {@code model} names, checked against data of {@code shape}; the
     * section itself for a family that reads no files.
     */
    ModelSection configured(final SpecNode model, final DataShape shape)
    {
        if (!(entry instanceof ConfiguredFamily<?> configured))
        {
            return this;
        }
        final Map<String, Path> files = new TreeMap<>();
        for (final String key : configured.fileKeys())
        {
            if (model.has(key))
            {
                files.put(key, model.file(key));
            }
        }
        try
        {
            return new ModelSection(family, configured.configure(files, shape), fixed);
        }
        catch (final ModelFileException ex)
        {
            throw new SpecException(model.pathOf(ex.key()), ex.getMessage());
        }
    }
}
