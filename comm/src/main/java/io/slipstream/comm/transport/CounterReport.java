package io.slipstream.comm.transport;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.io.PrintStream;
import java.nio.MappedByteBuffer;
import java.util.Arrays;

/**
 * Prints the counters of every rank of a running job on this host: {@code java --add-exports
 * java.base/jdk.internal.misc=ALL-UNNAMED -cp 'launcher/target/lib/*' io.slipstream.comm.transport.CounterReport
 * /dev/shm/slipstream-<job hash>-<host>/aeron} (the job's Aeron directory; with no argument, that of every
 * {@code slipstream-*} directory under /dev/shm). One line per counter: {@code <value> <label>}. The files are
 * mapped read-only, so reading never disturbs the job. Each directory's counters follow a line {@code # <directory>}.
 */
public final class CounterReport
{
    private CounterReport()
    {
    }

    public static void main(final String[] args)
    {
        final File[] dirs = args.length > 0 ? new File[] {new File(args[0])} :
            DriverHost.baseDirectory().listFiles((d, name) -> name.startsWith(DriverHost.DIR_PREFIX));
        if (dirs == null || dirs.length == 0)
        {
            System.err.println("no slipstream directory to read: give the job's Aeron directory as the argument");
            System.exit(2);
        }
        Arrays.sort(dirs);
        for (final File dir : dirs)
        {
            final File nested = new File(dir, DriverHost.AERON_SUBDIRECTORY);
            final File aeronDir = args.length == 0 && nested.isDirectory() ? nested : dir;
            System.out.println("# " + aeronDir);
            print(aeronDir, System.out);
        }
    }

    /** Prints the counters of every rank file in {@code aeronDir}; returns how many files it read. */
    public static int print(final File aeronDir, final PrintStream out)
    {
        final File[] files = aeronDir.listFiles((d, name) ->
            name.startsWith(CommCounters.FILE_PREFIX) && name.endsWith(CommCounters.FILE_SUFFIX));
        if (files == null)
        {
            return 0;
        }
        Arrays.sort(files);
        int read = 0;
        for (final File file : files)
        {
            if (file.length() != CommCounters.FILE_LENGTH)
            {
                continue; // being created, or not ours
            }
            final MappedByteBuffer mapping =
                IoUtil.mapExistingFile(file, java.nio.channels.FileChannel.MapMode.READ_ONLY, file.getName());
            try
            {
                final int metadataLength = CommCounters.MAX_COUNTERS * CountersReader.METADATA_LENGTH;
                final CountersReader reader = new CountersReader(new UnsafeBuffer(mapping, 0, metadataLength),
                    new UnsafeBuffer(mapping, metadataLength, CommCounters.FILE_LENGTH - metadataLength));
                reader.forEach((value, id, label) -> out.println(value + " " + label));
                read++;
            }
            finally
            {
                IoUtil.unmap(mapping);
            }
        }
        return read;
    }
}
