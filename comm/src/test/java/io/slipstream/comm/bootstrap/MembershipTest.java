package io.slipstream.comm.bootstrap;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The coordinator's membership, round, liveness and stall logic without sockets or media drivers. */
class MembershipTest
{
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private static MemberTable.Member member(final long now)
    {
        return new MemberTable.Member(() -> { }, new DataOutputStream(new ByteArrayOutputStream()), now);
    }

    @Test
    void aSlotIsTakenOnceAndARoundCompletesWithTheLastEntry() throws IOException
    {
        final MemberTable table = new MemberTable(2);
        final int[] welcomed = new int[1];
        assertTrue(table.join(0, member(0), () -> welcomed[0]++));
        assertFalse(table.join(0, member(0), () -> welcomed[0]++), "a rank joins once");
        assertEquals(1, welcomed[0], "only the rank that took the slot is welcomed");
        assertTrue(table.missingFrom(1).contains("rank(s) 1 have not joined"), table.missingFrom(1));
        assertTrue(table.join(1, member(0), () -> { }));
        assertNull(table.onRound(1, 7, new byte[] {9}));
        assertTrue(table.missingFrom(7).contains("rank(s) 0 joined but have not reached this step"));
        assertThrows(IOException.class, () -> table.onRound(1, 7, new byte[] {9}), "twice in one round");
        final DataInputStream full = new DataInputStream(new ByteArrayInputStream(table.onRound(0, 7, new byte[0])));
        assertEquals(7, full.readInt());
        assertEquals(2, full.readInt());
        assertEquals(0, full.readInt());
        assertEquals(1, full.readInt());
        assertEquals(9, full.readByte());
    }

    @Test
    void aRankGoesOnceAndOneThatLeftIsNoDeath()
    {
        final MemberTable table = new MemberTable(3);
        for (int r = 0; r < 3; r++)
        {
            assertDoesJoin(table, r);
        }
        table.left(1);
        assertFalse(table.gone(1), "a rank that left at the end is not lost");
        assertTrue(table.gone(2));
        assertFalse(table.gone(2), "told once");
        assertFalse(table.allLeft());
        table.left(0);
        assertTrue(table.allLeft());
        assertTrue(table.missingFrom(3).contains("rank(s) 0, 1, 2 joined but their connection closed"));
    }

