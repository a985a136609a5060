package io.slipstream.launcher.topology;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Expected outputs are what {@code scontrol show hostnames} (Slurm 22.05) prints for the same input. */
class HostlistTest
{
    @Test
    void expandsGroupsWithPaddingAndCommasInsideAndOutsideBrackets()
    {
        assertEquals(List.of("node01", "node02", "node03", "node04", "node07", "gpu-a1", "gpu-a2"),
            Hostlist.expand("node[01-04,07],gpu-a[1-2]"));
    }

    @Test
    void severalBracketGroupsExpandAsAProductLastFastest()
    {
        assertEquals(List.of("a1b3", "a1b4", "a2b3", "a2b4"), Hostlist.expand("a[1-2]b[3-4]"));
        assertEquals(List.of("rack1-n01", "rack1-n02", "rack2-n01", "rack2-n02"),
            Hostlist.expand("rack[1-2]-n[01-02]"));
    }

    @Test
    void widthComesFromTheLowBound()
    {
        assertEquals(List.of("n8", "n9", "n10"), Hostlist.expand("n[8-10]"));
        assertEquals(List.of("n08", "n09", "n10"), Hostlist.expand("n[08-10]"));
        assertEquals(List.of("n001", "n002", "n003"), Hostlist.expand("n[001-3]"));
        assertEquals(10, Hostlist.expand("n[1-010]").size());
        assertEquals(List.of("n1", "n3", "n4", "n02"), Hostlist.expand("n[1,3-4,02]"));
    }

    @Test
    void plainNamesAndDuplicatesAreKept()
    {
        assertEquals(List.of("x", "y1", "z"), Hostlist.expand("x,y[1],z"));
        assertEquals(List.of("a-1", "a-2"), Hostlist.expand("a-[1-2]"));
        assertEquals(List.of("1", "2"), Hostlist.expand("[1-2]"));
        assertEquals(List.of("n1", "n2"), Hostlist.expand("n[1-2],"));
        assertEquals(List.of("n1", "n2", "n3", "n2"), Hostlist.expand("n[1-3,2]"));
        assertEquals(List.of("n1", "n1"), Hostlist.expand("n1,n1"));
        assertEquals(List.of("a", "b"), Hostlist.expand("a b"));
        assertTrue(Hostlist.expand("").isEmpty());
    }

    @Test
    void refusesWhatDoesNotParseNamingTheInput()
    {
        for (final String bad : List.of("bad[1-", "n[3-1]", "n[a-b]", "n[]", "n]1", "n[[1]]", "n[1-]", "n[,1]", "a[1-2]b",
            "n[1-2]-[5-6]x"))
        {
            final TopologyException ex = assertThrows(TopologyException.class, () -> Hostlist.expand(bad), bad);
            assertTrue(ex.getMessage().contains("'" + bad + "'"), ex.getMessage());
        }
    }

    @Test
    void aListLargerThanTheLimitIsCountedNotExpandedAndRefusedWithItsSize()
    {
        final long start = System.nanoTime();
        for (final String huge : List.of("n[0-999999]x[0-999999]", "n[0-999999999999999999]",
            "a[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]"))
        {
            final TopologyException ex = assertThrows(TopologyException.class, () -> Hostlist.expand(huge, 1000), huge);
            assertTrue(ex.getMessage().contains("the limit of 1000") && ex.getMessage().contains("hosts") &&
                ex.getMessage().contains("SLIPSTREAM_MAX_HOSTS"), ex.getMessage());
        }
        assertTrue(ex("n[0-999999]x[0-999999]").contains("names 1000000000000 hosts"));
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "refusing must not expand");
        assertEquals(1_000_000_000_000L, Hostlist.count("n[0-999999]x[0-999999]"));
        assertEquals(Long.MAX_VALUE, Hostlist.count("n[0-999999999999999999][0-999999999999999999]"));
        assertEquals(7, Hostlist.count("node[01-04,07],gpu-a[1-2]"));
        assertEquals(1000, Hostlist.expand("n[000-999]", 1000).size(), "exactly the limit is allowed");
    }

    private static String ex(final String hostlist)
    {
        return assertThrows(TopologyException.class, () -> Hostlist.expand(hostlist, Hostlist.DEFAULT_MAX_HOSTS))
            .getMessage();
    }

    @Test
    void controlCharactersInAListAreEscapedInTheError()
    {
        final String message = ex("n[1-\nslipstream: rank 1 failed: x]".replace("\\n", "\n"));
        assertFalse(message.contains("\n"), message);
        assertTrue(message.contains("\\n"), message);
    }
}
