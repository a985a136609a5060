#!/usr/bin/env bash
# Stands up a throw-away SLURM cluster on this machine for tests: one slurmctld and K slurmd "nodes"
# (node1..nodeK on 127.0.0.1..127.0.0.K, one real machine), state and logs in a scratch directory.
#
#   slurm/cluster-up.sh [--nodes K] [--cpus C] [--dir DIR] [--port-base P]
#
# Prints the scratch directory on stdout (last line). Use the cluster with
#   source DIR/env        # exports SLURM_CONF
# and stop it with slurm/cluster-down.sh DIR (kills exactly the daemons this script started, by pid).
# Needs root and the Debian packages slurmctld slurmd slurm-client munge (see .ci/run).
set -euo pipefail

nodes=2
cpus=4
dir=""
port_base=16800
while [[ $# -gt 0 ]]; do
  case "$1" in
    --nodes) nodes="$2"; shift 2 ;;
    --cpus) cpus="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    --port-base) port_base="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "cluster-up.sh: unknown option $1; see --help" >&2; exit 2 ;;
  esac
done
[[ "$nodes" =~ ^[1-9][0-9]?$ && "$nodes" -le 20 ]] || { echo "cluster-up.sh: --nodes $nodes: use 1..20" >&2; exit 2; }
[[ "$cpus" =~ ^[1-9][0-9]*$ ]] || { echo "cluster-up.sh: --cpus $cpus: use a positive number" >&2; exit 2; }
for tool in slurmctld slurmd sinfo munged; do
  command -v "$tool" >/dev/null || { echo "cluster-up.sh: $tool is not installed (apt-get install slurmctld slurmd slurm-client munge)" >&2; exit 2; }
done
[[ $(id -u) -eq 0 ]] || { echo "cluster-up.sh: slurmd must run as root here" >&2; exit 2; }

dir="${dir:-$(mktemp -d /tmp/slipstream-slurm.XXXXXX)}"
mkdir -p "$dir/state" "$dir/spool"
host="$(hostname -s)"
ctld_port=$((port_base + 17))
first_node_port=$((port_base + 201))
last_node_port=$((first_node_port + nodes - 1))

# munge: one per machine. Reuse a running one; otherwise start it as the munge user (it refuses root).
if ! munge -n </dev/null >/dev/null 2>&1; then
  mkdir -p /run/munge && chown munge:munge /run/munge && chmod 0755 /run/munge
  runuser -u munge -- /usr/sbin/munged
  for _ in $(seq 50); do munge -n </dev/null >/dev/null 2>&1 && break; sleep 0.1; done
  # Record the daemon's own pid (munged forks) so cluster-down.sh stops exactly this one.
  cp /run/munge/munged.pid "$dir/munged.pid"
fi

cat > "$dir/slurm.conf" <<CONF
# Throw-away test cluster written by slurm/cluster-up.sh; settings from shared/notes/FACTS.md.
ClusterName=slipstream
SlurmctldHost=${host}(127.0.0.1)
SlurmctldPort=${ctld_port}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
# Short credential lifetime: a requeued job restarts in ~15 s instead of ~120 s.
AuthInfo=cred_expire=10
StateSaveLocation=${dir}/state
SlurmdSpoolDir=${dir}/spool/%n
SlurmctldPidFile=${dir}/slurmctld.pid
SlurmdPidFile=${dir}/slurmd-%n.pid
SlurmctldLogFile=${dir}/slurmctld.log
SlurmdLogFile=${dir}/slurmd-%n.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
# Lets a fake node declare more CPUs than the machine has.
SlurmdParameters=config_overrides
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
# Without it a request larger than the cluster waits forever instead of failing.
EnforcePartLimits=ALL
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
MailProg=/bin/true
SlurmdTimeout=60
MinJobAge=600
NodeName=node[1-${nodes}] NodeHostname=${host} NodeAddr=127.0.0.[1-${nodes}] Port=[${first_node_port}-${last_node_port}] CPUs=${cpus} State=UNKNOWN
PartitionName=debug Nodes=node[1-${nodes}] Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
CONF
printf 'export SLURM_CONF=%q\n' "$dir/slurm.conf" > "$dir/env"
export SLURM_CONF="$dir/slurm.conf"

slurmctld -i -f "$SLURM_CONF"
for i in $(seq "$nodes"); do
  mkdir -p "$dir/spool/node$i"
  slurmd -N "node$i" -f "$SLURM_CONF"
done

# Ready when every node is idle (a few seconds).
for _ in $(seq 150); do
  idle=$(sinfo -h -N -o '%T' 2>/dev/null | grep -c '^idle$' || true)
  [[ "$idle" -eq "$nodes" ]] && { echo "$dir"; exit 0; }
  sleep 0.2
done
echo "cluster-up.sh: nodes not idle after 30 s; see $dir/slurmctld.log and $dir/slurmd-node*.log" >&2
"$(dirname "$0")/cluster-down.sh" "$dir" >&2 || true
exit 1
