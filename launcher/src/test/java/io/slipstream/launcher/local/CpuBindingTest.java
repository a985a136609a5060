package io.slipstream.launcher.local;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class CpuBindingTest
{
    @Test
    void kernelCpuListsAreRead()
    {
        assertEquals(List.of(0, 1, 2, 3, 8, 10, 11), CpuBinding.parse(" 0-3,8,10-11\n"));
        assertEquals(List.of(5), CpuBinding.parse("5"));
        assertEquals(List.of(), CpuBinding.parse("0-x"));
        assertEquals(List.of(), CpuBinding.parse("3-1"));
        assertEquals(List.of(), CpuBinding.parse(""));
    }

    @Test
    void eachRankGetsAContiguousShare()
    {
        assertArrayEquals(new String[]{"0", "1"}, CpuBinding.plan(2, List.of(0, 1)));
        assertArrayEquals(new String[]{"0,1", "2,3"}, CpuBinding.plan(2, List.of(0, 1, 2, 3)));
        assertArrayEquals(new String[]{"0,1", "2,3,4", "5,6,7"}, CpuBinding.plan(3, List.of(0, 1, 2, 3, 4, 5, 6, 7)));
        assertArrayEquals(new String[]{"4", "6"}, CpuBinding.plan(2, List.of(4, 6)));
    }

    @Test
    void moreRanksThanCpusStayUnbound()
    {
        assertNull(CpuBinding.plan(3, List.of(0, 1)));
        assertNull(CpuBinding.plan(1, List.of()));
    }

    @Test
    void aLoneRankCanTakeTheShareOfOneOfNRanks()
    {
        final String[] two = CpuBinding.forLocalRanks(2, null);
        final String[] one = CpuBinding.forLocalRanks(1, 2, null);
        assertEquals(two == null, one == null);
        if (one != null)
        {
            assertArrayEquals(new String[]{two[0]}, one);
        }
    }
}
