package io.slipstream.trainer.dl4j;

import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.model.Classifier;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.dataset.api.preprocessor.serializer.NormalizerSerializer;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A trained DL4J network (a {@code MultiLayerNetwork}, or a single-input, single-output {@code ComputationGraph})
 * with its feature standardiser (or none). {@link #writeTo} writes DL4J's own {@code ModelSerializer} zip with the
 * standardiser inside: plain DL4J loads it with {@code ModelSerializer.restoreMultiLayerNetworkAndNormalizer(file,
 * false)} (or {@code restoreComputationGraphAndNormalizer}), or without the standardiser with
 * {@code restoreMultiLayerNetwork(file)}.
 */
public final class DeepModel implements Classifier
{
    public static final String FILE_NAME = "model.zip";

    private final Model net;
    private final NormalizerStandardize standardizer;
    private final boolean stopped;

    public DeepModel(final Model net, final NormalizerStandardize standardizer, final boolean stopped)
    {
        if (!(net instanceof MultiLayerNetwork || net instanceof ComputationGraph))
        {
            throw new IllegalArgumentException("a DL4J model is a MultiLayerNetwork or a ComputationGraph, not " +
                net.getClass().getName());
        }
        this.net = net;
        this.standardizer = standardizer;
        this.stopped = stopped;
    }

    /** The network: a {@code MultiLayerNetwork} or a {@code ComputationGraph}. */
    public Model network()
    {
        return net;
    }

    /** True when training ended early because a stop was requested (the model is the checkpointed one). */
    public boolean stopped()
    {
        return stopped;
    }

    @Override
    public int[] predict(final Dataset data)
    {
        final INDArray probabilities = output(data);
        final int[] out = new int[data.size()];
        for (int i = 0; i < out.length; i++)
        {
            int best = 0;
            for (int c = 1; c < data.numClasses(); c++)
            {
                if (probabilities.getDouble(i, c) > probabilities.getDouble(i, best))
                {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    @Override
    public double[][] predictProba(final Dataset data)
    {
        return output(data).toDoubleMatrix();
    }

    private INDArray output(final Dataset data)
    {
        final INDArray x = features(data);
        if (standardizer != null)
        {
            standardizer.transform(x);
        }
        return net instanceof MultiLayerNetwork layers ? layers.output(x, false) :
            ((ComputationGraph)net).outputSingle(false, x);
    }

    static INDArray features(final Dataset data)
    {
        final INDArray x = Nd4j.create(DataType.FLOAT, data.size(), data.numFeatures());
        for (int i = 0; i < data.size(); i++)
        {
            final double[] row = data.row(i);
            for (int f = 0; f < row.length; f++)
            {
                x.putScalar(i, f, row[f]);
            }
        }
        return x;
    }

    @Override
    public String fileName()
    {
        return FILE_NAME;
    }

    @Override
    public void writeTo(final OutputStream out) throws IOException
    {
        // DL4J 1.0.0-M2.1 fails writing a model with its normaliser to a stream (it flushes a stream it closed), and
        // closes the streams it is given: write the plain zip to memory, then copy it with the normaliser's entry.
        final ByteArrayOutputStream plain = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, plain, true);
        if (standardizer == null)
        {
            plain.writeTo(out);
            return;
        }
        final ByteArrayOutputStream normalizer = new ByteArrayOutputStream();
        NormalizerSerializer.getDefault().write(standardizer, normalizer);
        final ZipOutputStream zip = new ZipOutputStream(out);
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(plain.toByteArray())))
        {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry())
            {
                zip.putNextEntry(new ZipEntry(entry.getName()));
                in.transferTo(zip);
                zip.closeEntry();
            }
        }
        zip.putNextEntry(new ZipEntry(ModelSerializer.NORMALIZER_BIN));
        normalizer.writeTo(zip);
        zip.closeEntry();
        zip.finish();
    }
}
