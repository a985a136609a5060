package io.slipstream.trainer.cluster;

import io.slipstream.comm.Communicator;
import io.slipstream.comm.ReduceOp;
import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.data.Seeds;
import io.slipstream.trainer.metrics.Silhouette;
import io.slipstream.trainer.model.FitContext;
import io.slipstream.trainer.model.ClustererFamily;
import io.slipstream.trainer.model.DataShape;
import io.slipstream.trainer.search.Distribution;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code kmeans}: k-means++ initialisation (scikit-learn's greedy variant, seeded, computed alike on every
 * rank) and distributed Lloyd iterations: each rank of the group assigns its contiguous block of rows and
 * the centroid sums, counts and inertia are allreduced (SUM) in one array per iteration, so the group moves
 * the centroids together. Stops when the total squared centroid shift is at most {@code tol} times the
 * mean feature variance, or after {@code max_iter} iterations. An empty cluster keeps its centroid.
 * Labels are ignored.
 */
public final class KMeansFamily implements ClustererFamily<KMeansParams>
{
    public static final String NAME = "kmeans";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public KMeansParams parameters(final Map<String, Object> setting, final DataShape shape)
    {
        return KMeansParams.from(setting, Math.max(shape.rows(), 1));
    }

    /** Distance evaluations: rows x features x clusters x restarts x (at most 50) iterations. */
    @Override
    public double cost(final KMeansParams p, final DataShape shape)
    {
        return (double)shape.rows() * shape.features() * p.clusters() * p.nInit() * Math.min(p.maxIter(), 50);
    }

    @Override
    public Map<String, Distribution> autoSpace()
    {
        return Map.of("n_clusters", new Distribution.Range(2, 10, false, true));
    }

    @Override
    public KMeansModel fit(final Dataset train, final KMeansParams p, final FitContext context)
    {
        if (p.clusters() > train.size())
        {
            throw new IllegalArgumentException("n_clusters " + p.clusters() + " exceeds the " + train.size() +
                " rows of this fit; use at most " + train.size());
        }
        final double[][] rows = rowsOf(train);
        final Communicator group = context.group();
        final int from = group.blockStart(rows.length, group.rank());
        final int to = group.blockStart(rows.length, group.rank() + 1);
        final double tolerance = p.tol() * meanVariance(rows);
        KMeansModel best = null;
        for (int init = 0; init < p.nInit(); init++)
        {
            final double[][] initial = plusPlus(rows, p.clusters(), new SplittableRandom(Seeds.derive(context.seed(),
                init)));
            final KMeansModel model = lloyd(rows, from, to, initial, group, p.maxIter(), tolerance);
            if (best == null || model.inertia() < best.inertia())
            {
                best = model;
            }
        }
        return best;
    }

    /**
     * Lloyd iterations from {@code initial} where this rank holds rows {@code [from, to)}; every rank of
     * {@code group} calls it with its own block and gets the same model.
     */
    public static KMeansModel lloyd(final double[][] rows, final int from, final int to, final double[][] initial,
        final Communicator group, final int maxIter, final double tolerance)
    {
        final int k = initial.length;
        final int features = initial[0].length;
        final double[][] centroids = new double[k][];
        for (int c = 0; c < k; c++)
        {
            centroids[c] = initial[c].clone();
        }
        final double[] sums = new double[k * features + k + 1];
        int iterations = 0;
        while (iterations < maxIter)
        {
            iterations++;
            accumulate(rows, from, to, centroids, sums, features);
            if (group.size() > 1)
            {
                group.allreduce(sums, ReduceOp.SUM);
            }
            double shift = 0;
            for (int c = 0; c < k; c++)
            {
                final double count = sums[k * features + c];
                if (count == 0)
                {
                    continue;
                }
                for (int f = 0; f < features; f++)
                {
                    final double updated = sums[c * features + f] / count;
                    final double d = updated - centroids[c][f];
                    shift += d * d;
                    centroids[c][f] = updated;
                }
            }
            if (shift <= tolerance)
            {
                break;
            }
        }
        accumulate(rows, from, to, centroids, sums, features);
        final double[] inertia = {sums[k * features + k]};
        if (group.size() > 1)
        {
            group.allreduce(inertia, ReduceOp.SUM);
        }
        return new KMeansModel(centroids, inertia[0], iterations);
    }

    private static void accumulate(final double[][] rows, final int from, final int to, final double[][] centroids,
        final double[] sums, final int features)
    {
        final int k = centroids.length;
        Arrays.fill(sums, 0.0);
        for (int i = from; i < to; i++)
        {
            final double[] row = rows[i];
            final int c = KMeansModel.nearest(centroids, row);
            final int base = c * features;
            for (int f = 0; f < features; f++)
            {
                sums[base + f] += row[f];
            }
            sums[k * features + c] += 1.0;
            sums[k * features + k] += Silhouette.squaredDistance(row, centroids[c]);
        }
    }

    /** scikit-learn's greedy k-means++: each new centroid is the best of 2 + ln(k) D^2-weighted draws. */
    public static double[][] plusPlus(final double[][] rows, final int k, final SplittableRandom random)
    {
        final int n = rows.length;
        final double[][] centroids = new double[k][];
        centroids[0] = rows[random.nextInt(n)].clone();
        final double[] closest = new double[n];
        final double[] candidateDistance = new double[n];
        final double[] bestDistance = new double[n];
        double potential = 0;
        for (int i = 0; i < n; i++)
        {
            closest[i] = Silhouette.squaredDistance(rows[i], centroids[0]);
            potential += closest[i];
        }
        final int trials = 2 + (int)Math.log(k);
        for (int c = 1; c < k; c++)
        {
            int bestCandidate = -1;
            double bestPotential = Double.POSITIVE_INFINITY;
            for (int t = 0; t < trials; t++)
            {
                final int candidate = draw(closest, potential * random.nextDouble());
                double candidatePotential = 0;
                for (int i = 0; i < n; i++)
                {
                    candidateDistance[i] = Math.min(closest[i], Silhouette.squaredDistance(rows[i], rows[candidate]));
                    candidatePotential += candidateDistance[i];
                }
                if (candidatePotential < bestPotential)
                {
                    bestPotential = candidatePotential;
                    bestCandidate = candidate;
                    System.arraycopy(candidateDistance, 0, bestDistance, 0, n);
                }
            }
            centroids[c] = rows[bestCandidate].clone();
            System.arraycopy(bestDistance, 0, closest, 0, n);
            potential = bestPotential;
        }
        return centroids;
    }

    /** The first row whose cumulative weight exceeds {@code target} (the last row if rounding overshoots). */
    private static int draw(final double[] weights, final double target)
    {
        double cumulative = 0;
        for (int i = 0; i < weights.length; i++)
        {
            cumulative += weights[i];
            if (cumulative > target)
            {
                return i;
            }
        }
        return weights.length - 1;
    }

    static double[][] rowsOf(final Dataset data)
    {
        final double[][] rows = new double[data.size()][];
        for (int i = 0; i < rows.length; i++)
        {
            rows[i] = data.row(i);
        }
        return rows;
    }

    private static double meanVariance(final double[][] rows)
    {
        final int n = rows.length;
        final int features = rows[0].length;
        double total = 0;
        for (int f = 0; f < features; f++)
        {
            double mean = 0;
            for (final double[] row : rows)
            {
                mean += row[f];
            }
            mean /= n;
            double variance = 0;
            for (final double[] row : rows)
            {
                final double d = row[f] - mean;
                variance += d * d;
            }
            total += variance / n;
        }
        return total / features;
    }
}
