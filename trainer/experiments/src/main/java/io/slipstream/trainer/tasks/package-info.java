/**
 * Tasks with dependencies, costs and priorities, and the {@link io.slipstream.trainer.tasks.WaveScheduler}
 * that runs them over the ranks in waves planned by rank 0 (broadcast plan, allgathered results), in the
 * serial, parallel or hybrid {@link io.slipstream.trainer.tasks.ExecutionMode}, with retries, stop
 * requests and a journal for resuming.
 */
package io.slipstream.trainer.tasks;
