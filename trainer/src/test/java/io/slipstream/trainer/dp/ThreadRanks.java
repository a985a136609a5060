package io.slipstream.trainer.dp;

import io.slipstream.comm.Communicator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Test fixture: runs N ranks as threads over comm's real Aeron world ({@link io.slipstream.comm.ThreadRanks})
 * and returns each rank's result in rank order.
 */
final class ThreadRanks
{
    private static final Duration LIMIT = Duration.ofMinutes(2);

    private ThreadRanks()
    {
    }

    interface RankBody<T>
    {
        T run(Communicator rank) throws Exception;
    }

    static <T> List<T> run(final int size, final RankBody<T> body)
    {
        final Object[] results = new Object[size];
        io.slipstream.comm.ThreadRanks.run(size, UnaryOperator.identity(), LIMIT,
            (comm) -> results[comm.rank()] = body.run(comm));
        final List<T> out = new ArrayList<>();
        for (final Object r : Arrays.asList(results))
        {
            @SuppressWarnings("unchecked") final T t = (T)r;
            out.add(t);
        }
        return out;
    }
}
