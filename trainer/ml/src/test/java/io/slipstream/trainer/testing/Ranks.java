package io.slipstream.trainer.testing;

import io.slipstream.comm.Comm;
import io.slipstream.comm.Communicator;
import io.slipstream.comm.ThreadRanks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/** Runs a body on N ranks of a real comm world (threads of this JVM) and returns each rank's result. */
public final class Ranks
{
    private Ranks()
    {
    }

    public static <T> List<T> run(final int size, final Function<Communicator, T> body)
    {
        final AtomicReferenceArray<T> results = new AtomicReferenceArray<T>(size);
        ThreadRanks.run(size, comm -> results.set(comm.rank(), body.apply(comm)));
        final List<T> out = new ArrayList<>();
        for (int r = 0; r < size; r++)
        {
            out.add(results.get(r));
        }
        return out;
    }

    /** A world of one rank. */
    public static Communicator solo()
    {
        return Comm.self();
    }
}
