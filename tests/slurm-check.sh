#!/bin/bash
# The Slurm path for real: a one-node Slurm cluster on localhost (munged,
# slurmctld, slurmd of Debian's packages, each with its own files in a
# private directory and random ports), `edgecut run --slurm` for a small
# sweep of two sections, sbatch of the job array, the shards merged, and
# the merged database checked against a local `-j 2` run (the same runs,
# fingerprints and frame rows).  The same sweep through GNU parallel from
# `edgecut list`, as the README shows it, must give the same database too.
# Exits 77 (meson: skipped) with a message when Slurm is not installed or
# cannot start here (no root, no munge key, a daemon refuses); every wait
# is bounded.  Usage: slurm-check.sh EDGECUT SRCDIR
set -u
edgecut=$(realpath "$1") src=$(realpath "$2")
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

for c in munged slurmctld slurmd sbatch squeue sinfo sqlite3; do
  command -v "$c" >/dev/null 2>&1 || skip "$c is not installed (apt-get install slurmd slurmctld slurm-client munge)"
done
[ "$(id -u)" = 0 ] || skip "starting slurmd needs root"

tmp=$(mktemp -d /tmp/edgecut-slurm.XXXXXX) || fail "mktemp"
chmod 700 "$tmp"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for f in slurmd slurmctld munged; do
    [ -s "$tmp/$f.pid" ] && kill "$(cat "$tmp/$f.pid")" 2>/dev/null
  done
  sleep 0.5
  rm -rf "$tmp"
}
trap cleanup EXIT
logs() { for f in "$tmp"/*.log; do echo "--- $f"; tail -n 5 "$f"; done; }

# munge, with a key of its own
dd if=/dev/urandom of="$tmp/munge.key" bs=1024 count=1 status=none
chmod 400 "$tmp/munge.key"
munged --force --socket="$tmp/munge.sock" --key-file="$tmp/munge.key" \
  --log-file="$tmp/munged.log" --pid-file="$tmp/munged.pid" --seed-file="$tmp/munged.seed" \
  >/dev/null 2>&1 || { logs; skip "munged does not start"; }

# the cluster: this host, two CPUs at most
host=$(hostname -s)
cpus=$(nproc); [ "$cpus" -gt 2 ] && cpus=2
port=$((20000 + RANDOM % 20000))
mkdir -p "$tmp/state" "$tmp/spool"
cat > "$tmp/slurm.conf" <<EOF
ClusterName=edgecut$port
SlurmctldHost=$host
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$tmp/munge.sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=edgecut Nodes=$host Default=YES MaxTime=30 State=UP
EOF
export SLURM_CONF=$tmp/slurm.conf
slurmctld -f "$SLURM_CONF" >/dev/null 2>&1 || { logs; skip "slurmctld does not start"; }
slurmd -f "$SLURM_CONF" >/dev/null 2>&1 || { logs; skip "slurmd does not start"; }
up=0
for _ in $(seq 1 60); do   # at most 30 s for the node to be idle
  if sinfo -h -o %t 2>/dev/null | grep -q idle; then up=1; break; fi
  sleep 0.5
done
[ "$up" = 1 ] || { logs; skip "the Slurm node does not come up"; }

# a small sweep of two sections: 2 learners x 2 uplink scales, 2 replicates
cat > "$tmp/sweep.ini" <<EOF
[General]
frames = 300
fps = 0.2
uplink.trace = $src/traces/lte-uplink.trace
uplink.start_s = random
learner = \${edge-only, random}
repeat = 2
[Config slow]
uplink.scale = \${scale=0.5, 0.25}
EOF
cd "$tmp" || fail "cd"
"$edgecut" run sweep.ini -c General,slow --db local.db -j 2 -q || fail "local -j 2 run"
out=$("$edgecut" run sweep.ini -c General,slow --db merged.db --slurm --slurm-batch 3 \
      --slurm-opts "--time=5") || fail "edgecut run --slurm: $out"
echo "$out"
script=$(echo "$out" | sed -n 's/^submit: *sbatch //p')
[ -f "$script" ] || fail "no script in: $out"
grep -q '^#SBATCH --time=5$' "$script" || fail "--slurm-opts not in $script"
timeout 300 sbatch --wait "$script" >"$tmp/sbatch.out" 2>&1 || {
  cat "$tmp/sbatch.out"; cat merged.shards/*.log 2>/dev/null; logs
  fail "the job array did not finish within 300 s, or a task failed"; }
"$edgecut" merge merged.db merged.shards/task-*.db || fail "merge"

# the same rows as the local run (runIds aside)
same() {
  local a=$1 b=$2 q
  q="SELECT r.runName, r.configName, r.replicate, r.seed, r.fingerprint, f.device, f.frame,
            f.action, f.delay_ns, f.regret_ns FROM %s.frame f JOIN %s.run r USING (runId)"
  n=$(sqlite3 "$a" "ATTACH '$b' AS b;
    SELECT (SELECT count(*) FROM ($(printf "$q" main main) EXCEPT $(printf "$q" b b)))
         + (SELECT count(*) FROM ($(printf "$q" b b) EXCEPT $(printf "$q" main main)))
         + abs((SELECT count(*) FROM main.run WHERE status = 'done')
               - (SELECT count(*) FROM b.run WHERE status = 'done'));")
  [ "$n" = 0 ] || fail "$a and $b differ in $n rows"
}
[ "$(sqlite3 local.db "SELECT count(*) FROM run WHERE status = 'done'")" = 12 ] || fail "local run"
same local.db merged.db
echo "slurm: 12 runs through a job array of $(grep -c "^  '" "$script") tasks, merged: the rows of -j 2"

# GNU parallel from `edgecut list`, as the README shows it
if command -v parallel >/dev/null 2>&1; then
  mkdir -p shards
  for c in General slow; do
    "$edgecut" list sweep.ini -c $c | cut -d' ' -f1 |
      timeout 300 parallel -j 2 "$edgecut" run sweep.ini -c $c -r {} --db shards/$c-{}.db -q ||
      fail "parallel, config $c"
  done
  "$edgecut" merge parallel.db shards/*.db >/dev/null || fail "merge of the parallel shards"
  same local.db parallel.db
  echo "parallel: the rows of -j 2"
else
  echo "SKIP: GNU parallel is not installed (apt-get install parallel)"
fi
exit 0
