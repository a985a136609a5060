package io.slipstream.launcher.fault;

import io.slipstream.launcher.local.CommandRun;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Issue 7's kill -9 suite: each trial starts the {@link FaultJob} on 2 ranks, SIGKILLs a random rank at a
 * random moment of training, or, every {@value #START_UP_EVERY}th trial, of start-up (the JVM starting, the
 * ranks joining comm's world, ND4J loading), and checks that the job ends non-zero within a bound naming the dead
 * rank (no hang): some trials run under {@code local}, which must name it; the others start the ranks as srun
 * would, and the surviving rank must notice and name it itself. Then every checkpoint on disk must be intact, a
 * second run in the same run directory must resume and end with the model coefficients of an uninterrupted
 * run (bit for bit), and no process or /dev/shm driver directory of the job may be left. {@code main} is the
 * long version ({@code launcher/scripts/fault-kill-rank.sh}); {@link KillRankIT} runs a handful of trials in CI.
 */
final class KillRankTrials
{
    /**
     * Training kills land uniformly in this window after training began (rank 0 printed its compute line): the
     * three fits, their checkpoints and the save take ~8 s on 2 loaded cores, so a few kills land after the end.
     * On a quiet machine training ends sooner: shorten the window with {@code -Dslipstream.fault.windowMs} so that
     * kills land while the job runs. Start-up kills: {@link #START_UP_EVERY}.
     */
    private static final long KILL_WINDOW_MS = Long.getLong("slipstream.fault.windowMs", 9_000);
    /**
     * Every this many trials, the last kills during start-up instead: at a uniform moment in the first two thirds
     * of the fastest start-up seen so far (from the ranks' start to training, in the reference run and the training
     * trials; the first, cold run is the slowest), so nearly all land before training, and the joining of comm's
     * world, early in that time, is well covered. Start-up trials alternate between srun-style ranks and
     * {@code local}.
     */
    static final int START_UP_EVERY = 4;
    private static final String TRAINING_BEGAN = "compute: ND4J";
    /** How long after the kill {@code local} may take to exit before the trial counts as a hang. */
    private static final long EXIT_BOUND_SECONDS = 60;

    /** The figures of a series of trials. */
    record Tally(int trials, int faultsInjected, int startUpKills, int hangs, int lostCheckpoints, int resumesEqual,
        int processesLeft, int driverDirectoriesLeft, double slowestExitSeconds, List<String> problems)
    {
        boolean passed()
        {
            return hangs == 0 && lostCheckpoints == 0 && resumesEqual == trials && processesLeft == 0 &&
                driverDirectoriesLeft == 0 && problems.isEmpty();
        }

        String summary()
        {
            return String.format("trials run: %d%nfaults injected: %d (%d of them during start-up, before " +
                "training began)%nhangs: %d%nlost checkpoints: %d%nresumes equal: %d of %d%nprocesses left: %d%n" +
                "driver directories left in /dev/shm: %d%nslowest exit after a kill: %.1f s", trials, faultsInjected,
                startUpKills, hangs, lostCheckpoints, resumesEqual, trials, processesLeft, driverDirectoriesLeft,
                slowestExitSeconds);
        }
    }

    private KillRankTrials()
    {
    }

    /** Runs {@code trials} trials in fresh run directories under {@code base}; progress goes to {@code log}. */
    static Tally run(final Path base, final int trials, final long seed, final PrintStream log)
        throws IOException, InterruptedException
    {
        final FaultJob job = FaultJob.write(base);
        final Path reference = base.resolve("reference");
        final byte[] expected;
        final Counts counts = new Counts();
        try (CommandRun run = job.start(reference))
        {
            FaultJob.awaitRanks(run, 60);
            final long ranksStarted = System.nanoTime();
            run.awaitOutput("[rank 0] " + TRAINING_BEGAN, 90);
            counts.startedUp(ranksStarted);
            final int status = run.waitFor(FaultJob.RUN_SECONDS);
            if (status != 0)
            {
                throw new AssertionError("the uninterrupted reference run failed with " + status + ":\n" + run.output());
            }
            expected = FaultJob.coefficients(reference);
        }
        log.println("reference run: " + counts.fastestStartUpMs + " ms from its ranks' start to training");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int t = 0; t < trials; t++)
        {
            final Path runDir = base.resolve("trial-" + t);
            final boolean startUp = t % START_UP_EVERY == START_UP_EVERY - 1;
            final int victim = random.nextInt(FaultJob.RANKS);
            final long windowMs = startUp ? Math.max(1, counts.fastestStartUpMs * 2 / 3) : KILL_WINDOW_MS;
            final long delayMs = random.nextLong(windowMs);
            final boolean underLocal = startUp ? (t / START_UP_EVERY) % 2 == 1 : t % 2 == 0;
            final String trial = "trial " + t + " (" + (underLocal ? "local" : "srun-style ranks") + ", kill rank " +
                victim + " " + delayMs + " ms after " + (startUp ? "the ranks started, of a " + windowMs + " ms window" :
                "training began") + ")";
            final int problemsBefore = counts.problems.size();
            if (underLocal)
            {
                killUnderLocal(job, runDir, victim, delayMs, startUp, trial, counts);
            }
            else
            {
                killOneOfTheRanks(job, runDir, victim, delayMs, startUp, trial, counts);
            }
            final List<String> corrupt = FaultJob.corrupt(FaultJob.checkpoints(runDir));
            counts.lost += corrupt.size();
            if (!corrupt.isEmpty())
            {
                counts.problems.add(trial + ": checkpoints not intact after the kill: " + corrupt);
            }
            try (CommandRun resume = job.start(runDir))
            {
                final int status = resume.waitFor(FaultJob.RUN_SECONDS);
                driverDirectoryGone(FaultJob.jobIdOf(resume.output()), trial + " (resume)", counts);
                if (status == 0 && Arrays.equals(expected, FaultJob.coefficients(runDir)))
                {
                    counts.equal++;
                }
                else
                {
                    counts.problems.add(trial + ": the resumed run " + (status == 0 ?
                        "ended with other coefficients" : "failed with " + status) + ":\n" + resume.output());
                }
            }
            log.println(trial + ": " + (counts.problems.size() == problemsBefore ? "ok" :
                String.join("\n", counts.problems.subList(problemsBefore, counts.problems.size()))));
        }
        int swept = 0;
        for (final String dir : counts.killedDrivers)
        {
            swept += FaultJob.removeDriverDirectory(dir) ? 0 : 1;
        }
        log.println(counts.killedDrivers.size() + " driver directories of SIGKILLed srun-style drivers, " + swept +
            " of them swept by a later start (the rest, younger than the 30 s sweep grace, removed by this suite)");
        return new Tally(trials, counts.injected, counts.startUpKills, counts.hangs, counts.lost, counts.equal,
            counts.processesLeft, counts.shmLeft, counts.slowest, counts.problems);
    }

    /** Running figures of a series. */
    private static final class Counts
    {
        long fastestStartUpMs = Long.MAX_VALUE;
        int injected;
        int startUpKills;
        int hangs;
        int lost;
        int equal;
        int processesLeft;
        int shmLeft;
        double slowest;
        final List<String> problems = new ArrayList<>();
        final List<String> killedDrivers = new ArrayList<>();

        /** Training began now in a run whose ranks started at {@code ranksStartedNanos}. */
        void startedUp(final long ranksStartedNanos)
        {
            fastestStartUpMs = Math.min(fastestStartUpMs,
                Math.max(1, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - ranksStartedNanos)));
        }
    }

    /**
     * Under {@code local}: it must exit non-zero naming the killed rank and its signal. It stops the surviving
     * rank at once (SIGTERM), so the survivor may end before it sees the loss itself; the srun-style trials
     * check the survivor's own report. {@code startUp}: {@code delayMs} counts from the ranks' start, not training's.
     */
    private static void killUnderLocal(
        final FaultJob job, final Path runDir, final int victim, final long delayMs, final boolean startUp,
        final String trial, final Counts counts) throws IOException, InterruptedException
    {
        try (CommandRun local = job.start(runDir))
        {
            final long[] pids = FaultJob.awaitRanks(local, 60);
            final long ranksStarted = System.nanoTime();
            if (!startUp)
            {
                local.awaitOutput("[rank 0] " + TRAINING_BEGAN, 90);
                counts.startedUp(ranksStarted);
            }
            Thread.sleep(delayMs);
            final List<ProcessHandle> tree = local.tree();
            final int seen = local.output().length();
            final boolean beforeTraining = !local.output().contains(TRAINING_BEGAN);
            final boolean killed = ProcessHandle.of(pids[victim]).map(ProcessHandle::destroyForcibly).orElse(false);
            final long killedAt = System.nanoTime();
            if (!local.process().waitFor(EXIT_BOUND_SECONDS, TimeUnit.SECONDS))
            {
                counts.hangs++;
                counts.problems.add(trial + ": local still running " + EXIT_BOUND_SECONDS + " s after the kill:\n" +
                    local.output());
                return;
            }
            final double exitSeconds = (System.nanoTime() - killedAt) / 1e9;
            final int status = local.waitFor(5);
            final String after = local.output().substring(seen);
            if (killed && status != 0)
            {
                counts.injected++;
                counts.startUpKills += beforeTraining ? 1 : 0;
                counts.slowest = Math.max(counts.slowest, exitSeconds);
                if (!after.contains("rank " + victim + " exited with status 137 (killed by SIGKILL)"))
                {
                    counts.problems.add(trial + ": local (status " + status + ") did not name rank " + victim +
                        ":\n" + after);
                }
            }
            else if (status != 0)
            {
                counts.problems.add(trial + ": local failed with " + status + " but no rank was killed:\n" +
                    local.output());
            }
            processesGone(tree, trial, counts);
            driverDirectoryGone(FaultJob.jobIdOf(local.output()), trial, counts);
        }
    }

    /**
     * Ranks started as srun would start them, with nobody watching: the survivor must notice the loss itself,
     * within its deadline, exit non-zero and name the dead rank. {@code startUp}: {@code delayMs} counts from the
     * ranks' start, not training's; a rank killed before it joined is noticed at the joining deadline at the latest.
     */
    private static void killOneOfTheRanks(
        final FaultJob job, final Path runDir, final int victim, final long delayMs, final boolean startUp,
        final String trial, final Counts counts) throws IOException, InterruptedException
    {
        final String jobId = "fault-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        final CommandRun[] ranks = job.startRanks(runDir, jobId);
        final long ranksStarted = System.nanoTime();
        try
        {
            final int survivor = 1 - victim;
            if (!startUp)
            {
                ranks[0].awaitOutput(TRAINING_BEGAN, 90);
                counts.startedUp(ranksStarted);
            }
            Thread.sleep(delayMs);
            final List<ProcessHandle> tree = new ArrayList<>(ranks[0].tree());
            tree.addAll(ranks[1].tree());
            final int seen = ranks[survivor].output().length();
            final boolean beforeTraining = !ranks[0].output().contains(TRAINING_BEGAN);
            final boolean killed = ranks[victim].process().toHandle().destroyForcibly() &&
                ranks[victim].process().waitFor(10, TimeUnit.SECONDS) && ranks[victim].process().exitValue() == 137;
            final long killedAt = System.nanoTime();
            final Process other = ranks[survivor].process();
            if (!other.waitFor(EXIT_BOUND_SECONDS, TimeUnit.SECONDS))
            {
                counts.hangs++;
                counts.problems.add(trial + ": rank " + survivor + " still running " + EXIT_BOUND_SECONDS +
                    " s after rank " + victim + " was killed:\n" + ranks[survivor].output());
                return;
            }
            final double exitSeconds = (System.nanoTime() - killedAt) / 1e9;
            final int status = ranks[survivor].waitFor(5);
            final String after = ranks[survivor].output().substring(seen);
            if (killed && status != 0)
            {
                counts.injected++;
                counts.startUpKills += beforeTraining ? 1 : 0;
                counts.slowest = Math.max(counts.slowest, exitSeconds);
                if (!namesRank(after, victim))
                {
                    counts.problems.add(trial + ": rank " + survivor + " (status " + status + ") did not name the " +
                        "dead rank " + victim + ":\n" + after);
                }
            }
            else if (killed)
            {
                counts.problems.add(trial + ": rank " + survivor + " exited 0 although rank " + victim +
                    " was killed:\n" + ranks[survivor].output());
            }
            processesGone(tree, trial, counts);
            if (victim == 0 && killed)
            {
                // Rank 0 hosts the driver: killed, it cannot remove its directory; a later start sweeps it once
                // it is 30 s stale. Killed early in start-up, it may not have made one.
                final String driver = FaultJob.driverDirectory(jobId);
                if (Files.exists(Path.of("/dev/shm", driver)))
                {
                    counts.killedDrivers.add(driver);
                }
            }
            else
            {
                driverDirectoryGone(jobId, trial, counts);
            }
        }
        finally
        {
            for (final CommandRun rank : ranks)
            {
                rank.close();
            }
        }
    }

    /**
     * Whether {@code text} names {@code rank} the way comm's errors do: "rank 1", or in a list, "rank(s) 0, 1"
     * (a rank that never joined is reported in the list form).
     */
    static boolean namesRank(final String text, final int rank)
    {
        return Pattern.compile("\\brank(?:\\(s\\))? (?:[0-9]+, )*" + rank + "(?![0-9])").matcher(text).find();
    }

    /** The job's driver directory must be gone once its processes are (null: no rank printed a job id). */
    private static void driverDirectoryGone(final String jobId, final String trial, final Counts counts)
        throws InterruptedException
    {
        if (jobId == null)
        {
            return;
        }
        final String name = FaultJob.driverDirectory(jobId);
        if (!FaultJob.awaitGone(name, 10))
        {
            counts.shmLeft++;
            counts.problems.add(trial + ": driver directory left in /dev/shm: " + name);
        }
    }

    private static void processesGone(final List<ProcessHandle> tree, final String trial, final Counts counts)
        throws InterruptedException
    {
        final List<Long> alive = FaultJob.survivors(tree, 15);
        counts.processesLeft += alive.size();
        if (!alive.isEmpty())
        {
            counts.problems.add(trial + ": processes still alive after the job ended: " + alive);
        }
    }

    /** {@code KillRankTrials [trials] [seed]}: prints the figures; exits 1 when a trial failed a check. */
    public static void main(final String[] args) throws Exception
    {
        final int trials = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        final long seed = args.length > 1 ? Long.parseLong(args[1]) : System.nanoTime();
        final Path base = Files.createTempDirectory("slipstream-fault-");
        final long start = System.nanoTime();
        final Tally tally;
        try
        {
            System.out.println("kill -9 suite: " + trials + " trial(s), seed " + seed + ", in " + base);
            tally = run(base, trials, seed, System.out);
        }
        finally
        {
            deleteTree(base);
        }
        tally.problems().forEach(System.out::println);
        System.out.println(tally.summary());
        System.out.printf("wall: %.0f s%n", (System.nanoTime() - start) / 1e9);
        System.exit(tally.passed() ? 0 : 1);
    }

    static void deleteTree(final Path root) throws IOException
    {
        if (!Files.exists(root))
        {
            return;
        }
        try (var paths = Files.walk(root))
        {
            for (final Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList())
            {
                Files.deleteIfExists(p);
            }
        }
    }
}
