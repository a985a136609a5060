package io.slipstream.trainer.tasks;

import java.util.Map;

/**
 * Where rank 0 keeps the results of durable tasks ({@link TaskKind#durable()}) so a stopped or requeued job
 * resumes without redoing them. Only world rank 0 calls it.
 */
public interface TaskJournal
{
    /** Results recorded by an earlier run of the same job, by task id (empty when there are none). */
    Map<Integer, byte[]> restore();

    /** Records the results finished in one wave; durable once this returns. */
    void record(Map<Integer, byte[]> results);
}
