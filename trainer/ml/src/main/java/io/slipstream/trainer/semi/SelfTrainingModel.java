package io.slipstream.trainer.semi;

import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.model.Model;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The base model fitted on the labeled and pseudo-labeled rows, with how it got there. Predicts and saves
 * as its base model does.
 */
public final class SelfTrainingModel implements Model
{
    private final Model base;
    private final int iterations;
    private final int pseudoLabeled;
    private final int labeled;

    public SelfTrainingModel(final Model base, final int iterations, final int pseudoLabeled, final int labeled)
    {
        this.base = base;
        this.iterations = iterations;
        this.pseudoLabeled = pseudoLabeled;
        this.labeled = labeled;
    }

    public Model base()
    {
        return base;
    }

    /** Self-training rounds run (each fits the base model once). */
    public int iterations()
    {
        return iterations;
    }

    /** Rows that received a pseudo-label. */
    public int pseudoLabeled()
    {
        return pseudoLabeled;
    }

    /** Rows that were labeled from the start. */
    public int labeled()
    {
        return labeled;
    }

    @Override
    public int[] predict(final Dataset data)
    {
        return base.predict(data);
    }

    @Override
    public double[][] predictProba(final Dataset data)
    {
        return base.predictProba(data);
    }

    @Override
    public String fileName()
    {
        return base.fileName();
    }

    @Override
    public void writeTo(final OutputStream out) throws IOException
    {
        base.writeTo(out);
    }
}
