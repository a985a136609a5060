package io.slipstream.comm;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommConfigTest
{
    private static CommConfig.Builder valid()
    {
        return CommConfig.builder().rank(1).size(4).coordinator("10.0.0.1", 29500).jobId("job-7")
            .secret("0123456789abcdef0123".getBytes(StandardCharsets.UTF_8)).hostId("node1")
            .advertiseAddress("10.0.0.2");
    }

    private static void assertRejected(final CommConfig.Builder builder, final String... fragments)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, builder::build);
        for (final String fragment : fragments)
        {
            assertTrue(ex.getMessage().contains(fragment), "'" + ex.getMessage() + "' lacks '" + fragment + "'");
        }
    }

    @Test
    void validConfigKeepsItsValues()
    {
        final CommConfig config = valid().build();
        assertEquals(1, config.rank());
        assertEquals(CommConfig.DEFAULT_DEADLINE, config.deadline());
        assertEquals(IdleMode.BACKOFF, config.idleMode());
        assertEquals(TransportKind.AUTO, config.transport());
        assertEquals(32, config.secretKey().length, "only the digest is kept");
    }

    @Test
    void badFieldsAreNamedWithValueAndWhatIsAllowed()
    {
        assertRejected(valid().rank(4), "CommConfig.rank", "4", "0 <= rank < size");
        assertRejected(valid().size(0), "CommConfig.size", "0");
        assertRejected(valid().coordinator("10.0.0.1", 70000), "coordinatorPort", "70000", "1..65535");
        assertRejected(valid().jobId(" "), "CommConfig.jobId");
        assertRejected(valid().secret(new byte[3]), "CommConfig.secret", "3 bytes", "SLIPSTREAM_SECRET");
        assertRejected(valid().hostId(null), "CommConfig.hostId");
        assertRejected(valid().termLength(3_000_000), "termLength", "3000000", "power of two");
        assertRejected(valid().mtu(1000), "CommConfig.mtu", "1000", "multiple of 32");
        assertRejected(valid().deadline(Duration.ZERO), "CommConfig.deadline", "PT0S");
        assertRejected(valid().smallMessageThreshold(-1), "smallMessageThreshold", "-1");
    }

    @Test
    void theUdpMtuFollowsTheAddressUnlessOneIsGiven()
    {
        assertEquals(CommConfig.AUTO_MTU, valid().build().mtu());
        assertEquals(CommConfig.DEFAULT_MTU, valid().build().proposedMtu(), "a routed address: 8 KiB frames");
        assertEquals(CommConfig.MAX_MTU, valid().advertiseAddress("127.0.0.3").build().proposedMtu(),
            "loopback carries 64 KiB datagrams");
        assertEquals(CommConfig.MAX_MTU, valid().advertiseAddress("::1").build().proposedMtu());
        assertEquals(8192, valid().advertiseAddress("127.0.0.1").termLength(64 * 1024).build().proposedMtu(),
            "never more than an eighth of a term");
        assertEquals(4096, valid().advertiseAddress("127.0.0.1").mtu(4096).build().proposedMtu(), "asked for");
    }

    @Test
    void secretNeverAppearsInText()
    {
        final CommConfig config = valid().build();
        assertFalse(config.toString().contains("0123456789abcdef"));
        assertTrue(config.toString().contains("secret=<hidden>"));
    }

    @Test
    void checksumsSwitchIsReadFromTheEnvironment()
    {
        assertFalse(valid().build().checksums(), "off by default");
        for (final String on : new String[]{"1", "true", "ON", " on "})
        {
            assertTrue(valid().switchesFrom(Map.of(CommConfig.ENV_CHECKSUMS, on)).build().checksums(), on);
        }
        for (final String off : new String[]{"0", "false", "Off"})
        {
            assertFalse(valid().checksums(true).switchesFrom(Map.of(CommConfig.ENV_CHECKSUMS, off)).build()
                .checksums(), off);
        }
        assertTrue(valid().checksums(true).switchesFrom(Map.of()).build().checksums(), "absent keeps the value");
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> valid().switchesFrom(Map.of(CommConfig.ENV_CHECKSUMS, "yes")));
        assertEquals("SLIPSTREAM_CHECKSUMS: 'yes' is not allowed; use 1, true or on to checksum every frame, " +
            "or 0, false or off (the default)", ex.getMessage());
    }

    @Test
    void selfWorldCopiesAndSplits()
    {
        try (Communicator self = Comm.self())
        {
            final float[] data = {1, 2};
            self.allreduce(data, ReduceOp.SUM);
            assertEquals(2, data[1]);
            assertEquals(1, self.split(0, 0).size());
            assertEquals(null, self.split(-1, 0));
            assertEquals("x", new String(self.allgatherBytes("x".getBytes())[0]));
        }
    }
}
