package com.example;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Made-up 8x8 grey images of three kinds (a horizontal bar, a vertical bar, a diagonal) at random places, with
 * noise: data that needs no download and is the same on every rank for the same seed.
 */
final class SyntheticImages
{
    static final int SIDE = 8;
    static final int CLASSES = 3;

    private SyntheticImages()
    {
    }

    /** {@code count} images in batches of {@code batch}, drawn from {@code seed}. */
    static DataSetIterator iterator(final int count, final int batch, final long seed)
    {
        final Random random = new Random(seed);
        final List<DataSet> images = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            final int kind = random.nextInt(CLASSES);
            final int at = 1 + random.nextInt(SIDE - 2);
            final float[] pixels = new float[SIDE * SIDE];
            for (int y = 0; y < SIDE; y++)
            {
                for (int x = 0; x < SIDE; x++)
                {
                    final boolean on = kind == 0 ? y == at : kind == 1 ? x == at : x == y;
                    pixels[y * SIDE + x] = (on ? 1f : 0f) + (float)(random.nextGaussian() * 0.35);
                }
            }
            final float[] label = new float[CLASSES];
            label[kind] = 1;
            images.add(new DataSet(Nd4j.createFromArray(new float[][]{pixels}),
                Nd4j.createFromArray(new float[][]{label})));
        }
        return new ListDataSetIterator<>(images, batch);
    }
}
