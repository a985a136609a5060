package io.slipstream.trainer.report;

/**
 * Facts of the run besides the search's results: the nodes its ranks ran on, the seconds spent loading the data,
 * the seconds of the whole search (cross-validation fits with their scheduling, the refit, the evaluation and the
 * save; the summary splits the refit and evaluation out), and the data.
 */
public record RunFacts(int nodes, double loadSeconds, double searchRunSeconds, DataFacts data)
{
    public RunFacts
    {
        if (nodes < 1 || loadSeconds < 0 || searchRunSeconds < 0 || data == null)
        {
            throw new IllegalArgumentException("run facts need nodes >= 1, seconds >= 0 and the data facts, not " +
                nodes + " node(s), " + loadSeconds + " s, " + searchRunSeconds + " s, " + data);
        }
    }
}
