#!/usr/bin/env bash
# The long version of issue 7's kill -9 suite (KillRankIT runs a few trials in CI):
#   launcher/scripts/fault-kill-rank.sh [trials] [seed]      (default 100 trials, a fresh seed)
# SLIPSTREAM_FAULT_WINDOW_MS (default 9000) is the window after training begins in which training kills land.
# Each trial runs a checkpointed 2-rank MLP job through bin/slipstream (under 'slipstream local', or as srun-style
# ranks with nobody watching), SIGKILLs a random rank at a random moment of training, or, every 4th trial, of
# start-up (JVM start, joining comm's world, ND4J loading: the first 2/3 of the fastest time seen so far from the
# ranks' start to training), checks the job ends non-zero naming the dead rank (no hang), that every checkpoint is
# intact, that a resumed run ends with the coefficients of an uninterrupted run, and that no process or /dev/shm
# driver directory is left.
# Prints: trials run, faults injected (and how many before training began), hangs, lost checkpoints, resumes equal
# (exit 1 if any check failed).
# A trial takes 20-30 s on 2 loaded cores. Do not build in this worktree while it runs (the ranks load target/).
set -euo pipefail

trials="${1:-100}"
seed="${2:-}"
script_dir="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
launcher_dir="$(dirname "$script_dir")"
repo_dir="$(dirname "$launcher_dir")"

if ! [[ "$trials" =~ ^[1-9][0-9]*$ ]]; then
  echo "fault-kill-rank: trials must be a positive whole number, got '$trials'; e.g. fault-kill-rank.sh 100" >&2
  exit 2
fi

# Classes, test classes and target/lib (the runtime jars bin/slipstream uses), offline; tests are not run here.
(cd "$repo_dir" && mvn -B -q -o -DskipTests package -pl launcher -am >&2)

java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
cd "$launcher_dir"
exec "$java_bin" ${SLIPSTREAM_FAULT_WINDOW_MS:+-Dslipstream.fault.windowMs="$SLIPSTREAM_FAULT_WINDOW_MS"} -cp "target/test-classes:target/classes:target/lib/*" \
  io.slipstream.launcher.fault.KillRankTrials "$trials" ${seed:+"$seed"}
