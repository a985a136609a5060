package io.slipstream.trainer.cv;

import io.slipstream.trainer.metrics.ConfusionMatrix;
import io.slipstream.trainer.tasks.ResultCodec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The results of a search's tasks, each a record with its codec (what travels between ranks and into the journal). */
final class SearchResults
{
    private SearchResults()
    {
    }

    /** One fold's fit: the validation score and the seconds fitting and scoring took. */
    record FitScore(double score, double fitSeconds, double scoreSeconds)
    {
        static final ResultCodec<FitScore> CODEC = new Codec<>()
        {
            @Override
            void write(final DataOutputStream out, final FitScore r) throws IOException
            {
                out.writeDouble(r.score);
                out.writeDouble(r.fitSeconds);
                out.writeDouble(r.scoreSeconds);
            }

            @Override
            FitScore read(final DataInputStream in) throws IOException
            {
                return new FitScore(in.readDouble(), in.readDouble(), in.readDouble());
            }
        };
    }

    /** A setting's scores over its folds. */
    record Aggregate(double mean, double std)
    {
        static final ResultCodec<Aggregate> CODEC = new Codec<>()
        {
            @Override
            void write(final DataOutputStream out, final Aggregate r) throws IOException
            {
                out.writeDouble(r.mean);
                out.writeDouble(r.std);
            }

            @Override
            Aggregate read(final DataInputStream in) throws IOException
            {
                return new Aggregate(in.readDouble(), in.readDouble());
            }
        };
    }

    /** Which setting was refitted on the whole training set, and how long that took. */
    record Refit(int best, double seconds)
    {
        static final ResultCodec<Refit> CODEC = new Codec<>()
        {
            @Override
            void write(final DataOutputStream out, final Refit r) throws IOException
            {
                out.writeInt(r.best);
                out.writeDouble(r.seconds);
            }

            @Override
            Refit read(final DataInputStream in) throws IOException
            {
                return new Refit(in.readInt(), in.readDouble());
            }
        };
    }

    /**
     * Named test metrics, the confusion matrix (null for clustering), importances by feature and the seconds the
     * evaluation took.
     */
    record Evaluation(Map<String, Double> metrics, ConfusionMatrix confusion, Map<String, Double> importances,
        double seconds)
    {
        static final ResultCodec<Evaluation> CODEC = new Codec<>()
        {
            @Override
            void write(final DataOutputStream out, final Evaluation r) throws IOException
            {
                writeMap(out, r.metrics);
                writeMap(out, r.importances);
                out.writeDouble(r.seconds);
                out.writeInt(r.confusion == null ? 0 : r.confusion.numClasses());
                if (r.confusion != null)
                {
                    for (final long c : r.confusion.toLongArray())
                    {
                        out.writeLong(c);
                    }
                }
            }

            @Override
            Evaluation read(final DataInputStream in) throws IOException
            {
                final Map<String, Double> metrics = readMap(in);
                final Map<String, Double> importances = readMap(in);
                final double seconds = in.readDouble();
                final int classes = in.readInt();
                ConfusionMatrix confusion = null;
                if (classes > 0)
                {
                    final long[] counts = new long[Math.multiplyExact(classes, classes)];
                    for (int i = 0; i < counts.length; i++)
                    {
                        counts[i] = in.readLong();
                    }
                    confusion = ConfusionMatrix.fromLongArray(classes, counts);
                }
                return new Evaluation(metrics, confusion, importances, seconds);
            }
        };
    }

    /** Where the best model was saved (null: not saved). */
    record Saved(String file)
    {
        static final ResultCodec<Saved> CODEC = new ResultCodec<>()
        {
            @Override
            public byte[] encode(final Saved r)
            {
                return r.file == null ? new byte[0] : r.file.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public Saved decode(final byte[] bytes)
            {
                return new Saved(bytes.length == 0 ? null : new String(bytes, StandardCharsets.UTF_8));
            }
        };
    }

    /** A codec over data streams; a result that does not decode is named, never guessed at. */
    private abstract static class Codec<T> implements ResultCodec<T>
    {
        abstract void write(DataOutputStream out, T result) throws IOException;

        abstract T read(DataInputStream in) throws IOException;

        @Override
        public final byte[] encode(final T result)
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes))
            {
                write(out, result);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            return bytes.toByteArray();
        }

        @Override
        public final T decode(final byte[] bytes)
        {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes)))
            {
                return read(in);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("a task result is corrupt", ex);
            }
        }
    }

    private static void writeMap(final DataOutputStream out, final Map<String, Double> map) throws IOException
    {
        out.writeInt(map.size());
        for (final Map.Entry<String, Double> e : map.entrySet())
        {
            out.writeUTF(e.getKey());
            out.writeDouble(e.getValue());
        }
    }

    private static Map<String, Double> readMap(final DataInputStream in) throws IOException
    {
        final Map<String, Double> map = new LinkedHashMap<>();
        final int n = in.readInt();
        for (int i = 0; i < n; i++)
        {
            map.put(in.readUTF(), in.readDouble());
        }
        return map;
    }
}
