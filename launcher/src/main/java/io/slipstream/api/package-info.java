/**
 * Slipstream from a user's own Java program: {@link io.slipstream.api.Slipstream#join()} makes the process one rank
 * of the job that started it, and {@link io.slipstream.api.SlipstreamJob#train} trains the user's DL4J
 * {@code MultiLayerNetwork} or {@code ComputationGraph} data-parallel over all ranks, with checkpoints, resume,
 * {@code metrics.jsonl}, stop on SIGUSR1/SIGTERM (exit 3), early stopping and distributed evaluation. Start the
 * program with {@code slipstream local -n N --main CLASS} or, under SLURM, {@code srun slipstream run --main CLASS}.
 */
package io.slipstream.api;
