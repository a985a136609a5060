package io.slipstream.launcher.job;

/** What one rank runs for a job spec. Every rank of the world calls {@link #run} with its own context. */
public interface Job
{
    /** Returns the process exit code (0 on success). Problems the user must fix are thrown as exceptions. */
    int run(JobContext context) throws Exception;
}
