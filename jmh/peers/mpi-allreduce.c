/*
 * The MPI peer of `slipstream bench allreduce --peer mpi`: MPI_Allreduce (in place, float32 SUM) over the
 * same sizes, iteration budget and data as comm's AllreduceBenchmark, printed in the same table, so the two
 * can be read side by side. Exits 1 if any element is wrong.
 *
 *   mpirun -np N mpi-allreduce MIN_BYTES MAX_BYTES ITERATIONS WARMUP
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Per size, timed iterations reduce at most about this many bytes (as in AllreduceBenchmark). */
#define BYTES_BUDGET_PER_SIZE (1024L * 1024 * 1024)

static float value(int rank, long i)
{
    return (float)((rank + i) % 7 - 3);
}

static void fill(float *data, long count, int rank)
{
    for (long i = 0; i < count; i++)
    {
        data[i] = value(rank, i);
    }
}

static int compare_doubles(const void *a, const void *b)
{
    const double x = *(const double *)a;
    const double y = *(const double *)b;
    return x < y ? -1 : x > y ? 1 : 0;
}

static long parse(const char *what, const char *text)
{
    char *end = NULL;
    const long v = strtol(text, &end, 10);
    if (end == text || *end != '\0' || v < 0)
    {
        fprintf(stderr, "mpi-allreduce: %s '%s' is not a non-negative whole number\n", what, text);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank = 0;
    int size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (argc != 5)
    {
        if (rank == 0)
        {
            fprintf(stderr, "usage: mpi-allreduce MIN_BYTES MAX_BYTES ITERATIONS WARMUP\n");
        }
        MPI_Finalize();
        return 2;
    }
    const long min_bytes = parse("MIN_BYTES", argv[1]);
    const long max_bytes = parse("MAX_BYTES", argv[2]);
    const long iterations_wanted = parse("ITERATIONS", argv[3]);
    const long warmup_wanted = parse("WARMUP", argv[4]);
    if (min_bytes < 4 || max_bytes < min_bytes || iterations_wanted < 1)
    {
        if (rank == 0)
        {
            fprintf(stderr, "mpi-allreduce: use 4 <= MIN_BYTES <= MAX_BYTES and ITERATIONS >= 1\n");
        }
        MPI_Finalize();
        return 2;
    }

    float *data = NULL;
    if (posix_memalign((void **)&data, 64, (size_t)max_bytes) != 0)
    {
        fprintf(stderr, "mpi-allreduce: rank %d cannot allocate %ld bytes\n", rank, max_bytes);
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    double *times = malloc(sizeof(double) * (size_t)iterations_wanted);
    long total_wrong = 0;
    if (rank == 0)
    {
        printf("# mpi allreduce: %d ranks, FLOAT32 SUM, median of up to %ld iterations\n", size, iterations_wanted);
        printf("#%13s %12s %11s %11s %11s %7s\n", "bytes", "count", "time_us", "algbw_GBps", "busbw_GBps", "wrong");
    }
    for (long bytes = min_bytes; bytes <= max_bytes; bytes *= 2)
    {
        const long count = bytes / 4;
        long budget = BYTES_BUDGET_PER_SIZE / bytes;
        budget = budget < 3 ? 3 : budget;
        const long iterations = iterations_wanted < budget ? iterations_wanted : budget;
        const long warmup = warmup_wanted < budget ? warmup_wanted : budget;
        fill(data, count, rank);
        MPI_Barrier(MPI_COMM_WORLD);
        for (long i = 0; i < warmup; i++)
        {
            MPI_Allreduce(MPI_IN_PLACE, data, (int)count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
        }
        for (long i = 0; i < iterations; i++)
        {
            fill(data, count, rank);
            MPI_Barrier(MPI_COMM_WORLD);
            const double start = MPI_Wtime();
            MPI_Allreduce(MPI_IN_PLACE, data, (int)count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
            times[i] = (MPI_Wtime() - start) * 1e6;
        }
        qsort(times, (size_t)iterations, sizeof(double), compare_doubles);
        double median_us = times[iterations / 2];
        MPI_Allreduce(MPI_IN_PLACE, &median_us, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
        long wrong = 0;
        for (long i = 0; i < count; i++)
        {
            float expected = 0.0f;
            for (int r = 0; r < size; r++)
            {
                expected += value(r, i);
            }
            wrong += data[i] != expected;
        }
        MPI_Allreduce(MPI_IN_PLACE, &wrong, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
        total_wrong += wrong;
        if (rank == 0)
        {
            const double algbw = bytes / (median_us * 1000.0);
            const double busbw = algbw * 2.0 * (size - 1) / size;
            printf("%14ld %12ld %11.2f %11.3f %11.3f %7ld\n", bytes, count, median_us, algbw, busbw, wrong);
            fflush(stdout);
        }
    }
    free(times);
    free(data);
    MPI_Finalize();
    return total_wrong == 0 ? 0 : 1;
}
