/*
 * Peer for `slipstream bench allreduce --peer mpi`: MPI_Allreduce of float32 SUM over the same sizes,
 * printing the same table as Slipstream's AllreduceBenchmark so the two can be compared line by line.
 * Usage: mpirun -n N ./mpi_allreduce [min_bytes] [max_bytes] [iterations]
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int compare_doubles(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int iterations_for(long bytes, int requested)
{
    if (requested > 0)
    {
        return requested;
    }
    if (bytes <= (1L << 16)) return 1000;
    if (bytes <= (1L << 22)) return 100;
    return 20;
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    const long min_bytes = argc > 1 ? atol(argv[1]) : 8;
    const long max_bytes = argc > 2 ? atol(argv[2]) : 256L << 20;
    const int requested = argc > 3 ? atoi(argv[3]) : 0;

    float *buf = malloc((size_t)max_bytes);
    double *times = malloc(sizeof(double) * 1000);
    if (buf == NULL || times == NULL)
    {
        fprintf(stderr, "cannot allocate %ld bytes\n", max_bytes);
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    if (rank == 0)
    {
        printf("%12s %12s %12s %12s %12s %6s\n", "bytes", "count", "time_us", "algbw_GBps", "busbw_GBps", "wrong");
    }
    int failed = 0;
    for (long bytes = min_bytes; bytes <= max_bytes; bytes *= 2)
    {
        const long count = bytes / 4;
        const int iters = iterations_for(bytes, requested);
        long wrong = 0;
        for (int it = -2; it < iters; it++)
        {
            for (long i = 0; i < count; i++)
            {
                buf[i] = (float)((rank + 1) * ((i % 7) + 1));
            }
            MPI_Barrier(MPI_COMM_WORLD);
            const double start = MPI_Wtime();
            MPI_Allreduce(MPI_IN_PLACE, buf, (int)count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
            const double elapsed = MPI_Wtime() - start;
            if (it >= 0)
            {
                times[it] = elapsed;
            }
            const float ranks_sum = (float)(size * (size + 1) / 2);
            for (long i = 0; i < count; i++)
            {
                if (buf[i] != ranks_sum * (float)((i % 7) + 1))
                {
                    wrong++;
                }
            }
        }
        /* the slowest rank defines the collective's time */
        MPI_Allreduce(MPI_IN_PLACE, times, iters, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
        MPI_Allreduce(MPI_IN_PLACE, &wrong, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
        qsort(times, iters, sizeof(double), compare_doubles);
        const double median = times[iters / 2];
        const double algbw = bytes / median / 1e9;
        const double busbw = algbw * 2.0 * (size - 1) / size;
        if (rank == 0)
        {
            printf("%12ld %12ld %12.2f %12.3f %12.3f %6ld\n", bytes, count, median * 1e6, algbw, busbw, wrong);
            fflush(stdout);
        }
        if (wrong != 0)
        {
            failed = 1;
        }
    }
    free(buf);
    free(times);
    MPI_Finalize();
    return failed ? 1 : 0;
}
