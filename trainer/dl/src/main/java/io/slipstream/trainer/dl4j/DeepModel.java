package io.slipstream.trainer.dl4j;

import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.model.Model;
import io.slipstream.trainer.report.OwnerOnlyFile;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A trained DL4J network with its feature standardiser (or none). {@link #save} writes DL4J's own
 * {@code ModelSerializer} zip with the standardiser inside: plain DL4J loads it with
 * {@code ModelSerializer.restoreMultiLayerNetworkAndNormalizer(file, false)}.
 */
public final class DeepModel implements Model
{
    public static final String FILE_NAME = "model.zip";

    private final MultiLayerNetwork net;
    private final NormalizerStandardize standardizer;
    private final boolean stopped;

    public DeepModel(final MultiLayerNetwork net, final NormalizerStandardize standardizer, final boolean stopped)
    {
        this.net = net;
        this.standardizer = standardizer;
        this.stopped = stopped;
    }

    public MultiLayerNetwork network()
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
        return net.output(x, false);
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
    public Path save(final Path dir) throws IOException
    {
        Files.createDirectories(dir);
        final Path file = dir.resolve(FILE_NAME);
        // Staged beside the target, owner-only from creation (DL4J rewrites files in place, keeping their mode),
        // then renamed over it: a reader never sees a half-written model, and no one else can read it.
        final Path staged = dir.resolve("." + FILE_NAME + ".staged");
        Files.deleteIfExists(staged);
        OwnerOnlyFile.restrict(staged);
        try
        {
            ModelSerializer.writeModel(net, staged.toFile(), true);
            if (standardizer != null)
            {
                // writeModel(..., normalizer) fails in 1.0.0-M2.1 (it flushes a closed stream); adding it after works.
                ModelSerializer.addNormalizerToModel(staged.toFile(), standardizer);
            }
            Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        finally
        {
            Files.deleteIfExists(staged);
        }
        return file;
    }
}
