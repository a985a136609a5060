package io.slipstream.trainer.semi;

import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.model.Classifier;
import io.slipstream.trainer.model.Diagnostics;
import io.slipstream.trainer.model.FeatureImportances;
import io.slipstream.trainer.onnx.OnnxExportable;

import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The base model fitted on the labeled and pseudo-labeled rows, with how it got there. Predicts, saves and exports
 * to ONNX as its base model does (it exports when the base does).
 */
public final class SelfTrainingModel implements Classifier, Diagnostics, FeatureImportances, OnnxExportable
{
    private final Classifier base;
    private final int iterations;
    private final int pseudoLabeled;
    private final int labeled;

    public SelfTrainingModel(final Classifier base, final int iterations, final int pseudoLabeled, final int labeled)
    {
        this.base = base;
        this.iterations = iterations;
        this.pseudoLabeled = pseudoLabeled;
        this.labeled = labeled;
    }

    public Classifier base()
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

    /** Rows pseudo-labeled and rounds run, as the run reports them. */
    @Override
    public Map<String, Double> diagnostics()
    {
        final Map<String, Double> out = new LinkedHashMap<>();
        out.put("pseudo_labeled", (double)pseudoLabeled);
        out.put("self_training_iterations", (double)iterations);
        return out;
    }

    /** The base model's, when it has them. */
    @Override
    public Map<String, Double> importances()
    {
        return base instanceof FeatureImportances f ? f.importances() : Map.of();
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

    @Override
    public boolean exportsOnnx()
    {
        return base instanceof OnnxExportable portable && portable.exportsOnnx();
    }

    @Override
    public void writeOnnx(final OutputStream out) throws IOException
    {
        if (!exportsOnnx())
        {
            throw new UnsupportedOperationException("the self-training base " + base.getClass().getSimpleName() +
                " has no ONNX export; use a random_forest base for a model.onnx");
        }
        ((OnnxExportable)base).writeOnnx(out);
    }
}
