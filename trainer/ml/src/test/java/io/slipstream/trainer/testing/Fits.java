package io.slipstream.trainer.testing;

import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.model.DataShape;
import io.slipstream.trainer.model.FitContext;
import io.slipstream.trainer.model.Model;
import io.slipstream.trainer.model.ModelFamily;

import java.util.Map;

/** A setting as a job spec writes it, parsed for the data it fits on and fitted: what the search does per fit. */
public final class Fits
{
    private Fits()
    {
    }

    /** The model as the type the caller expects (tests know their family's model class). */
    @SuppressWarnings("unchecked")
    public static <M extends Model, P> M fit(final ModelFamily<P> family, final Dataset train,
        final Map<String, Object> setting, final FitContext context)
    {
        return (M)family.fit(train, family.parameters(setting, DataShape.of(train)), context);
    }
}
