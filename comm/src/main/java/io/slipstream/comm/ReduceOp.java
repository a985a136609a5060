package io.slipstream.comm;

/** Element-wise reductions. */
public enum ReduceOp
{
    SUM, MAX, MIN
}
