package io.slipstream.trainer.tasks;

/** The results of finished tasks, the same on every rank after each wave. */
public final class TaskResults
{
    private final byte[][] results;

    TaskResults(final int tasks)
    {
        results = new byte[tasks][];
    }

    public boolean has(final int id)
    {
        return results[id] != null;
    }

    /** The result of a finished task; fails if it has not run, which would be a graph bug. */
    public byte[] get(final int id)
    {
        final byte[] r = results[id];
        if (r == null)
        {
            throw new IllegalStateException("task " + id + " has no result yet; it is missing from the dependencies");
        }
        return r;
    }

    /** The result of a finished task, decoded by {@code codec}. */
    public <T> T get(final int id, final ResultCodec<T> codec)
    {
        return codec.decode(get(id));
    }

    void put(final int id, final byte[] result)
    {
        results[id] = result;
    }
}
