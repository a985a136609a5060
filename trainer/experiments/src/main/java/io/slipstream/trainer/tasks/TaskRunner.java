package io.slipstream.trainer.tasks;

import io.slipstream.comm.Communicator;

/**
 * Runs one task on every rank of the group it was assigned to. Returns the task's result bytes (the
 * group leader's are kept, so every member must return the same); throws to report a failure.
 */
public interface TaskRunner
{
    byte[] run(Task task, Communicator group, TaskResults results) throws Exception;
}
