package io.slipstream.trainer.tasks;

/**
 * How ranks share an experiment's tasks: {@code SERIAL} (world rank 0 runs everything), {@code PARALLEL}
 * (every rank is a group of one and runs whole tasks), {@code HYBRID} (groups of G ranks; each fit runs
 * across its group, data- or tree-parallel).
 */
public enum ExecutionMode
{
    SERIAL, PARALLEL, HYBRID
}
