package io.slipstream.trainer.onnx;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Float32ThresholdsTest
{
    /** Every float within a few ulps of the threshold's float neighbours routes as the double comparison does. */
    private static void assertFaithful(final double t)
    {
        final float f = Float32Thresholds.lessOrEqual(t);
        assertTrue(f <= t, () -> "exported " + f + " exceeds " + t);
        assertTrue(Math.nextUp(f) > t, () -> "a larger float than " + f + " is still at most " + t);
        float x = (float)t;
        for (int i = 0; i < 4; i++)
        {
            x = Math.nextDown(x);
        }
        for (int i = 0; i < 9; i++, x = Math.nextUp(x))
        {
            final float row = x;
            assertEquals(row <= t, row <= f, () -> "x=" + row + " t=" + t + " exported=" + f);
        }
    }

    @Test
    void aMidpointOfAdjacentFloatsThatRoundsUpIsSteppedDown()
    {
        // 1 + 1 ulp has an odd mantissa, so the midpoint to the next float rounds (to even) up to that float.
        final float a = Math.nextUp(1.0f);
        final float b = Math.nextUp(a);
        final double t = a / 2.0 + b / 2.0;
        assertEquals(b, (float)t);
        assertTrue(b > t && b <= (float)t, "the plain cast would send b left where Slipstream sends it right");
        assertEquals(a, Float32Thresholds.lessOrEqual(t));
        assertFaithful(t);
    }

    @Test
    void floatThresholdsAreKept()
    {
        for (final float v : new float[]{0f, -0f, 1f, -2.5f, Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE})
        {
            assertEquals(v, Float32Thresholds.lessOrEqual(v));
        }
        assertEquals(Float.POSITIVE_INFINITY, Float32Thresholds.lessOrEqual(Double.POSITIVE_INFINITY));
        assertEquals(Float.NEGATIVE_INFINITY, Float32Thresholds.lessOrEqual(Double.NEGATIVE_INFINITY));
        assertTrue(Float.isNaN(Float32Thresholds.lessOrEqual(Double.NaN)));
    }

    @Test
    void thresholdsBeyondTheFloatRangeStayFaithful()
    {
        // Above the largest float every finite float goes left, and +inf right; below -MAX only -inf goes left.
        assertEquals(Float.MAX_VALUE, Float32Thresholds.lessOrEqual(1e39));
        assertEquals(Float.NEGATIVE_INFINITY, Float32Thresholds.lessOrEqual(-1e39));
        assertFaithful(1e39);
        assertFaithful(-1e39);
        assertFaithful(Float.MAX_VALUE * 1.0000001);
    }

    @Test
    void randomThresholdsRouteEveryNearbyFloatAsTheDoubleComparison()
    {
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++)
        {
            final double scale = Math.pow(10, random.nextInt(-40, 39));
            assertFaithful((random.nextDouble() * 2 - 1) * scale);
            // Midpoints between adjacent floats, the thresholds float data produces.
            final float a = (float)((random.nextDouble() * 2 - 1) * scale);
            assertFaithful(a / 2.0 + Math.nextUp(a) / 2.0);
        }
    }
}
