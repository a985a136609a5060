#!/usr/bin/env bash
# Re-measures RELIABILITY.md's bad-input and fault tables: runs the bad-input corpus, the child-process fault
# cases and the fault suites (comm's FaultTest, ProcessRanksTest, DeadlineTest, StartUpTest, OwnerOnlyDriverTest; the
# launcher's kill, restart, local, long-fit and disk ITs)
# once, then prints both tables with totals in the columns tried / clean / hung / stack trace / wrong exit /
# silently accepted / lost / admitted. A failed test is put in a column by its failure message (see classify).
# Usage: launcher/scripts/reliability-tables.sh [LOG]   (run from the repository root; ~15 min on 2 cores).
# Run it in the foreground of a shell (not with '&' from a script): a background job without job control starts
# with SIGINT ignored, and LocalRanksIT's Ctrl-C case then fails for that reason alone.
set -uo pipefail
log="${1:-/tmp/reliability-tables.log}"
tests='BadInputCorpusTest,ProcessFaultsIT,FaultTest,ProcessRanksTest,DeadlineTest,StartUpTest,OwnerOnlyDriverTest,KillRankIT,LocalRanksIT,LongFitIT,RestartAfterCrashIT,CheckpointDirFaultIT'
# The named *IT classes run in the test phase (-Dtest picks them there), once: build target/lib first, so the
# ranks they start run this tree's code.
mvn -B -o -q -DskipTests package -pl launcher -am >"$log" 2>&1 || { echo "build failed (log: $log)"; exit 1; }
rm -rf comm/target/surefire-reports launcher/target/failsafe-reports launcher/target/surefire-reports
mvn -B -o -pl comm,launcher -am test -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false -DfailIfNoTests=false -Dmaven.test.failure.ignore=true \
  >>"$log" 2>&1
echo "maven exit $? (log: $log)"
python3 - "$log" "$tests" <<'PY'
import glob, re, sys, xml.etree.ElementTree as ET
log = open(sys.argv[1], errors="replace").read()
wanted = set(sys.argv[2].split(","))
cols = ["hung", "stack_trace", "wrong_exit", "silently_accepted", "lost", "admitted", "other"]
def classify(text):
    t = text.lower()
    if "hung" in t or "timed out" in t or "timeout" in t: return "hung"
    if "stack trace" in t: return "stack_trace"
    if "admitted" in t or "intruder" in t: return "admitted"
    if "checkpoint" in t or "lost" in t or "resume" in t: return "lost"
    if "exit code 0" in t: return "silently_accepted"
    if "exit" in t or "status" in t: return "wrong_exit"
    return "other"
m = re.findall(r"bad-input totals: (.*)", log)
print("\nBad input (BadInputCorpusTest, in-process, each case time-bound):")
print("| cases | " + " | ".join(["tried", "refused cleanly", "hung", "stack trace", "wrong exit", "silently accepted",
                                  "not one clear line / left behind"]) + " |")
if m:
    d = dict(kv.split("=") for kv in m[-1].split())
    print("| corpus | %s | %s | %s | %s | %s | %s | %s |" % (d["tried"], d["refused_cleanly"], d["hung"], d["stack_trace"],
          d["wrong_exit"], d["silently_accepted"], d["other"]))
print("\nFaults (one row per test class; a test that passed is one case handled cleanly):")
print("| suite | tried | clean | " + " | ".join(c.replace("_", " ") for c in cols) + " |")
total = {c: 0 for c in ["tried", "clean"] + cols}
seen = set()
for report in sorted(glob.glob("comm/target/surefire-reports/TEST-*.xml") +
                     glob.glob("launcher/target/surefire-reports/TEST-*.xml")):
    suite = ET.parse(report).getroot()
    name = suite.get("name").split(".")[-1]
    if name == "BadInputCorpusTest" or name not in wanted or name in seen: continue
    seen.add(name)
    row = {c: 0 for c in ["tried", "clean"] + cols}
    for case in suite.iter("testcase"):
        if case.find("skipped") is not None: continue
        row["tried"] += 1
        bad = case.find("failure") if case.find("failure") is not None else case.find("error")
        if bad is None: row["clean"] += 1
        else: row[classify((bad.get("message") or "") + (bad.text or "")[:2000])] += 1
    for c in row: total[c] += row[c]
    print("| %s | " % name + " | ".join(str(row[c]) for c in ["tried", "clean"] + cols) + " |")
print("| **total** | " + " | ".join("**%d**" % total[c] for c in ["tried", "clean"] + cols) + " |")
PY
