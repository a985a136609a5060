package io.slipstream.launcher.experiment;

import io.slipstream.launcher.spec.SpecNode;

import io.slipstream.trainer.model.ModelFamily;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code model} section: the {@code family} by name and its fixed {@code params}. */
record ModelSection(String family, ModelFamily<?> entry, Map<String, Object> fixed)
{
    static ModelSection parse(final SpecNode model, final ModelFamilies families)
    {
        model.allowOnly("family", "params");
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
}
