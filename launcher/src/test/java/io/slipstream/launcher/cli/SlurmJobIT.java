package io.slipstream.launcher.cli;

import io.aeron.CommonContext;
import io.slipstream.comm.transport.DriverHost;
import io.slipstream.launcher.experiment.UserJar;
import io.slipstream.launcher.local.CommandRun;
import io.slipstream.launcher.topology.Hostlist;
import io.slipstream.launcher.topology.TopologyException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real sbatch jobs on a throw-away cluster of two fake nodes (slurm/cluster-up.sh) running
 * {@code slipstream run} through the repository's sbatch templates. Skipped only where slurmctld is not
 * installed. Every sbatch/scontrol/squeue call runs under {@code timeout}.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SlurmJobIT
{
    private static final Path SLURM = CommandRun.REPOSITORY.resolve("slurm");
    private static Path cluster;
    private static Map<String, String> env;

    @TempDir
    Path dir;

    @BeforeAll
    static void startCluster() throws Exception
    {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/slurmctld")) ||
            CommandRun.run(Path.of("."), Map.of(), 10, "sh", "-c", "command -v slurmctld").waitFor(10) == 0,
            "slurmctld is not installed");
        final int portBase = 16000 + (int)(ProcessHandle.current().pid() % 50) * 30;
        final CommandRun up = CommandRun.run(Path.of("."), Map.of(), 90, "timeout", "80",
            SLURM.resolve("cluster-up.sh").toString(), "--nodes", "2", "--port-base", Integer.toString(portBase));
        assertEquals(0, up.process().exitValue(), up.output());
        final List<String> lines = up.output().lines().toList();
        cluster = Path.of(lines.get(lines.size() - 1).trim());
        env = new HashMap<>();
        env.put("SLURM_CONF", cluster.resolve("slurm.conf").toString());
    }

    @AfterAll
    static void stopCluster() throws Exception
    {
        if (cluster != null)
        {
            CommandRun.run(Path.of("."), Map.of(), 60, "timeout", "50", SLURM.resolve("cluster-down.sh").toString(),
                cluster.toString()).close();
        }
    }

    private static List<String> driverDirectories()
    {
        final String[] names = DriverHost.baseDirectory().list((d, name) -> name.startsWith(DriverHost.DIR_PREFIX));
        return names == null ? List.of() : Arrays.asList(names);
    }

    private static String run(final long seconds, final String... command) throws Exception
    {
        final String[] timed = new String[command.length + 2];
        timed[0] = "timeout";
        timed[1] = Long.toString(seconds);
        System.arraycopy(command, 0, timed, 2, command.length);
        try (CommandRun run = CommandRun.run(Path.of("."), env, seconds + 10, timed))
        {
            assertEquals(0, run.process().exitValue(), String.join(" ", command) + ":\n" + run.output());
            return run.output();
        }
    }

    /** Submits, waits until the job has left the queue, and returns its scontrol record. */
    private Map<String, String> submitAndWait(final Map<String, String> jobEnv, final String... sbatchArgs)
        throws Exception
    {
        return waitForRecord(submit(jobEnv, sbatchArgs));
    }

    private String submit(final Map<String, String> jobEnv, final String... sbatchArgs) throws Exception
    {
        final String[] command = new String[sbatchArgs.length + 6];
        command[0] = "timeout";
        command[1] = "30";
        command[2] = "sbatch";
        command[3] = "--parsable";
        command[4] = "--chdir=" + dir;
        command[5] = "--export=ALL";
        System.arraycopy(sbatchArgs, 0, command, 6, sbatchArgs.length);
        final Map<String, String> submitEnv = new HashMap<>(env);
        submitEnv.put("SLIPSTREAM_HOME", CommandRun.REPOSITORY.toString());
        submitEnv.putAll(jobEnv);
        final String jobId;
        try (CommandRun sbatch = CommandRun.run(dir, submitEnv, 40, command))
        {
            assertEquals(0, sbatch.process().exitValue(), sbatch.output());
            jobId = sbatch.output().trim().split(";")[0];
        }
        return jobId;
    }

    private Map<String, String> waitForRecord(final String jobId) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        while (!run(10, "squeue", "-h", "-j", jobId).isBlank())
        {
            assertTrue(System.nanoTime() < deadline, "job " + jobId + " still queued or running after 150 s");
            Thread.sleep(250);
        }
        final Map<String, String> record = new HashMap<>();
        for (final String field : run(10, "scontrol", "-o", "show", "job", jobId).trim().split(" "))
        {
            final int equals = field.indexOf('=');
            if (equals > 0)
            {
                record.put(field.substring(0, equals), field.substring(equals + 1));
            }
        }
        record.put("Output", Files.readString(dir.resolve("job-" + jobId + ".out")));
        return record;
    }

    private Path job(final String yaml) throws IOException
    {
        final Path file = dir.resolve("job.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void hostlistsExpandLikeScontrol() throws Exception
    {
        for (final String hostlist : List.of("node[01-04,07],gpu-a[1-2]", "a[1-2]b[3-4]", "n[8-10]", "n[001-3]",
            "x,y[1],z", "rack[1-2]-n[01-02]", "n[1,3-4,02]", "a-[1-2]", "n[1-2]b[1]c[3-4]", "n[1-3,2]"))
        {
            final List<String> expected = Arrays.asList(run(10, "scontrol", "show", "hostnames", hostlist).trim()
                .split("\\s+"));
            assertEquals(expected, Hostlist.expand(hostlist), hostlist);
        }
        for (final String hostlist : List.of("n[3-1]", "a[1-2]b", "n[1-2]-[5-6]x", "n[a-b]"))
        {
            try (CommandRun scontrol = CommandRun.run(dir, env, 20, "timeout", "10", "scontrol", "show", "hostnames",
                hostlist))
            {
                assertTrue(scontrol.output().contains("Invalid hostlist"), hostlist + ": " + scontrol.output());
            }
            assertThrows(TopologyException.class, () -> Hostlist.expand(hostlist), hostlist);
        }
    }

    @Test
    void smokeOnTwoNodesTimesTwoTasks() throws Exception
    {
        final Path spec = job("name: smoke2x2\nworkload:\n  kind: smoke\n  rounds: 3\n  elements: 5000\n");
        final Map<String, String> record = submitAndWait(Map.of("SLIPSTREAM_HOST_ID", "node"),
            "--output=job-%j.out", SLURM.resolve("multi-node.sbatch").toString(), spec.toString());
        final String output = record.get("Output");
        assertEquals("COMPLETED", record.get("JobState"), output);
        assertEquals("0:0", record.get("ExitCode"), output);
        assertTrue(output.contains("topology from SLURM step: 4 ranks on 2 node(s) node1,node2"), output);
        assertTrue(output.contains("smoke OK: 4 ranks, 3 rounds"), output);
    }

    @Test
    void aFailingRankFailsTheJob() throws Exception
    {
        final Path spec = job("name: failing\nworkload:\n  kind: smoke\n  rounds: 5\n  fail:\n    rank: 3\n" +
            "    after_rounds: 1\n    exit_code: 7\n");
        final List<String> driversBefore = driverDirectories();
        final Map<String, String> record = submitAndWait(Map.of(), "--output=job-%j.out",
            SLURM.resolve("multi-node.sbatch").toString(), spec.toString());
        final String output = record.get("Output");
        assertEquals("FAILED", record.get("JobState"), output);
        assertFalse(record.get("ExitCode").startsWith("0:"), record.get("ExitCode"));
        assertTrue(output.contains("rank 3: injected failure (exit) at round 1"), output);
        assertFalse(output.contains("smoke OK"), output);
        // srun --kill-on-bad-exit SIGKILLs the surviving ranks, the media driver's owner among them, so the job's
        // driver directory can only be swept by the next start on this host (DriverHost.sweepStale). No driver may
        // still be alive there; the test removes the dead one itself so the run leaves /dev/shm as it found it.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (final String name : driverDirectories())
        {
            if (driversBefore.contains(name))
            {
                continue;
            }
            final File left = new File(DriverHost.baseDirectory(), name);
            while (!DriverHost.removeIfDead(left, 1000))
            {
                assertTrue(System.nanoTime() < deadline, "a driver is still alive in " + left + " after the job");
                Thread.sleep(100);
            }
        }
    }

    /**
     * Issue 7's kill -9 suite under the sbatch template: one rank of a 2-task data-parallel MLP job is SIGKILLed
     * mid-training. The job fails, srun and the surviving rank name the dead rank, and once the next start on the
     * host sweeps what the SIGKILLed ranks left (a dead driver's directory, after its heartbeat went stale), nothing
     * of the job is left in /dev/shm.
     */
    @Test
    void aRankKilledMidTrainingFailsTheJobAndTheNextStartLeavesNothing() throws Exception
    {
        final Path spec = job("name: killed-mlp\ndata: {source: iris}\nsplit: {test_fraction: 0.2, seed: 42}\n" +
            "model:\n  family: mlp\n  params: {hidden_layers: [8], activation: relu, updater: adam, " +
            "learning_rate: 0.02,\n           epochs: 40, batch_size: 8, standardize: true}\n" +
            "search: {strategy: manual}\ncv: {folds: 2}\nexecution: {mode: hybrid, group_size: 2}\n" +
            "training: {threads: 1, metrics_every: 10, progress: lines}\n");
        final List<String> driversBefore = driverDirectories();
        final String jobId = submit(Map.of(), "--output=job-%j.out", "--ntasks-per-node=2",
            SLURM.resolve("one-node.sbatch").toString(), spec.toString(), "--deadline", "15s");
        final Path output = dir.resolve("job-" + jobId + ".out");
        final long started = System.nanoTime();
        while (!(Files.exists(output) && Files.readString(output).contains("compute: ND4J")))
        {
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(90), "training did not begin " +
                "within 90 s:\n" + (Files.exists(output) ? Files.readString(output) : "(no output)"));
            Thread.sleep(50);
        }
        Thread.sleep(500);
        // Rank 0: the coordinator and the host's driver owner, so its SIGKILL leaves a driver directory behind.
        final ProcessHandle victim = rankProcess(jobId, 0);
        final List<ProcessHandle> ranks = List.of(victim, rankProcess(jobId, 1));
        assertTrue(victim.destroyForcibly(), "SIGKILL to rank 0 of job " + jobId);
        final long killedAt = System.nanoTime();

        final Map<String, String> record = waitForRecord(jobId);
        final String text = record.get("Output");
        final double exitSeconds = (System.nanoTime() - killedAt) / 1e9;
        assertEquals("FAILED", record.get("JobState"), text);
        assertFalse(record.get("ExitCode").startsWith("0:"), record.get("ExitCode"));
        assertTrue(text.contains("task 0: Killed"), "srun names the killed task:\n" + text);
        assertTrue(text.lines().anyMatch(line -> line.startsWith("slipstream: rank 1") && line.contains("rank 0")),
            "the surviving rank 1 names rank 0:\n" + text);
        for (final ProcessHandle rank : ranks)
        {
            rank.onExit().get(15, TimeUnit.SECONDS);
        }
        final List<String> left = new ArrayList<>(driverDirectories());
        left.removeAll(driversBefore);
        System.out.printf("job %s ended %.1f s after the kill, leaving driver directories %s%n", jobId, exitSeconds,
            left);
        for (final String name : left)
        {
            awaitSweepable(new File(DriverHost.baseDirectory(), name));
        }
        final Path next = job("name: next\nworkload:\n  kind: smoke\n  rounds: 1\n");
        final Map<String, String> nextRecord = submitAndWait(Map.of(), "--output=job-%j.out", "--ntasks-per-node=2",
            SLURM.resolve("one-node.sbatch").toString(), next.toString());
        assertEquals("COMPLETED", nextRecord.get("JobState"), nextRecord.get("Output"));
        final List<String> after = new ArrayList<>(driverDirectories());
        after.removeAll(driversBefore);
        assertEquals(List.of(), after, "driver directories of the killed job (" + left + ") or the next one");
    }

    /** The {@code slipstream} JVM that is rank {@code rank} of SLURM job {@code jobId}, found by its environment. */
    private static ProcessHandle rankProcess(final String jobId, final int rank)
    {
        final String jobVar = "SLURM_JOB_ID=" + jobId;
        final String rankVar = "SLURM_PROCID=" + rank;
        for (final ProcessHandle process : ProcessHandle.allProcesses().toList())
        {
            if (!process.info().command().orElse("").endsWith("java"))
            {
                continue;
            }
            try
            {
                final List<String> environ =
                    Arrays.asList(Files.readString(Path.of("/proc", Long.toString(process.pid()), "environ"))
                    .split("\0"));
                if (environ.contains(jobVar) && environ.contains(rankVar))
                {
                    return process;
                }
            }
            catch (final IOException ex)
            {
                // Gone, or not ours to read.
            }
        }
        throw new AssertionError("no java process of rank " + rank + " of job " + jobId);
    }

    /**
     * Waits until the next start would sweep {@code dir}: its driver's heartbeat stale and the directory past the
     * young-directory grace. The grace spares a driver that is still starting; here the test ages the directory's
     * time stamps instead of sleeping through it, once its driver is known dead.
     */
    private static void awaitSweepable(final File dir) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        // The driver's cnc.dat is in the job directory's aeron/ subdirectory.
        final File driverDir = new File(dir, DriverHost.AERON_SUBDIRECTORY);
        while (dir.exists() && CommonContext.isDriverActive(driverDir, 10_000, (line) -> { }))
        {
            assertTrue(System.nanoTime() < deadline, "a driver is still alive in " + dir + " 20 s after the kill");
            Thread.sleep(250);
        }
        final File[] files = dir.listFiles();
        final long aged = System.currentTimeMillis() - TimeUnit.MINUTES.toMillis(1);
        for (final File file : files == null ? new File[0] : files)
        {
            assertTrue(file.setLastModified(aged), "aging " + file);
        }
        assertTrue(!dir.exists() || dir.setLastModified(aged), "aging " + dir);
    }

    @Test
    void benchAllreduceUnderSrunAcrossTwoNodes() throws Exception
    {
        final Map<String, String> srunEnv = new HashMap<>(env);
        srunEnv.put("SLIPSTREAM_SECRET", "0123456789abcdef0123456789abcdef");
        srunEnv.put("SLIPSTREAM_HOST_ID", "node");
        try (CommandRun srun = CommandRun.run(dir, srunEnv, 100, "timeout", "90", "srun", "-N2",
            "--ntasks-per-node=1", CommandRun.SLIPSTREAM.toString(), "bench", "allreduce", "--sizes", "8:64K",
            "--iterations", "5", "--warmup", "1"))
        {
            assertEquals(0, srun.process().exitValue(), srun.output());
            assertTrue(srun.output().contains("# slipstream allreduce: 2 ranks"), srun.output());
            assertTrue(srun.output().lines().anyMatch(line -> line.trim().startsWith("65536 ")), srun.output());
        }
    }

    @Test
    void usr1CheckpointsRequeuesAndTheRequeuedJobResumes() throws Exception
    {
        final Path spec = job("name: nap\nworkload:\n  kind: sleep\n  seconds: 15\n  step_ms: 100\n" +
            "  requeue: true\n");
        final String jobId = submit(Map.of(), "--output=job-%j.out", SLURM.resolve("multi-node.sbatch").toString(),
            spec.toString());
        final Path output = dir.resolve("job-" + jobId + ".out");
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(output) && Files.readString(output).contains("sleep: 4 ranks for")))
        {
            assertTrue(System.nanoTime() < deadline, "the job did not start within 60 s");
            Thread.sleep(100);
        }
        run(10, "scancel", "--signal=USR1", jobId);
        final Map<String, String> record = waitForRecord(jobId);
        final String text = record.get("Output");
        assertEquals("COMPLETED", record.get("JobState"), text);
        assertEquals("1", record.get("Restarts"), text);
        assertTrue(text.contains("SIGUSR1: will checkpoint at the next step boundary"), text);
        assertTrue(text.contains("requeued SLURM job " + jobId), text);
        assertTrue(text.contains("4 ranks resuming at step"), text);
        assertTrue(text.contains("sleep OK"), text);
    }

    /** A user's program in a jar with a Main-Class: it joins with Slipstream.join() and sums its ranks. */
    private Path userJar() throws IOException
    {
        return UserJar.program(dir, "Sum", "public class Sum {\n" +
            "  public static void main(String[] args) {\n" +
            "    try (io.slipstream.api.SlipstreamJob job = io.slipstream.api.Slipstream.join()) {\n" +
            "      long[] sum = {job.rank() + 1};\n" +
            "      job.world().allreduce(sum, io.slipstream.comm.ReduceOp.SUM);\n" +
            "      System.out.println(\"rank \" + job.rank() + \" of \" + job.size() + \" sum \" + sum[0] +\n" +
            "        \" args \" + String.join(\",\", args) + \" secret set \" +\n" +
            "        !System.getenv().getOrDefault(\"SLIPSTREAM_SECRET\", \"\").isEmpty());\n" +
            "    }\n" +
            "  }\n" +
            "}\n");
    }

    @Test
    void userJarTemplateRunsAProgramAcrossTwoNodesWithoutAPresetSecret() throws Exception
    {
        final Path jar = userJar();
        // An empty secret counts as none: the ranks must agree on one through the run directory.
        final Map<String, String> record = submitAndWait(Map.of("SLIPSTREAM_HOST_ID", "node", "SLIPSTREAM_SECRET", ""),
            "--output=job-%j.out", "--nodes=2", "--ntasks-per-node=1", SLURM.resolve("user-jar.sbatch").toString(),
            jar.toString(), "first", "second");
        final String output = record.get("Output");
        assertEquals("COMPLETED", record.get("JobState"), output);
        assertTrue(output.contains("topology from SLURM step: 2 ranks on 2 node(s) node1,node2"), output);
        assertTrue(output.contains("rank 0 of 2 sum 3 args first,second secret set false"), output);
        assertTrue(output.contains("rank 1 of 2 sum 3 args first,second secret set false"), output);
        final Path runDir = dir.resolve("runs").resolve("Sum-" + record.get("JobId"));
        assertTrue(Files.isDirectory(runDir), "the default run directory " + runDir);
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(runDir)));
    }

    @Test
    void oneNodeTemplateRunsTasksOnOneNode() throws Exception
    {
        final Path spec = job("name: one\nworkload:\n  kind: smoke\n  rounds: 1\n");
        final Map<String, String> record = submitAndWait(Map.of(), "--output=job-%j.out", "--ntasks-per-node=2",
            SLURM.resolve("one-node.sbatch").toString(), spec.toString());
        final String output = record.get("Output");
        assertEquals("COMPLETED", record.get("JobState"), output);
        assertTrue(output.contains("2 ranks on 1 node(s) node1"), output);
        assertTrue(output.contains("smoke OK: 2 ranks, 1 rounds"), output);
    }
}
