#!/usr/bin/env bash
# Stops a cluster started by slurm/cluster-up.sh: kills exactly the daemons whose pid files are in DIR
# (slurmctld, each slurmd, and munged if cluster-up started it), waits for them, removes DIR.
#
#   slurm/cluster-down.sh DIR [--keep]     (--keep leaves DIR and its logs in place)
set -uo pipefail

dir="${1:?usage: cluster-down.sh DIR [--keep]}"
keep="${2:-}"
[[ -f "$dir/slurm.conf" ]] || { echo "cluster-down.sh: $dir is not a cluster-up.sh directory" >&2; exit 2; }

pids=()
for file in "$dir"/slurmd-*.pid "$dir/slurmctld.pid" "$dir/munged.pid"; do
  [[ -f "$file" ]] || continue
  pid="$(tr -dc '0-9' < "$file")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && { kill -TERM "$pid"; pids+=("$pid"); }
done
for _ in $(seq 100); do
  alive=0
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
  [[ $alive -eq 0 ]] && break
  sleep 0.1
done
for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"; done
[[ "$keep" == "--keep" ]] || rm -rf "$dir"
exit 0
