package io.slipstream.trainer.cv;

import java.util.List;
import java.util.Map;

/**
 * Cross-validation results like scikit-learn's {@code cv_results_}: per setting the fold scores, their
 * mean and population standard deviation, fit times, and the rank of the mean (1 = best; equal means share
 * the lowest rank). The best setting is the first with rank 1.
 */
public final class CvTable
{
    private final List<Map<String, Object>> settings;
    private final double[][] scores;
    private final double[][] fitSeconds;
    private final double[][] scoreSeconds;
    private final double[] mean;
    private final double[] std;
    private final int[] rank;

    public CvTable(final List<Map<String, Object>> settings, final double[][] scores, final double[][] fitSeconds,
        final double[][] scoreSeconds)
    {
        this.settings = List.copyOf(settings);
        this.scores = scores;
        this.fitSeconds = fitSeconds;
        this.scoreSeconds = scoreSeconds;
        final int n = settings.size();
        mean = new double[n];
        std = new double[n];
        for (int s = 0; s < n; s++)
        {
            mean[s] = mean(scores[s]);
            std[s] = std(scores[s]);
        }
        rank = new int[n];
        for (int s = 0; s < n; s++)
        {
            int better = 0;
            for (int o = 0; o < n; o++)
            {
                if (mean[o] > mean[s] || (Double.isNaN(mean[s]) && !Double.isNaN(mean[o])))
                {
                    better++;
                }
            }
            rank[s] = better + 1;
        }
    }

    public int settingCount()
    {
        return settings.size();
    }

    public int folds()
    {
        return scores.length == 0 ? 0 : scores[0].length;
    }

    public Map<String, Object> setting(final int s)
    {
        return settings.get(s);
    }

    public List<Map<String, Object>> settings()
    {
        return settings;
    }

    public double score(final int s, final int fold)
    {
        return scores[s][fold];
    }

    public double fitSeconds(final int s, final int fold)
    {
        return fitSeconds[s][fold];
    }

    public double scoreSeconds(final int s, final int fold)
    {
        return scoreSeconds[s][fold];
    }

    public double meanFitSeconds(final int s)
    {
        return mean(fitSeconds[s]);
    }

    public double stdFitSeconds(final int s)
    {
        return std(fitSeconds[s]);
    }

    public double meanScoreSeconds(final int s)
    {
        return mean(scoreSeconds[s]);
    }

    public double meanScore(final int s)
    {
        return mean[s];
    }

    public double stdScore(final int s)
    {
        return std[s];
    }

    public int rank(final int s)
    {
        return rank[s];
    }

    public int bestIndex()
    {
        for (int s = 0; s < rank.length; s++)
        {
            if (rank[s] == 1)
            {
                return s;
            }
        }
        return 0;
    }

    public static double mean(final double[] values)
    {
        double sum = 0;
        for (final double v : values)
        {
            sum += v;
        }
        return sum / values.length;
    }

    /** Population standard deviation (numpy's default, as scikit-learn reports). */
    public static double std(final double[] values)
    {
        final double m = mean(values);
        double sum = 0;
        for (final double v : values)
        {
            sum += (v - m) * (v - m);
        }
        return Math.sqrt(sum / values.length);
    }
}
