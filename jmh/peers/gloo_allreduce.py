#!/usr/bin/env python3
"""PyTorch gloo's side of `slipstream bench allreduce --peer gloo`: torch.distributed.all_reduce (float32 sum,
gloo backend, TCP on 127.0.0.1) on RANKS local processes over the same sizes, printed as the same table as
comm's AllreduceBenchmark and mpi-allreduce.c.

Same method as mpi-allreduce.c: sizes doubling from MIN_BYTES to MAX_BYTES; per size min(ITERATIONS, 1 GiB /
bytes, at least 3) timed iterations after as many warm-up ones (capped the same way), each refilled with
(rank + i) % 7 - 3 and started after a barrier; the median per rank, then the slowest rank's median;
busbw = bytes / time * 2(n-1)/n; every element checked after the last iteration.

Run: /usr/bin/python3 jmh/peers/gloo_allreduce.py RANKS MIN_BYTES MAX_BYTES ITERATIONS WARMUP
     (Debian python3-torch; see install-peers.sh)
"""
import os
import socket
import sys
import time

BYTES_BUDGET_PER_SIZE = 1024 * 1024 * 1024


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rank_main(rank, size, port, min_bytes, max_bytes, iterations_wanted, warmup_wanted):
    import torch
    import torch.distributed as dist
    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method="tcp://127.0.0.1:%d" % port, rank=rank, world_size=size)
    data = torch.empty(max_bytes // 4, dtype=torch.float32)
    pattern = {}
    if rank == 0:
        print("# gloo allreduce (torch %s): %d ranks, FLOAT32 SUM, median of up to %d iterations"
              % (torch.__version__, size, iterations_wanted))
        print("#%13s %12s %11s %11s %11s %7s" % ("bytes", "count", "time_us", "algbw_GBps", "busbw_GBps", "wrong"))
        sys.stdout.flush()
    total_wrong = 0
    bytes_ = min_bytes
    while bytes_ <= max_bytes:
        count = bytes_ // 4
        budget = max(BYTES_BUDGET_PER_SIZE // bytes_, 3)
        iterations = min(iterations_wanted, budget)
        warmup = min(warmup_wanted, budget)
        view = data[:count]
        index = torch.arange(count, dtype=torch.int64)
        mine = ((index + rank) % 7 - 3).to(torch.float32)
        view.copy_(mine)
        dist.barrier()
        for _ in range(warmup):
            dist.all_reduce(view, op=dist.ReduceOp.SUM)
        times = []
        for _ in range(iterations):
            view.copy_(mine)
            dist.barrier()
            start = time.perf_counter()
            dist.all_reduce(view, op=dist.ReduceOp.SUM)
            times.append((time.perf_counter() - start) * 1e6)
        times.sort()
        median = torch.tensor([times[iterations // 2]], dtype=torch.float64)
        dist.all_reduce(median, op=dist.ReduceOp.MAX)
        expected = torch.zeros(count, dtype=torch.float32)
        for r in range(size):
            expected += ((index + r) % 7 - 3).to(torch.float32)
        wrong = torch.tensor([int((view != expected).sum())], dtype=torch.int64)
        dist.all_reduce(wrong, op=dist.ReduceOp.SUM)
        total_wrong += int(wrong[0])
        if rank == 0:
            median_us = float(median[0])
            algbw = bytes_ / (median_us * 1000.0)
            busbw = algbw * 2.0 * (size - 1) / size
            print("%14d %12d %11.2f %11.3f %11.3f %7d" % (bytes_, count, median_us, algbw, busbw, int(wrong[0])))
            sys.stdout.flush()
        bytes_ *= 2
    dist.destroy_process_group()
    return total_wrong


def parse(what, text):
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        print("gloo_allreduce: %s '%s' is not a non-negative whole number" % (what, text), file=sys.stderr)
        sys.exit(2)
    return value


def main():
    if len(sys.argv) != 6:
        print("usage: gloo_allreduce.py RANKS MIN_BYTES MAX_BYTES ITERATIONS WARMUP", file=sys.stderr)
        return 2
    size = parse("RANKS", sys.argv[1])
    min_bytes = parse("MIN_BYTES", sys.argv[2])
    max_bytes = parse("MAX_BYTES", sys.argv[3])
    iterations = parse("ITERATIONS", sys.argv[4])
    warmup = parse("WARMUP", sys.argv[5])
    if size < 1 or min_bytes < 4 or min_bytes > max_bytes or iterations < 1:
        print("gloo_allreduce: use RANKS >= 1, 4 <= MIN_BYTES <= MAX_BYTES and ITERATIONS >= 1", file=sys.stderr)
        return 2
    try:
        import torch.distributed  # noqa: F401
    except ImportError as ex:
        print("gloo_allreduce: PyTorch is not installed (%s); run jmh/peers/install-peers.sh" % ex, file=sys.stderr)
        return 2
    port = free_port()
    children = []
    for rank in range(1, size):
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                status = 1 if rank_main(rank, size, port, min_bytes, max_bytes, iterations, warmup) else 0
            finally:
                os._exit(status)
        children.append(pid)
    wrong = rank_main(0, size, port, min_bytes, max_bytes, iterations, warmup)
    failed = 0
    for pid in children:
        _, status = os.waitpid(pid, 0)
        failed += status != 0
    return 1 if wrong or failed else 0


if __name__ == "__main__":
    sys.exit(main())
