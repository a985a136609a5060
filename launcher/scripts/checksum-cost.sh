#!/usr/bin/env bash
# Issue 7: what CRC32C frame checksums (SLIPSTREAM_CHECKSUMS=1) cost. Runs `slipstream bench allreduce -n RANKS`
# without and with checksums, alternating (off on off on ...) so that load drift on a shared machine falls on both,
# for each transport, and prints per size the bench's time (its median over iterations) off and on: the median over
# runs of each, their ratio, and the fastest run of each and their ratio (on a shared machine the fastest run is the
# one least disturbed by other work).
#
#   launcher/scripts/checksum-cost.sh [PAIRS] [SIZES] [TRANSPORTS] [RANKS] [ITERATIONS]
#   defaults:                          3       64K:64M "ipc udp"    2       100
#
# Exits 1 if any run failed or reported a wrong element. Each run is a full bench table (~5-15 s on 2 cores).
set -euo pipefail

pairs="${1:-3}"
sizes="${2:-64K:64M}"
transports="${3:-ipc udp}"
ranks="${4:-2}"
iterations="${5:-100}"

if ! [[ "$pairs" =~ ^[1-9][0-9]*$ && "$ranks" =~ ^[1-9][0-9]*$ && "$iterations" =~ ^[1-9][0-9]*$ ]]; then
  echo "checksum-cost: PAIRS, RANKS and ITERATIONS must be positive whole numbers, got '$pairs', '$ranks' and" \
    "'$iterations'; e.g. checksum-cost.sh 3 64K:64M 'ipc udp' 2 100" >&2
  exit 2
fi

script_dir="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
slipstream="$(dirname "$script_dir")/bin/slipstream"
work_dir="$(mktemp -d "${TMPDIR:-/tmp}/slipstream-checksum-cost-XXXXXX")"
trap 'rm -rf -- "$work_dir"' EXIT

echo "# checksum-cost: $pairs alternating pairs, sizes $sizes, transports $transports, $ranks ranks, $iterations" \
  "iterations, $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
for transport in $transports; do
  for pair in $(seq "$pairs"); do
    for crc in 0 1; do
      table="$work_dir/$transport.$crc.$pair"
      if ! SLIPSTREAM_CHECKSUMS="$crc" timeout 600 "$slipstream" bench allreduce -n "$ranks" --transport "$transport" \
           --sizes "$sizes" --iterations "$iterations" > "$table.raw" 2>&1; then
        echo "checksum-cost: the $transport run with SLIPSTREAM_CHECKSUMS=$crc failed:" >&2
        tail -5 "$table.raw" >&2
        exit 1
      fi
      # Rows of the bench table: bytes count time_us algbw busbw wrong (after the "[rank 0] " prefix).
      sed -n 's/^\[rank 0\] *\([0-9][0-9]* .*\)$/\1/p' "$table.raw" > "$table"
    done
  done
done

awk '
  function sorted(list, v,    n, i, j, t)
  {
    n = split(list, v, " ")
    for (i = 2; i <= n; i++) { t = v[i]; for (j = i - 1; j >= 1 && v[j] > t; j--) { v[j + 1] = v[j] } v[j + 1] = t }
    return n
  }
  function median(list,    n, v)
  {
    n = sorted(list, v)
    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
  }
  function fastest(list,    v)
  {
    sorted(list, v)
    return v[1]
  }
  {
    split(FILENAME, part, "/"); split(part[length(part)], key, ".")
    id = key[1] SUBSEP $1
    if (!(id in seen)) { seen[id] = 1; order[++rows] = id }
    times[id, key[2]] = times[id, key[2]] " " $3
    wrong += $6
  }
  END {
    printf "%-9s %10s %11s %11s %7s %11s %11s %7s\n", "transport", "bytes", "off_med_us", "on_med_us", "on/off",
      "off_min_us", "on_min_us", "on/off"
    for (r = 1; r <= rows; r++)
    {
      split(order[r], k, SUBSEP)
      off = median(times[order[r], 0]); on = median(times[order[r], 1])
      offMin = fastest(times[order[r], 0]); onMin = fastest(times[order[r], 1])
      printf "%-9s %10d %11.2f %11.2f %7.2f %11.2f %11.2f %7.2f\n", k[1], k[2], off, on, on / off, offMin, onMin,
        onMin / offMin
    }
    printf "# wrong elements in all runs: %d\n", wrong
    exit wrong == 0 ? 0 : 1
  }' $(ls "$work_dir"/*.[01].[0-9]* | grep -v '\.raw$' | sort)
