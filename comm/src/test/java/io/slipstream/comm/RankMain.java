package io.slipstream.comm;

/**
 * A rank process for {@link ProcessRanks} tests. Scenarios: {@code collectives} runs the full check and exits 0;
 * {@code loop} allreduces until something fails and exits 3 printing {@code LOST <rank>} on a lost peer.
 */
public final class RankMain
{
    private RankMain()
    {
    }

    public static void main(final String[] args)
    {
        final CommConfig config = CommConfig.builder().fromEnvironment(System.getenv())
            .deadline(java.time.Duration.ofSeconds(Long.parseLong(args.length > 1 ? args[1] : "60"))).build();
        try (Communicator comm = Comm.connect(config))
        {
            if ("loop".equals(args[0]))
            {
                final float[] data = new float[4096];
                System.out.println("READY " + comm.rank());
                System.out.flush();
                for (long i = 0; ; i++)
                {
                    comm.allreduce(data, ReduceOp.SUM);
                }
            }
            CollectivesTest.checkAll(comm);
            System.out.println("OK " + comm.rank());
        }
        catch (final PeerLostException ex)
        {
            System.out.println("LOST " + ex.lostRank() + " " + ex.getMessage());
            System.out.flush();
            System.exit(3);
        }
        catch (final Throwable ex)
        {
            ex.printStackTrace(System.out);
            System.out.flush();
            System.exit(2);
        }
        System.exit(0);
    }
}
