#!/usr/bin/env bash
# The reference grid side by side: `slipstream local -n N` on examples/iris-random-forest-grid.yaml, then
# scikit-learn's GridSearchCV (n_jobs=N) on the same grid, and the ratio of their wall times.
#   jmh/peers/bench-search.sh [N]        (default N=2; peers: jmh/peers/install-peers.sh)
# Slipstream's wall_s is the whole `slipstream local` command (rank JVM starts included); scikit-learn's
# is GridSearchCV.fit + the test score inside Python (its interpreter start and imports excluded; the whole
# process is process_s). The run directory is removed afterwards.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$(dirname "$here")")"
ranks="${1:-2}"
run_dir="$(mktemp -d "${TMPDIR:-/tmp}/bench-search.XXXXXX")"
trap 'rm -rf "$run_dir"' EXIT

start=$(date +%s.%N)
"$repo/launcher/bin/slipstream" local -n "$ranks" --run-dir "$run_dir/run" \
  "$repo/examples/iris-random-forest-grid.yaml" >"$run_dir/slipstream.log" 2>&1 || {
  echo "bench-search: slipstream failed; its output:" >&2; tail -20 "$run_dir/slipstream.log" >&2; exit 1; }
end=$(date +%s.%N)
slip_wall=$(echo "$end - $start" | bc -l)
slip_line=$(/usr/bin/python3 - "$run_dir/run/summary.json" "$ranks" "$slip_wall" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
p = ",".join("%s=%s" % (k, "None" if s["best_params"][k] is None else s["best_params"][k])
             for k in sorted(s["best_params"]))
print("slipstream ranks=%s fits=%d wall_s=%.3f best_cv=%.6f test_accuracy=%.6f best_params=%s search_s=%.3f"
      % (sys.argv[2], s["fits"], float(sys.argv[3]), s["best_cv_score"], s["test"]["accuracy"], p, s["wall_seconds"]))
PY
)

start=$(date +%s.%N)
peer_line=$(/usr/bin/python3 "$here/sklearn_grid.py" --n-jobs "$ranks")
end=$(date +%s.%N)
peer_process=$(echo "$end - $start" | bc -l)
peer_wall=$(echo "$peer_line" | sed -n 's/.* wall_s=\([0-9.]*\).*/\1/p')

echo "$slip_line"
printf '%s process_s=%.3f\n' "$peer_line" "$peer_process"
printf 'ratio: slipstream wall_s / scikit-learn wall_s = %.3f (process to process %.3f); below 1 is faster than scikit-learn\n' \
  "$(echo "$slip_wall / $peer_wall" | bc -l)" "$(echo "$slip_wall / $peer_process" | bc -l)"
