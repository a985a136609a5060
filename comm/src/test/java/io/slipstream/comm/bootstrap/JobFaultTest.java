package io.slipstream.comm.bootstrap;

import io.slipstream.comm.CommException;
import io.slipstream.comm.PeerLostException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The first fault wins, names its rank, and ends a joining thread's blocking wait at once. */
class JobFaultTest
{
    @Test
    void faultInterruptsTheJoiningThreadOnceAndOnlyWhileAsked() throws Exception
    {
        final JobFault fault = new JobFault();
        final CountDownLatch waiting = new CountDownLatch(1);
        final boolean[] woken = new boolean[1];
        final Thread joiner = new Thread(() ->
        {
            try
            {
                waiting.countDown();
                Thread.sleep(60_000);
            }
            catch (final InterruptedException ex)
            {
                woken[0] = true;
            }
        });
        fault.interruptOnFault(joiner);
        joiner.start();
        assertTrue(waiting.await(10, TimeUnit.SECONDS));
        fault.peerLost(0, "its connection closed");
        fault.failed("a later failure");
        joiner.join(10_000);
        assertFalse(joiner.isAlive(), "a fault ends the joining thread's wait");
        assertTrue(woken[0]);
        assertTrue(fault.stopInterrupting(), "the fault says it interrupted");
        assertFalse(fault.stopInterrupting(), "only once");

        final CommException ex = fault.toException(1, "connect", 0);
        final PeerLostException lost = assertInstanceOf(PeerLostException.class, ex);
        assertEquals(0, lost.lostRank());
        assertTrue(ex.getMessage().contains("rank 0 was lost"), ex.getMessage());
    }

    @Test
    void noInterruptAfterJoining()
    {
        final JobFault fault = new JobFault();
        fault.interruptOnFault(Thread.currentThread());
        assertFalse(fault.stopInterrupting());
        fault.peerLost(2, "its data stream closed");
        assertFalse(Thread.interrupted(), "a fault after joining leaves the thread alone");
    }

    @Test
    void faultAlreadySetInterruptsAtOnce()
    {
        final JobFault fault = new JobFault();
        fault.aborted(3, "bad input", false);
        fault.interruptOnFault(Thread.currentThread());
        assertTrue(fault.stopInterrupting());
        assertTrue(Thread.interrupted());
    }
}