    private static void assertDoesJoin(final MemberTable table, final int rank)
    {
        try
        {
            assertTrue(table.join(rank, member(0), () -> { }));
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
    }

    @Test
    void silenceIsMeasuredFromTheLastHeartbeat()
    {
        final MemberTable table = new MemberTable(2);
        assertEquals(-1, table.silentNanos(1, 5 * SECOND), "not joined");
        assertDoesJoin(table, 1);
        assertEquals(5 * SECOND, table.silentNanos(1, 5 * SECOND));
        table.heard(1, new ControlMessages.Heartbeat("fit", false, 0, 3, -1), 4 * SECOND);
        assertEquals(SECOND, table.silentNanos(1, 5 * SECOND));
        assertTrue(table.reached(1, 0, 3));
        assertFalse(table.reached(1, 0, 4));
        table.left(1);
        assertEquals(-1, table.silentNanos(1, 9 * SECOND), "left: never silent");
    }

    @Test
    void aWaitIsForWorkWhileTheMissingRankComputesOrWaitsForOneThatDoes()
    {
        final MemberTable table = new MemberTable(4);
        for (int r = 0; r < 4; r++)
        {
            assertDoesJoin(table, r);
        }
        final long now = 10 * SECOND;
        final StallInspector inspector = new StallInspector(table, 3 * SECOND);
        // Rank 1 computes; rank 2 waits in another collective for rank 1; rank 3 is at the collective.
        table.heard(1, new ControlMessages.Heartbeat("refit 4", false, 0, 4, -1), now);
        table.heard(2, new ControlMessages.Heartbeat("", true, 77, 2, 1), now);
        table.heard(3, new ControlMessages.Heartbeat("", true, 0, 5, 0), now);
        final ControlMessages.StallAnswer forRank1 =
            inspector.answer(0, new ControlMessages.StallQuery(0, 5, "allreduce", new int[] {0, 1, 3}), now);
        assertTrue(forRank1.working());
        assertEquals("1", forRank1.notArrived());
        assertTrue(forRank1.detail().contains("rank 1 is working (refit 4)"), forRank1.detail());
        final ControlMessages.StallAnswer chain =
            inspector.answer(0, new ControlMessages.StallQuery(0, 5, "allreduce", new int[] {0, 2}), now);
        assertTrue(chain.working(), "rank 2 waits for rank 1, which works");
        // Rank 1 falls silent: it is no longer working, and rank 2's wait is for nothing.
        final long later = now + 4 * SECOND;
        table.heard(2, new ControlMessages.Heartbeat("", true, 77, 2, 1), later);
        final ControlMessages.StallAnswer silent =
            inspector.answer(0, new ControlMessages.StallQuery(0, 5, "allreduce", new int[] {0, 1, 2}), later);
        assertFalse(silent.working());
        assertTrue(silent.detail().contains("rank 1 has been silent for 4000 ms"), silent.detail());
    }

    @Test
    void ranksWaitingForEachOtherAreNotWork()
    {
        final MemberTable table = new MemberTable(2);
        assertDoesJoin(table, 0);
        assertDoesJoin(table, 1);
        table.heard(1, new ControlMessages.Heartbeat("", true, 9, 1, 0), SECOND);
        final ControlMessages.StallAnswer answer =
            new StallInspector(table, 3 * SECOND).answer(0, new ControlMessages.StallQuery(0, 2, "broadcast",
                new int[] {0, 1}), SECOND);
        assertFalse(answer.working(), "rank 1 waits for the asking rank: a deadlock");
        assertEquals("1", answer.notArrived());
    }

    @Test
    void unprovenJoinsAreCappedOldestFirstAndTimeLimited()
    {
        final PendingJoins<String> pending = new PendingJoins<>(2, SECOND);
        assertNull(pending.admit("a", 0));
        assertNull(pending.admit("b", 10));
        assertEquals("a", pending.admit("c", 20), "at the cap the oldest goes");
        assertFalse(pending.done("a"));
        assertTrue(pending.done("b"));
        assertEquals(List.of(), pending.expired(SECOND));
        assertEquals(List.of("c"), pending.expired(SECOND + 21));
        assertEquals(0, pending.size());
    }

    @Test
    void messagesRoundTripAndMalformedOnesAreRefused() throws IOException
    {
        final ControlMessages.Heartbeat beat =
            new ControlMessages.Heartbeat("fold 2\nFAKE LINE", true, -5, 1L << 40, 3);
        final ControlMessages.Heartbeat read = ControlMessages.Heartbeat.decode(beat.encode());
        assertEquals("fold 2 FAKE LINE", read.label(), "a label stays on one line");
        assertEquals(new ControlMessages.Heartbeat("fold 2 FAKE LINE", true, -5, 1L << 40, 3), read);
        final ControlMessages.StallQuery query = new ControlMessages.StallQuery(4, 9, "barrier", new int[] {0, 2});
        final ControlMessages.StallQuery back = ControlMessages.StallQuery.decode(query.encode(), 3);
        assertArrayEquals(new int[] {0, 2}, back.members());
        assertThrows(IOException.class, () -> ControlMessages.StallQuery.decode(query.encode(), 2), "rank 2 of 2");
        final ControlMessages.StallAnswer answer = new ControlMessages.StallAnswer(1, 2, true, "3", "rank 3 works");
        assertEquals(answer, ControlMessages.StallAnswer.decode(answer.encode()));
        final ControlMessages.DeathNotice death = new ControlMessages.DeathNotice(2, "stopped");
        assertEquals(death, ControlMessages.DeathNotice.decode(death.encode()));
        final ControlMessages.AbortNotice abort = new ControlMessages.AbortNotice(1, true, "mismatch");
        assertEquals(abort, ControlMessages.AbortNotice.decode(abort.encode()));
        final ControlMessages.Refusal refusal = new ControlMessages.Refusal(true, "busy");
        assertEquals(refusal, ControlMessages.Refusal.decode(refusal.encode()));
        final byte[] cut = java.util.Arrays.copyOf(death.encode(), 6);
        assertThrows(IOException.class, () -> ControlMessages.DeathNotice.decode(cut));
        final byte[] lying = java.nio.ByteBuffer.allocate(8).putInt(1).putInt(Integer.MAX_VALUE).array();
        assertThrows(IOException.class, () -> ControlMessages.DeathNotice.decode(lying), "a length past the frame");
    }

    @Test
    void controlFramesAreBoundedBeforeAnythingIsAllocated() throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ControlFrames.write(new DataOutputStream(bytes), ControlFrames.HEARTBEAT, new byte[] {1, 2, 3});
        final ControlFrames.Frame frame =
            ControlFrames.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), 16);
        assertEquals(ControlFrames.HEARTBEAT, frame.type());
        assertArrayEquals(new byte[] {1, 2, 3}, frame.payload());
        final byte[] huge = java.nio.ByteBuffer.allocate(5).putInt(Integer.MAX_VALUE).put((byte)1).array();
        final IOException tooLong = assertThrows(IOException.class,
            () -> ControlFrames.read(new DataInputStream(new ByteArrayInputStream(huge)), 1024));
        assertTrue(tooLong.getMessage().contains("outside 1..1024"), tooLong.getMessage());
    }

    @Test
    void livenessFollowsTheDeadline()
    {
        assertEquals(new Liveness(1_000, 45_000), Liveness.forDeadline(java.time.Duration.ofSeconds(60)));
        assertEquals(new Liveness(250, 1_500), Liveness.forDeadline(java.time.Duration.ofSeconds(2)));
        assertEquals(new Liveness(50, 200), Liveness.forDeadline(java.time.Duration.ofMillis(100)));
    }
}
