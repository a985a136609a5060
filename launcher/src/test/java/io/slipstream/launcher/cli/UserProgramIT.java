package io.slipstream.launcher.cli;

import io.slipstream.launcher.experiment.UserJar;
import io.slipstream.launcher.local.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A user's program (a jar calling {@code Slipstream.join()} and {@code DataParallelNetwork.fit}) under
 * {@code slipstream local -n 2 -jar}: a failing rank is named and fails the job; SIGUSR1 to {@code local} checkpoints
 * and stops it with status 3, and the same command then resumes where it stopped.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class UserProgramIT
{
    private static final String PROGRAM = String.join("\n",
        "import io.slipstream.api.*;",
        "import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;",
        "import org.deeplearning4j.nn.conf.NeuralNetConfiguration;",
        "import org.deeplearning4j.nn.conf.layers.*;",
        "import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;",
        "import org.nd4j.linalg.activations.Activation;",
        "import org.nd4j.linalg.api.buffer.DataType;",
        "import org.nd4j.linalg.dataset.DataSet;",
        "import org.nd4j.linalg.factory.Nd4j;",
        "import org.nd4j.linalg.learning.config.Sgd;",
        "import org.nd4j.linalg.lossfunctions.LossFunctions;",
        "public class Train {",
        "  public static void main(String[] args) throws Exception {",
        "    MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)",
        "      .dataType(DataType.FLOAT).updater(new Sgd(0.01)).list()",
        "      .layer(new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.TANH).dropOut(0.8).build())",
        "      .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(8).nOut(1)",
        "        .activation(Activation.IDENTITY).build()).build());",
        "    net.init();",
        "    DataSet data = new DataSet(Nd4j.rand(DataType.FLOAT, 64, 4), Nd4j.rand(DataType.FLOAT, 64, 1));",
        "    try (SlipstreamJob job = Slipstream.join()) {",
        "      if (args[0].equals(\"fail\") && job.rank() == 1) throw new IllegalStateException(\"boom on rank 1\");",
        "      DataParallelNetwork dp = job.train(net).checkpointEvery(100);",
        "      FitResult result = dp.fit(new ListDataSetIterator<>(data.asList(), 8), Integer.parseInt(args[1]));",
        "      System.out.println(\"rank \" + job.rank() + \" done at iteration \" + result.iteration());",
        "    }",
        "  }",
        "}");

    @TempDir
    Path dir;

    private CommandRun local(final Path jar, final Path runDir, final String... args) throws java.io.IOException
    {
        final String[] command = new String[9 + args.length];
        System.arraycopy(new String[]{CommandRun.SLIPSTREAM.toString(), "local", "-n", "2", "--verbose", "--run-dir",
            runDir.toString(), "-jar", jar.toString()}, 0, command, 0, 9);
        System.arraycopy(args, 0, command, 9, args.length);
        return CommandRun.start(dir, Map.of(), command);
    }

    @Test
    void aFailingRankIsNamedAndFailsTheJob() throws Exception
    {
        final Path jar = UserJar.program(dir, "Train", PROGRAM);
        try (CommandRun run = local(jar, dir.resolve("run"), "fail", "1"))
        {
            assertEquals(1, run.waitFor(120), run.output());
            assertTrue(run.output().contains("rank 1 exited with status 1 (failed); stopping the other ranks"),
                run.output());
            assertTrue(run.output().contains("slipstream: rank 1 failed: boom on rank 1"), run.output());
        }
    }

    @Test
    void usr1CheckpointsStopsWithThreeAndTheSameCommandResumes() throws Exception
    {
        final Path jar = UserJar.program(dir, "Train", PROGRAM);
        final Path runDir = dir.resolve("run");
        final Path metrics = runDir.resolve("metrics.jsonl");
        try (CommandRun run = local(jar, runDir, "train", "100"))
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!(Files.exists(metrics) && Files.size(metrics) > 0) && System.nanoTime() < deadline)
            {
                Thread.sleep(100);
            }
            new ProcessBuilder("kill", "-USR1", Long.toString(run.process().pid())).start().waitFor();
            assertEquals(3, run.waitFor(120), run.output());
            assertTrue(run.output().contains("all ranks checkpointed and stopped (status 3)"), run.output());
        }
        try (CommandRun again = local(jar, runDir, "train", "100"))
        {
            assertEquals(0, again.waitFor(150), again.output());
            assertTrue(again.output().contains("rank 0 done at iteration 400"), again.output());
            assertTrue(again.output().contains("rank 1 done at iteration 400"), again.output());
        }
        // Resumed, not restarted: every iteration was reported once across both runs.
        final List<String> lines = Files.readAllLines(metrics);
        final Set<String> iterations = new HashSet<>();
        for (final String line : lines)
        {
            final String iteration = line.replaceAll(".*\"iteration\":(\\d+).*", "$1");
            assertTrue(iterations.add(iteration), "iteration " + iteration + " trained twice");
        }
        assertEquals(400, iterations.size());
    }
}
