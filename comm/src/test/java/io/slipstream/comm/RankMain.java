package io.slipstream.comm;

/**
 * A rank process for {@link ProcessRanks} tests. Scenarios: {@code collectives} runs the full check and exits 0;
 * {@code loop} allreduces until something fails and exits 3 printing {@code LOST <rank>} on a lost peer;
 * {@code count} runs 3000 checked allreduces for about two seconds, exits 0, or 4 printing {@code TIMEOUT <message>}
 * at its own deadline, or 5 printing {@code FAILED <message>} when another rank aborted the job.
 */
public final class RankMain
{
    private RankMain()
    {
    }

    public static void main(final String[] args)
    {
        final CommConfig config = ProcessRanks.rankConfig(System.getenv())
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
            if ("count".equals(args[0]))
            {
                final int[] data = new int[1024];
                System.out.println("READY " + comm.rank());
                System.out.flush();
                for (int i = 0; i < 3000; i++)
                {
                    data[7] = comm.rank() + i;
                    comm.allreduce(data, ReduceOp.SUM);
                    if (data[7] != comm.size() * i + comm.size() * (comm.size() - 1) / 2)
                    {
                        throw new IllegalStateException("wrong sum at iteration " + i + ": " + data[7]);
                    }
                    Thread.sleep(i % 3 == 0 ? 1 : 0);
                }
            }
            else
            {
                CollectivesTest.checkAll(comm);
            }
            System.out.println("OK " + comm.rank());
        }
        catch (final PeerLostException ex)
        {
            System.out.println("LOST " + ex.lostRank() + " " + ex.getMessage());
            System.out.flush();
            System.exit(3);
        }
        catch (final CommTimeoutException ex)
        {
            System.out.println("TIMEOUT " + ex.getMessage());
            System.out.flush();
            System.exit(4);
        }
        catch (final CommException ex)
        {
            System.out.println("FAILED " + ex.getMessage());
            System.out.flush();
            System.exit(5);
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
