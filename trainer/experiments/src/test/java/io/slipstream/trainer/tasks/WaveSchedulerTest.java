package io.slipstream.trainer.tasks;

import io.slipstream.trainer.model.RunHooks;
import io.slipstream.trainer.model.UserInputException;
import io.slipstream.trainer.testing.Ranks;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WaveSchedulerTest
{
    /** Each task's result is its id plus the sum of its dependencies' results, so order errors show. */
    private static final TaskRunner SUM_OF_INPUTS = (task, group, results) ->
    {
        long sum = task.id();
        for (final int d : task.dependencies())
        {
            sum += ByteBuffer.wrap(results.get(d)).getLong();
        }
        return ByteBuffer.allocate(8).putLong(sum).array();
    };

    private static long value(final WaveScheduler.Outcome outcome, final int id)
    {
        return ByteBuffer.wrap(outcome.results().get(id)).getLong();
    }

    @Test
    void searchGraphHasTheExpectedShape()
    {
        final TaskGraph g = TaskGraph.forSearch(3, 2, new double[]{1, 2, 3}, new int[3], 5);
        assertEquals(3 * 2 + 3 + 3, g.size());
        assertEquals(TaskKind.AGGREGATE, g.task(6).kind());
        assertArrayEquals(new int[]{0, 1}, g.task(6).dependencies());
        assertArrayEquals(new int[]{6, 7, 8}, g.task(9).dependencies());
        assertEquals(TaskKind.SAVE, g.task(11).kind());
        assertArrayEquals(new int[]{0, 1, 2, 3, 4, 5}, g.ready(new boolean[12]));
        assertThrows(IllegalArgumentException.class,
            () -> TaskGraph.builder().add(TaskKind.FIT_SCORE, 0, 0, new int[]{0}, 1, 0, -1));
    }

    @Test
    void tasksRunAfterTheirDependenciesInEveryMode() throws Exception
    {
        final TaskGraph graph = TaskGraph.forSearch(4, 3, new double[]{4, 1, 3, 2}, new int[4], 1);
        final WaveScheduler.Outcome reference = runOn(1, ExecutionMode.SERIAL, 1, graph, SUM_OF_INPUTS).get(0);
        for (final ExecutionMode mode : ExecutionMode.values())
        {
            for (final WaveScheduler.Outcome outcome : runOn(3, mode, 2, graph, SUM_OF_INPUTS))
            {
                final int[] waveOf = new int[graph.size()];
                for (final WaveScheduler.Placement p : outcome.trace())
                {
                    waveOf[p.task()] = p.wave();
                }
                for (final Task t : graph.tasks())
                {
                    for (final int d : t.dependencies())
                    {
                        assertTrue(waveOf[d] < waveOf[t.id()], mode + ": task " + t.id() + " ran before " + d);
                    }
                    assertEquals(value(reference, t.id()), value(outcome, t.id()));
                }
                assertEquals(5, outcome.waves());
            }
        }
    }

    @Test
    void priorityThenLargestCostDecidesTheOrderAndGroupsAreBalanced() throws Exception
    {
        final TaskGraph.Builder b = TaskGraph.builder();
        b.add(TaskKind.FIT_SCORE, 0, 0, new int[0], 1, 0, -1);
        b.add(TaskKind.FIT_SCORE, 1, 0, new int[0], 1, 0, -1);
        b.add(TaskKind.FIT_SCORE, 2, 0, new int[0], 1, 0, -1);
        b.add(TaskKind.FIT_SCORE, 3, 0, new int[0], 3, 0, -1);
        b.add(TaskKind.FIT_SCORE, 4, 0, new int[0], 0.5, 9, -1);
        final TaskGraph graph = b.build();
        final List<WaveScheduler.Placement> trace = runOn(2, ExecutionMode.PARALLEL, 1, graph, SUM_OF_INPUTS)
            .get(0).trace();
        // Priority 9 first (group 0), then LPT: cost 3 -> group 1, then the unit tasks fill group 0 until even.
        assertEquals(List.of(new WaveScheduler.Placement(0, 4, 0), new WaveScheduler.Placement(0, 3, 1),
            new WaveScheduler.Placement(0, 0, 0), new WaveScheduler.Placement(0, 1, 0),
            new WaveScheduler.Placement(0, 2, 0)), trace);

        final List<WaveScheduler.Placement> inOrder = Ranks.run(2, world ->
        {
            try (RankGroups groups = RankGroups.create(world, ExecutionMode.PARALLEL, 1))
            {
                return new WaveScheduler(world, groups, new SchedulingPolicy(false, 0, 0)).run(graph, SUM_OF_INPUTS);
            }
        }).get(0).trace();
        assertEquals(4, inOrder.get(0).task());
        assertEquals(0, inOrder.get(1).task());
    }

    @Test
    void aFailedTaskFailsTheJobOnEveryRankWithItsError() throws Exception
    {
        final TaskGraph graph = TaskGraph.forSearch(2, 2, new double[]{1, 1}, new int[2], 1);
        final TaskRunner failing = (task, group, results) ->
        {
            if (task.id() == 3)
            {
                throw new IllegalStateException("bad fold");
            }
            return SUM_OF_INPUTS.run(task, group, results);
        };
        final List<TaskFailedException> failures = Ranks.run(2, world ->
        {
            try (RankGroups groups = RankGroups.create(world, ExecutionMode.PARALLEL, 1))
            {
                new WaveScheduler(world, groups, SchedulingPolicy.DEFAULT).run(graph, failing);
                return null;
            }
            catch (final TaskFailedException ex)
            {
                return ex;
            }
        });
        for (final TaskFailedException ex : failures)
        {
            final String m = ex.getMessage();
            assertTrue(m.startsWith("task fit_score#3(setting 1, fold 1) failed on rank"), m);
            assertTrue(m.endsWith("attempt(s): bad fold"), m);
            assertFalse(m.contains("Exception"), m);
            assertEquals(IllegalStateException.class.getName(), ex.errorClass());
            assertFalse(ex.userInput());
        }
    }

    @Test
    void userInputFailsAtOnceWithoutRetriesAndSaysSo() throws Exception
    {
        final TaskGraph graph = TaskGraph.forSearch(2, 2, new double[]{1, 1}, new int[2], 1);
        final AtomicInteger calls = new AtomicInteger();
        final TaskRunner badInput = (task, group, results) ->
        {
            if (task.id() == 1)
            {
                calls.incrementAndGet();
                throw new UserInputException("data file iris.csv: row 7 has 3 cells, expected 5; fix the row");
            }
            return SUM_OF_INPUTS.run(task, group, results);
        };
        final TaskFailedException ex = Ranks.run(1, world ->
        {
            try (RankGroups groups = RankGroups.create(world, ExecutionMode.SERIAL, 1))
            {
                new WaveScheduler(world, groups, new SchedulingPolicy(true, 3, 0)).run(graph, badInput);
                return null;
            }
            catch (final TaskFailedException failed)
            {
                return failed;
            }
        }).get(0);
        assertTrue(ex.userInput());
        assertEquals(1, calls.get());
        assertTrue(ex.getMessage().endsWith("after 1 attempt(s): data file iris.csv: row 7 has 3 cells, expected 5; " +
            "fix the row"), ex.getMessage());
    }

    @Test
    void retriesRerunAFailedTask() throws Exception
    {
        final TaskGraph graph = TaskGraph.forSearch(2, 2, new double[]{1, 1}, new int[2], 1);
        final AtomicInteger failures = new AtomicInteger();
        final TaskRunner flaky = (task, group, results) ->
        {
            if (task.id() == 1 && failures.getAndIncrement() == 0)
            {
                throw new IllegalStateException("transient");
            }
            return SUM_OF_INPUTS.run(task, group, results);
        };
        final WaveScheduler.Outcome outcome = Ranks.run(1, world ->
        {
            try (RankGroups groups = RankGroups.create(world, ExecutionMode.SERIAL, 1))
            {
                return new WaveScheduler(world, groups, new SchedulingPolicy(true, 1, 0)).run(graph, flaky);
            }
        }).get(0);
        assertEquals(1, value(outcome, 1));
        assertEquals(6, outcome.waves());
    }

    @Test
    void wavesGiveEachGroupAtMostTheConfiguredNumberOfTasks()
    {
        final TaskGraph.Builder b = TaskGraph.builder();
        for (int i = 0; i < 10; i++)
        {
            b.add(TaskKind.FIT_SCORE, i, 0, new int[0], 1, 0, -1);
        }
        final TaskGraph graph = b.build();
        final WaveScheduler.Outcome outcome = Ranks.run(2, world ->
        {
            try (RankGroups groups = RankGroups.create(world, ExecutionMode.PARALLEL, 1))
            {
                return new WaveScheduler(world, groups, new SchedulingPolicy(true, 0, 2)).run(graph, SUM_OF_INPUTS);
            }
        }).get(0);
        assertEquals(3, outcome.waves());
        final int[][] perWaveAndGroup = new int[3][2];
        for (final WaveScheduler.Placement p : outcome.trace())
        {
            perWaveAndGroup[p.wave()][p.group()]++;
        }
        assertArrayEquals(new int[]{2, 2}, perWaveAndGroup[0]);
        assertArrayEquals(new int[]{2, 2}, perWaveAndGroup[1]);
        assertArrayEquals(new int[]{1, 1}, perWaveAndGroup[2]);
    }

    @Test
    void aStopRequestStopsEveryRankAndTheJournalResumesTheRun() throws Exception
    {
        final TaskGraph graph = TaskGraph.forSearch(4, 3, new double[]{1, 1, 1, 1}, new int[4], 1);
        final SchedulingPolicy policy = new SchedulingPolicy(true, 0, 2);
        final WaveScheduler.Outcome full = runOn(2, ExecutionMode.PARALLEL, 1, graph, SUM_OF_INPUTS).get(0);
        final MemoryJournal journal = new MemoryJournal();
        final AtomicInteger waves = new AtomicInteger();
        // Rank 1 asks to stop once two waves have reported.
        final RunHooks stopAfterTwoWaves = new RunHooks()
        {
            @Override
            public boolean stopRequested()
            {
                return waves.incrementAndGet() >= 2;
            }
        };
        final List<String> stopped = Ranks.run(2, world ->
        {
            try (RankGroups groups = RankGroups.create(world, ExecutionMode.PARALLEL, 1))
            {
                new WaveScheduler(world, groups, policy, world.rank() == 1 ? stopAfterTwoWaves : RunHooks.NONE,
                    journal).run(graph, SUM_OF_INPUTS);
                return "finished";
            }
            catch (final SearchStoppedException ex)
            {
                return ex.kept() + "/" + ex.total();
            }
        });
        // The stopped second wave may hold fits cut short, so only the first wave's 4 fits are kept.
        assertEquals(List.of("4/19", "4/19"), stopped);

        final AtomicInteger ran = new AtomicInteger();
        final TaskRunner counting = (task, group, results) ->
        {
            ran.incrementAndGet();
            return SUM_OF_INPUTS.run(task, group, results);
        };
        final WaveScheduler.Outcome resumed = Ranks.run(1, world ->
        {
            try (RankGroups groups = RankGroups.create(world, ExecutionMode.SERIAL, 1))
            {
                return new WaveScheduler(world, groups, policy, RunHooks.NONE, journal)
                    .run(graph, counting);
            }
        }).get(0);
        assertEquals(4, resumed.restored());
        assertEquals(graph.size() - 4, ran.get());
        for (int id = 0; id < graph.size(); id++)
        {
            assertEquals(value(full, id), value(resumed, id));
        }
    }

    @Test
    void aStopDuringTheLastWaveStopsTheJobAndTheResumeRedoesThatWave() throws Exception
    {
        final TaskGraph graph = TaskGraph.forSearch(4, 3, new double[]{1, 1, 1, 1}, new int[4], 1);
        final SchedulingPolicy policy = new SchedulingPolicy(true, 0, 2);
        final WaveScheduler.Outcome full = Ranks.run(2, world ->
        {
            try (RankGroups groups = RankGroups.create(world, ExecutionMode.PARALLEL, 1))
            {
                return new WaveScheduler(world, groups, policy).run(graph, SUM_OF_INPUTS);
            }
        }).get(0);
        final MemoryJournal journal = new MemoryJournal();
        final AtomicInteger waves = new AtomicInteger();
        // Rank 1 asks to stop in the last wave (the refit and save): its results may be cut short.
        final RunHooks stopInLastWave = new RunHooks()
        {
            @Override
            public boolean stopRequested()
            {
                return waves.incrementAndGet() >= full.waves();
            }
        };
        final AtomicInteger lastWaveTasks = new AtomicInteger();
        for (final WaveScheduler.Placement p : full.trace())
        {
            if (p.wave() == full.waves() - 1)
            {
                lastWaveTasks.incrementAndGet();
            }
        }
        final List<String> stopped = Ranks.run(2, world ->
        {
            try (RankGroups groups = RankGroups.create(world, ExecutionMode.PARALLEL, 1))
            {
                new WaveScheduler(world, groups, policy, world.rank() == 1 ? stopInLastWave : RunHooks.NONE,
                    journal).run(graph, SUM_OF_INPUTS);
                return "finished";
            }
            catch (final SearchStoppedException ex)
            {
                return "stopped " + ex.total();
            }
        });
        assertEquals(List.of("stopped 19", "stopped 19"), stopped);
        assertFalse(journal.restore().isEmpty(), "the waves before the stop were recorded");

        final AtomicInteger ran = new AtomicInteger();
        final TaskRunner counting = (task, group, results) ->
        {
            ran.incrementAndGet();
            return SUM_OF_INPUTS.run(task, group, results);
        };
        final WaveScheduler.Outcome resumed = Ranks.run(1, world ->
        {
            try (RankGroups groups = RankGroups.create(world, ExecutionMode.SERIAL, 1))
            {
                return new WaveScheduler(world, groups, policy, RunHooks.NONE, journal)
                    .run(graph, counting);
            }
        }).get(0);
        assertTrue(lastWaveTasks.get() > 0 && ran.get() >= lastWaveTasks.get(),
            "the stopped wave's tasks run again on resume");
        assertEquals(graph.size(), resumed.restored() + ran.get());
        for (int id = 0; id < graph.size(); id++)
        {
            assertEquals(value(full, id), value(resumed, id));
        }
    }

    private static List<WaveScheduler.Outcome> runOn(final int size, final ExecutionMode mode, final int groupSize,
        final TaskGraph graph, final TaskRunner runner) throws Exception
    {
        return Ranks.run(size, world ->
        {
            try (RankGroups groups = RankGroups.create(world, mode, groupSize))
            {
                return new WaveScheduler(world, groups, SchedulingPolicy.DEFAULT).run(graph, runner);
            }
        });
    }

    /** The journal's contract without a file (the file journal is the launcher's and is tested there). */
    private static final class MemoryJournal implements TaskJournal
    {
        private final Map<Integer, byte[]> kept = new HashMap<>();

        @Override
        public synchronized Map<Integer, byte[]> restore()
        {
            return new HashMap<>(kept);
        }

        @Override
        public synchronized void record(final Map<Integer, byte[]> results)
        {
            results.forEach((id, bytes) -> kept.put(id, bytes.clone()));
        }
    }
}
