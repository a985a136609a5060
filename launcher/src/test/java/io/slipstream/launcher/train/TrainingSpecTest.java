package io.slipstream.launcher.train;

import io.slipstream.kernels.Compression;
import io.slipstream.launcher.checkpoint.CheckpointStore;
import io.slipstream.launcher.spec.SpecException;
import io.slipstream.launcher.spec.SpecNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingSpecTest
{
    private static SpecNode parse(final String yaml)
    {
        return SpecNode.parse(yaml, "test.yaml");
    }

    private static TrainingSpec.Progress progressOf(final String value)
    {
        return TrainingSpec.from(parse("name: t\ntraining: {progress: " + value + "}\n")).progress();
    }

    @Test
    void defaultsWhenTheSectionsAreAbsent()
    {
        final TrainingSpec spec = TrainingSpec.from(parse("name: t\n"));
        assertEquals(Compression.NONE, spec.options().exchange().compression());
        assertEquals(1, spec.options().exchange().accumulationSteps());
        assertEquals(0, spec.options().threads());
        assertTrue(spec.checkpointEnabled());
        assertEquals("checkpoints", spec.checkpointDir());
        assertEquals(3, spec.keep());
        assertEquals(CheckpointStore.OnFailure.CONTINUE, spec.onFailure());
        assertEquals(TrainingSpec.Progress.AUTO, spec.progress());
    }

    @Test
    void readsEveryKey()
    {
        final TrainingSpec spec = TrainingSpec.from(parse(
            "name: t\ntraining: {compression: bf16, bucket_bytes: 1024, accumulation_steps: 4, threads: 1, " +
            "metrics_every: 5, progress: lines}\n" +
            "checkpoint: {dir: ck, every_steps: 10, keep: 2, on_failure: stop, resume: false}\n"));
        assertEquals(Compression.BF16, spec.options().exchange().compression());
        assertEquals(1024, spec.options().exchange().bucketBytes());
        assertEquals(4, spec.options().exchange().accumulationSteps());
        assertEquals(5, spec.options().metricsEvery());
        assertEquals(TrainingSpec.Progress.LINES, spec.progress());
        assertEquals(10, spec.checkpointEvery());
        assertEquals(CheckpointStore.OnFailure.STOP, spec.onFailure());
        assertFalse(spec.resume());
    }

    @Test
    void progressReadsTheBooleansYamlMakesOfUnquotedOffAndOn()
    {
        assertEquals(TrainingSpec.Progress.OFF, progressOf("off"));
        assertEquals(TrainingSpec.Progress.OFF, progressOf("'off'"));
        assertEquals(TrainingSpec.Progress.OFF, progressOf("false"));
        assertEquals(TrainingSpec.Progress.AUTO, progressOf("on"));
        assertEquals(TrainingSpec.Progress.BAR, progressOf("bar"));
        assertTrue(assertThrows(SpecException.class,
            () -> TrainingSpec.from(parse("name: t\ntraining: {progress: 3}\n"))).getMessage()
            .startsWith("training.progress: "));
    }

    @Test
    void errorsNameTheKeyPath()
    {
        assertEquals("training.compression: 'int8' is not allowed; use one of none, bf16, fp16",
            assertThrows(SpecException.class,
                () -> TrainingSpec.from(parse("name: t\ntraining: {compression: int8}\n"))).getMessage());
        assertTrue(assertThrows(SpecException.class,
            () -> TrainingSpec.from(parse("name: t\ncheckpoint: {kep: 2}\n"))).getMessage()
            .startsWith("checkpoint.kep: unknown key"));
        assertTrue(assertThrows(SpecException.class,
            () -> TrainingSpec.from(parse("name: t\ncheckpoint: {keep: 0}\n"))).getMessage()
            .startsWith("checkpoint.keep: 0 is out of range"));
    }

    @Test
    void specHashIgnoresOrderNameAndCheckpointSettingsButNotTheModel()
    {
        final byte[] a = SpecHash.of(parse("name: a\nmodel: {family: mlp, params: {epochs: 5, l2: 0.1}}\n"));
        final byte[] b = SpecHash.of(parse("model: {params: {l2: 0.1, epochs: 5}, family: mlp}\nname: b\n" +
            "checkpoint: {keep: 9}\ntraining: {threads: 4, progress: off}\noutput: {report: false}\n"));
        final byte[] compressed = SpecHash.of(parse("name: a\nmodel: {family: mlp, params: {epochs: 5, l2: 0.1}}\n" +
            "training: {compression: bf16}\n"));
        assertFalse(java.util.Arrays.equals(a, compressed), "what crosses the wire changes the results");
        final byte[] c = SpecHash.of(parse("name: a\nmodel: {family: mlp, params: {epochs: 6, l2: 0.1}}\n"));
        final byte[] d = SpecHash.of(parse("name: a\nmodel: {family: mlp, params: {epochs: '5', l2: 0.1}}\n"));
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
        assertFalse(java.util.Arrays.equals(a, d), "a string is not a number");
    }
}
