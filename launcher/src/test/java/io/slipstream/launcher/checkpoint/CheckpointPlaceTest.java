package io.slipstream.launcher.checkpoint;

import io.slipstream.launcher.spec.SpecException;
import io.slipstream.launcher.spec.SpecNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointPlaceTest
{
    private static SpecNode section(final String yaml)
    {
        return SpecNode.parse("checkpoint: " + yaml + "\n", "job.yaml").child("checkpoint");
    }

    @Test
    void aDirectoryInsideTheRunDirectoryIsUsedAsItIs()
    {
        for (final String dir : List.of("checkpoints", "a/b/c", "./ck", "a/../b"))
        {
            assertEquals(dir, CheckpointPlace.check(section("{dir: '" + dir + "'}"), dir));
        }
    }

    @Test
    void aDirectoryOutsideTheRunDirectoryIsRefusedUnlessAskedFor()
    {
        for (final String dir : List.of("../../x", "/tmp/elsewhere", "a/../../b", ".", "..", "ck\n/../.."))
        {
            final SpecException ex = assertThrows(SpecException.class,
                () -> CheckpointPlace.check(section("{dir: x}"), dir), dir);
            assertTrue(ex.getMessage().startsWith("checkpoint.dir: '") &&
                ex.getMessage().contains("checkpoint.outside_run_dir: true") && ex.getMessage().indexOf('\n') < 0,
                ex.getMessage());
        }
        assertEquals("/tmp/elsewhere", CheckpointPlace.check(section("{outside_run_dir: true}"), "/tmp/elsewhere"));
    }
}
