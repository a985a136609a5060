package io.slipstream.trainer.onnx;

/**
 * Turns a double split threshold into the float32 one an ONNX tree node carries, so that a float32 runtime
 * routes rows as Slipstream does.
 *
 * <p>Slipstream sends a row left when {@code x <= t}, comparing doubles. ONNX Runtime compares a float32 feature
 * against a float32 threshold. Rounding {@code t} to the nearest float (a plain {@code (float)t} cast) can round
 * it up, past a float feature value {@code x > t}, which would then go left in ONNX but right in Slipstream; a
 * midpoint between two adjacent floats rounds up for half of them. The rule used instead: <b>the exported threshold
 * is the largest float32 {@code f} with {@code f <= t}</b> (the cast, stepped down one ulp when it rounded up).
 * Then for every float32-representable feature value {@code x}, including the infinities, {@code x <= t} in
 * double holds exactly when {@code x <= f} in float32: any float at most {@code t} is at most {@code f}, the
 * largest such float, and any float at most {@code f} is at most {@code t}. A NaN feature fails both comparisons
 * and goes right in both; a NaN threshold stays NaN.
 *
 * <p>Feature values that are not float32-representable are rounded when they are converted to a float input
 * tensor, before any threshold sees them; for those the guarantee is about the rounded value.
 */
public final class Float32Thresholds
{
    private Float32Thresholds()
    {
    }

    /** The largest float32 at most {@code threshold}: {@code x <= threshold} and {@code x <= result} agree on floats. */
    public static float lessOrEqual(final double threshold)
    {
        final float nearest = (float)threshold;
        return nearest > threshold ? Math.nextDown(nearest) : nearest;
    }
}
