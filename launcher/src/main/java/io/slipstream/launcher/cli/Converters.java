package io.slipstream.launcher.cli;

import io.slipstream.comm.DataType;
import io.slipstream.comm.ReduceOp;
import io.slipstream.comm.TransportKind;
import io.slipstream.launcher.spec.ValueText;
import picocli.CommandLine.ITypeConverter;

import java.util.List;
import java.util.Locale;

/**
 * picocli converters for the options whose values are checked where they are read: each names its option in the
 * one-line {@link UsageException} it throws ({@code -n 0 is out of range ...}), which {@link Slipstream} prints as
 * it is.
 */
final class Converters
{
    private Converters()
    {
    }

    /** A whole number in {@code [min, max]}, named {@code name} in errors. */
    abstract static class Bounded implements ITypeConverter<Integer>
    {
        private final String name;
        private final int min;
        private final int max;

        Bounded(final String name, final int min, final int max)
        {
            this.name = name;
            this.min = min;
            this.max = max;
        }

        @Override
        public Integer convert(final String value)
        {
            return (int)ValueText.integer(name, value, min, max, UsageException::new);
        }
    }

    /** {@code -n}: 1..1024 ranks. */
    static final class Ranks extends Bounded
    {
        Ranks()
        {
            super("-n", 1, 1024);
        }
    }

    /** {@code --iterations}: 1..1,000,000. */
    static final class Iterations extends Bounded
    {
        Iterations()
        {
            super("--iterations", 1, 1_000_000);
        }
    }

    /** {@code --steps}: 1..1,000,000. */
    static final class Steps extends Bounded
    {
        Steps()
        {
            super("--steps", 1, 1_000_000);
        }
    }

    /** {@code --batch}: 1..1,000,000. */
    static final class Batch extends Bounded
    {
        Batch()
        {
            super("--batch", 1, 1_000_000);
        }
    }

    /** {@code --warmup}: 0..1,000,000. */
    static final class Warmup extends Bounded
    {
        Warmup()
        {
            super("--warmup", 0, 1_000_000);
        }
    }

    /** {@code --threads}: 1..1024. */
    static final class Threads extends Bounded
    {
        Threads()
        {
            super("--threads", 1, 1024);
        }
    }

    /** {@code --seed}: any whole number. */
    static final class Seed implements ITypeConverter<Long>
    {
        @Override
        public Long convert(final String value)
        {
            return ValueText.wholeNumber("--seed", value, UsageException::new);
        }
    }

    /** {@code --deadline}: "500ms", "90s", "2m", "1h" or seconds, at most 7 days. */
    static final class Deadline implements ITypeConverter<CommonOptions.Deadline>
    {
        @Override
        public CommonOptions.Deadline convert(final String value)
        {
            return new CommonOptions.Deadline(value, CommonOptions.parseDuration("--deadline", value));
        }
    }

    /** {@code --transport}: auto, ipc or udp. */
    static final class Transport implements ITypeConverter<TransportKind>
    {
        @Override
        public TransportKind convert(final String value)
        {
            return WorldConnection.parse(value);
        }
    }

    /** {@code --type}: the allreduce's element type. */
    static final class ElementType implements ITypeConverter<DataType>
    {
        @Override
        public DataType convert(final String value)
        {
            return switch (value)
            {
                case "float32" -> DataType.FLOAT32;
                case "float64" -> DataType.FLOAT64;
                case "int32" -> DataType.INT32;
                case "int64" -> DataType.INT64;
                default -> throw new UsageException("--type '" + value + "' is not known; use float32, float64, " +
                    "int32 or int64");
            };
        }
    }

    /** {@code --op}: the allreduce's reduction. */
    static final class Op implements ITypeConverter<ReduceOp>
    {
        @Override
        public ReduceOp convert(final String value)
        {
            return switch (value)
            {
                case "sum" -> ReduceOp.SUM;
                case "max" -> ReduceOp.MAX;
                case "min" -> ReduceOp.MIN;
                default -> throw new UsageException("--op '" + value + "' is not known; use sum, max or min");
            };
        }
    }

    /** Shell completion candidates of {@code --transport}. */
    static final class TransportNames implements Iterable<String>
    {
        @Override
        public java.util.Iterator<String> iterator()
        {
            return List.of("auto", "ipc", "udp").iterator();
        }
    }

    /** Shell completion candidates of {@code --type}. */
    static final class TypeNames implements Iterable<String>
    {
        @Override
        public java.util.Iterator<String> iterator()
        {
            return List.of("float32", "float64", "int32", "int64").iterator();
        }
    }

    /** Shell completion candidates of {@code --op}. */
    static final class OpNames implements Iterable<String>
    {
        @Override
        public java.util.Iterator<String> iterator()
        {
            return List.of("sum", "max", "min").iterator();
        }
    }

    /** The lower-case name of {@code transport}, as the ranks' command lines and environment take it. */
    static String name(final TransportKind transport)
    {
        return transport.name().toLowerCase(Locale.ROOT);
    }
}
