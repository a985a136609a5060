package io.slipstream.launcher.workload;

import io.slipstream.launcher.spec.SpecNode;

/**
 * An injected failure, for testing how a world copes with one bad rank: at round {@code afterRounds}
 * rank {@code rank} exits with {@code exitCode} ({@code EXIT}: a clean return, shutdown hooks run),
 * halts without any clean-up ({@code HALT}: like a crash), or stops calling collectives ({@code HANG},
 * so the others hit their deadline).
 */
record FailurePlan(int rank, int afterRounds, How how, int exitCode)
{
    enum How
    {
        EXIT, HALT, HANG
    }

    static final FailurePlan NONE = new FailurePlan(-1, 0, How.EXIT, 0);

    static FailurePlan fromSpec(final SpecNode workload)
    {
        if (!workload.has("fail"))
        {
            return NONE;
        }
        final SpecNode fail = workload.child("fail").allowOnly("rank", "after_rounds", "how", "exit_code");
        final int rank = (int)fail.integer("rank", 0, 0, Integer.MAX_VALUE);
        final int afterRounds = (int)fail.integer("after_rounds", 0, 0, Integer.MAX_VALUE);
        final How how = How.valueOf(fail.choice("how", "exit", "exit", "halt", "hang").toUpperCase());
        final int exitCode = (int)fail.integer("exit_code", 7, 1, 255);
        return new FailurePlan(rank, afterRounds, how, exitCode);
    }

    /** True when this rank should fail now. */
    boolean firesAt(final int myRank, final int round)
    {
        return rank == myRank && round == afterRounds;
    }
}
