package io.slipstream.launcher.spec;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrintableTest
{
    @Test
    void controlCharactersAreEscapedSoALineCannotBeSplitOrForged()
    {
        assertEquals("a\\nslipstream: rank 1 failed: x", Printable.of("a\nslipstream: rank 1 failed: x"));
        assertEquals("\\r\\t\\u001b[31m\\u0000\\u2028\\u202e", Printable.of("\r\t\u001b[31m\u0000\u2028\u202e"));
        assertEquals("plain text, ünïcode", Printable.of("plain text, ünïcode"));
        assertEquals("null", Printable.of(null));
    }

    @Test
    void longValuesAreCutSayingHowMuchWasLeftOut()
    {
        final String shown = Printable.of("x".repeat(Printable.MAX_CHARS + 50));
        assertTrue(shown.endsWith("...(50 more characters)"), shown);
        assertEquals(Printable.MAX_CHARS + "...(50 more characters)".length(), shown.length());
        assertEquals("x".repeat(5000), Printable.line("x".repeat(5000)), "a whole line is escaped, never cut");
    }
}
