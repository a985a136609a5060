package io.slipstream.launcher.spec;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValueTextTest
{
    private static String refusal(final Runnable parse)
    {
        return assertThrows(IllegalStateException.class, parse::run).getMessage();
    }

    @Test
    void wholeNumbersInRangeAndOneLineRefusals()
    {
        assertEquals(42, ValueText.integer("--seed", " 42 ", 0, 100, IllegalStateException::new));
        assertEquals("--seed 'x' is not a whole number",
            refusal(() -> ValueText.integer("--seed", "x", 0, 100, IllegalStateException::new)));
        assertEquals("-n 0 is out of range; allowed 1..1024",
            refusal(() -> ValueText.integer("-n", "0", 1, 1024, IllegalStateException::new)));
        assertEquals("5 is out of range; allowed 1..3",
            refusal(() -> ValueText.inRange("", 5, 1, 3, IllegalStateException::new)));
        assertEquals("k 'a\\nb' is not a whole number",
            refusal(() -> ValueText.wholeNumber("k", "a\nb", IllegalStateException::new)));
    }

    @Test
    void durations()
    {
        assertEquals(TimeUnit.MILLISECONDS.toNanos(500),
            ValueText.durationNanos("d", "500ms", 1, IllegalStateException::new));
        assertEquals(TimeUnit.SECONDS.toNanos(90), ValueText.durationNanos("d", "90", 1, IllegalStateException::new));
        assertEquals(TimeUnit.MINUTES.toNanos(2), ValueText.durationNanos("d", "2m", 1, IllegalStateException::new));
        assertTrue(refusal(() -> ValueText.durationNanos("d", "2x", 1, IllegalStateException::new))
            .contains("unknown unit"));
        assertTrue(refusal(() -> ValueText.durationNanos("d", "soon", 1, IllegalStateException::new))
            .contains("is not a duration"));
        assertEquals("d '8d' has an unknown unit; use ms, s, m or h",
            refusal(() -> ValueText.durationNanos("d", "8d", 168, IllegalStateException::new)));
        assertEquals("d '169h' is out of range; allowed 1ms..7 days",
            refusal(() -> ValueText.durationNanos("d", "169h", 168, IllegalStateException::new)));
    }
}
