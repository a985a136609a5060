package io.slipstream.trainer.tasks;

/** The steps of an experiment, in dependency order. */
public enum TaskKind
{
    /** Fit one setting on one fold's training rows and score it on the fold's validation rows. */
    FIT_SCORE,
    /** Combine one setting's fold scores (mean, std). */
    AGGREGATE,
    /** Pick the best setting and refit it on the whole training set. */
    REFIT,
    /** Score the refitted model on the test set. */
    EVALUATE,
    /** Write the refitted model to the run directory. */
    SAVE;

    /**
     * True when the result is plain data that stays valid for a rerun of the same job (a journal may keep
     * it); false when the task also leaves state in the group's memory (the refitted model) that later
     * tasks need, so a resumed job runs it again.
     */
    public boolean durable()
    {
        return this == FIT_SCORE || this == AGGREGATE;
    }
}
