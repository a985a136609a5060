package io.slipstream.comm;

import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThreadRanksTest
{
    @Test
    void aTakenCoordinatorPortFailsFastWithoutStrandingTheOtherRanks() throws Exception
    {
        try (ServerSocket squatter = new ServerSocket(0))
        {
            final int port = squatter.getLocalPort();
            final long start = System.nanoTime();
            // The squatter accepts connections and never speaks: ranks 1 and 2 give up on it after the 5 s
            // handshake timeout, then stop because rank 0 could not start; three attempts, none waits 60 s.
            final CommException ex = assertTimeoutPreemptively(Duration.ofSeconds(50), () -> assertThrows(
                CommException.class, () -> ThreadRanks.run(3,
                    (rank, builder) -> builder.coordinator("127.0.0.1", port).deadline(Duration.ofSeconds(60)),
                    Duration.ofSeconds(45), (comm) -> { })));
            assertTrue(ex.getMessage().contains("cannot listen on coordinator port " + port), ex.getMessage());
            final long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertTrue(seconds < 30, "the other ranks stop waiting for a coordinator that cannot start: " + seconds);
        }
    }
}
