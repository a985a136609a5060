package io.slipstream.launcher.topology;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnvReaderTest
{
    private static String refused(final Map<String, String> env)
    {
        return assertThrows(TopologyException.class, () -> EnvReader.checkAll(env)).getMessage();
    }

    @Test
    void countsMustBePositiveWholeNumbers()
    {
        for (final String bad : new String[]{"-4", "0", "x", "1e3", "99999999999"})
        {
            final String message = refused(Map.of("OMP_NUM_THREADS", bad));
            assertTrue(message.startsWith("OMP_NUM_THREADS"), message);
            assertTrue(message.contains("allowed 1.." + EnvReader.MAX_COUNT) ||
                message.contains("is not a whole number"), message);
        }
        assertDoesNotThrow(() -> EnvReader.checkAll(Map.of("OMP_NUM_THREADS", "4", "SLIPSTREAM_MAX_HOSTS", "10")));
        assertTrue(refused(Map.of("SLIPSTREAM_MAX_HOSTS", "-1")).startsWith("SLIPSTREAM_MAX_HOSTS -1 is out of range"));
    }

    @Test
    void namesThatBecomePathsAreChecked()
    {
        assertTrue(refused(Map.of("SLURM_JOB_ID", "../../../../../tmp/x")).contains("is not a usable name"));
        assertTrue(refused(Map.of("SLIPSTREAM_JOB_ID", "a/b")).contains("SLIPSTREAM_JOB_ID=a/b"));
        assertDoesNotThrow(() -> EnvReader.checkAll(Map.of("SLURM_JOB_ID", "4711", "SLIPSTREAM_JOB_ID",
            "local-12-ab_c.d@1+x:y")));
    }

    @Test
    void theOldNameOfTheAddressIsRefusedWithTheNewOne()
    {
        assertEquals("SLIPSTREAM_ADVERTISE_ADDRESS is set, but its name is now SLIPSTREAM_ADDR: export " +
                "SLIPSTREAM_ADDR=10.0.0.1 instead, and unset SLIPSTREAM_ADVERTISE_ADDRESS",
            refused(Map.of("SLIPSTREAM_ADVERTISE_ADDRESS", "10.0.0.1")));
    }

    @Test
    void aValueWithALineBreakCannotSplitTheErrorLine()
    {
        final String message = refused(Map.of("SLURM_JOB_ID", "1\nslipstream: rank 3 failed: forged"));
        assertTrue(!message.contains("\n") && message.contains("1\\nslipstream"), message);
    }

    @Test
    void everyVariableTheDetectorReadsIsRegistered()
    {
        for (final EnvKey key : EnvKey.values())
        {
            assertTrue(key.name().matches("[A-Za-z_]+") && !key.meaning().isBlank(), key.name());
        }
    }
}
