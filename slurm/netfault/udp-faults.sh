#!/usr/bin/env bash
# Issue 7, packet loss and reordering on UDP between ranks, long version. Two `slipstream run` ranks of
# `workload: bench`, each on its own simulated host (127.0.0.2 / 127.0.0.3, own host id, own external Aeron media
# driver), over UDP; the drivers drop LOSS of the data frames they receive, and hold back REORDER of the data
# datagrams they send until DISTANCE later ones have overtaken them (or 1 ms passed). Runs clean and faulty
# alternately (ROUNDS each, after one warm-up) and prints, per size: median allreduce time without and with the
# faults, slowdown, wrong results (must be 0). Exits 0 when every run finished with every result right.
#
#   slurm/netfault/udp-faults.sh [MIN_BYTES MAX_BYTES ITERATIONS WARMUP LOSS ROUNDS SECONDS_PER_RUN REORDER DISTANCE]
#   defaults:                     4K        16M       50         5      0.01 3      300             0       3
#   e.g. reordering only:        slurm/netfault/udp-faults.sh 64K 16M 50 5 0 3 300 0.05 3
#
# Kernel faults (netem in network namespaces) would be preferred; the script says whether this machine has it, and
# uses Aeron's RandomLossGenerator and a reordering send endpoint either way (see
# launcher/src/test/java/io/slipstream/launcher/netfault).
set -euo pipefail

min_bytes="${1:-4K}"
max_bytes="${2:-16M}"
iterations="${3:-50}"
warmup="${4:-5}"
loss="${5:-0.01}"
rounds="${6:-3}"
seconds="${7:-300}"
reorder="${8:-0}"
distance="${9:-3}"

script_dir="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
repo_dir="$(cd "$script_dir/../.." && pwd)"
launcher_dir="$repo_dir/launcher"
probe_ns="slipstream-netfault-probe-$$"
trial_pid=""
work_dir="$(mktemp -d "${TMPDIR:-/tmp}/slipstream-netfault-XXXXXX")"
shm_before="$(ls -d /dev/shm/slipstream-netfault-* 2>/dev/null || true)"

cleanup()
{
  if [[ -n "$trial_pid" ]] && kill -0 "$trial_pid" 2>/dev/null; then
    kill -TERM "$trial_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$trial_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$trial_pid" 2>/dev/null || true
  fi
  ip netns del "$probe_ns" 2>/dev/null || true
  rm -rf -- "$work_dir"
  # Only driver directories this run made (the trial's shutdown hook removes them unless it was killed -9).
  for dir in /dev/shm/slipstream-netfault-*; do
    [[ -e "$dir" ]] || continue
    grep -qxF "$dir" <<< "$shm_before" || rm -rf -- "$dir"
  done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

netem="no"
if [[ "$(id -u)" -eq 0 ]] && command -v ip > /dev/null && command -v tc > /dev/null &&
   ip netns add "$probe_ns" 2> /dev/null; then
  if ip netns exec "$probe_ns" ip link add probe0 type veth peer name probe1 2> /dev/null &&
     ip netns exec "$probe_ns" tc qdisc add dev probe0 root netem loss 1% 2> /dev/null; then
    netem="yes"
  fi
  ip netns del "$probe_ns" 2> /dev/null || true
fi
echo "# netns + netem on this machine: $netem (faults below come from the test drivers: Aeron's RandomLossGenerator," \
  "ReorderingSendChannelEndpoint)"

if [[ ! -d "$launcher_dir/target/test-classes/io/slipstream/launcher/netfault" || ! -d "$launcher_dir/target/lib" ]]; then
  echo "# building the launcher and its tests (offline) ..."
  (cd "$repo_dir" && mvn -B -q -o -DskipTests package -pl launcher -am)
fi

java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# shellcheck source=../../launcher/bin/jvm-flags
source "$launcher_dir/bin/jvm-flags"
"$java_bin" "${slipstream_jvm_flags[@]}" -XX:-UsePerfData -Djava.io.tmpdir="$work_dir" \
  -cp "$launcher_dir/target/test-classes:$launcher_dir/target/classes:$launcher_dir/target/lib/*" \
  io.slipstream.launcher.netfault.UdpFaultReport "$launcher_dir/bin/slipstream" \
  "$min_bytes" "$max_bytes" "$iterations" "$warmup" "$loss" "$rounds" "$seconds" "$reorder" "$distance" &
trial_pid=$!
status=0
wait "$trial_pid" || status=$?
trial_pid=""
exit "$status"
