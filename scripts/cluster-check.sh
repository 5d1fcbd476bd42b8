#!/usr/bin/env bash
# Proves that a batch sharded over a real cluster engine gives the same answer
# as one machine (README, `trackgate batch`, "Sharding"):
#
#   bash scripts/cluster-check.sh                       # builds with scripts/setup.sh first
#   TRACKGATE=path/to/trackgate bash scripts/cluster-check.sh   # that binary, no build
#
# 1. A batch of 38 tracks made from samples/tracks (cut, quiet, clipped, padded,
#    with gaps, ...; a corrupt file and a request without audio: exit 2) is run
#    once on this machine, the reference.
# 2. A one-node Slurm cluster (slurmctld, slurmd and a private munged, all in a
#    temporary folder, stopped at the end) runs the README's array job, 4 shards
#    into one --out; shard 1 is requeued (killed) mid-run and must resume.
# 3. GNU parallel runs the same 4 shards.
# After each, `trackgate report` merges the shards; the merged verdicts, exit
# code, page and every delivered file (byte for byte) must equal one machine's.
# Installs slurm-wlm, munge, parallel, ffmpeg and python3 when missing. The
# cluster runs as root (SlurmUser=root): run as root, or the script reruns
# itself under sudo. CLUSTER_CHECK_KEEP=1 keeps the work folder.
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")/.."
say() { echo "cluster-check: $*"; }
fail() { echo "cluster-check: FAIL: $*" >&2; exit 1; }
problem() { echo "cluster-check: FAIL: $*" >&2; failed=1; }  # a mismatch: go on, fail at the end
failed=0
now() { date +%s.%N; }
secs() { awk "BEGIN { printf \"%.1f\", $2 - $1 }"; }
waitfor() { local tenths=$(($1 * 10)); shift; for _ in $(seq "$tenths"); do "$@" && return; sleep 0.1; done; "$@"; }

sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
[ -z "$sudo" ] || command -v sudo >/dev/null || fail "a Slurm cluster needs root (SlurmUser=root): run this as root, or install sudo"
missing=()
for p in slurm-wlm munge parallel ffmpeg python3; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ -n "${TRACKGATE:-}" ] || bash scripts/setup.sh
tg="$(realpath "${TRACKGATE:-$PWD/.build/release/trackgate}")"
[ -x "$tg" ] || fail "no trackgate binary at $tg"
"$tg" report --help >/dev/null 2>&1 || fail "$tg has no 'report' subcommand, which merges the shards: build a newer trackgate"
[ -z "$sudo" ] || exec sudo env CLUSTER_CHECK_KEEP="${CLUSTER_CHECK_KEEP:-}" TRACKGATE="$tg" bash "$PWD/scripts/cluster-check.sh"
for port in 6817 6818; do  # Slurm's ports: a cluster left running would answer instead of ours
  ! (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null || fail "port $port is in use (a slurmctld or slurmd still running?)"
done
export SOURCE_DATE_EPOCH=1700000000  # the date in delivery tags, so deliveries are reproducible
samples="$PWD/samples/tracks"
w="$(mktemp -d)"
chmod 755 "$w"  # munged refuses a socket in a folder others cannot reach

jobid=""
finished() { [ -z "$(squeue -h -j "$jobid" -o %i 2>/dev/null)" ]; }
gone() { ! [ -s "$w/run/$1.pid" ] || ! kill -0 "$(cat "$w/run/$1.pid")" 2>/dev/null; }
cleanup() {
  set +e
  if [ -n "$jobid" ]; then  # end the tasks before their slurmd, or their slurmstepd outlive it
    scancel "$jobid"; waitfor 40 finished
  fi
  for d in slurmd slurmctld munged; do [ -s "$w/run/$d.pid" ] && kill "$(cat "$w/run/$d.pid")" 2>/dev/null; done
  for d in slurmd slurmctld munged; do waitfor 15 gone "$d"; done  # so the ports are free for the next run
  if [ -n "${CLUSTER_CHECK_KEEP:-}" ]; then echo "cluster-check: work folder kept: $w"; else rm -rf "$w"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$w"
mkdir -p in ids run state spool log logs reports par-reports

# The batch: 12 variants of each sample, every other one as FLAC; "|60" asks for 60 s.
variants=("orig||" "cut|atrim=0:20|" "cut-asked|atrim=0:20|20" "quiet|volume=-18dB|" "hot|volume=15dB|"
  "tail|apad=pad_dur=8|" "late|adelay=3000:all=1|" "gap|volume=0:enable='between(t,8,10)'|" "fast|atempo=1.12|"
  "dull|lowpass=f=2500|" "fade|atrim=0:24,afade=t=out:st=19:d=5|24" "long-ask||60")
n=0
for src in "$samples"/*.flac; do
  base="$(basename "$src" .flac)"
  for v in "${variants[@]}"; do
    IFS='|' read -r name filter duration <<<"$v"
    ext=wav; [ $((n++ % 2)) -eq 0 ] || ext=flac
    ffmpeg -nostdin -v error -i "$src" ${filter:+-af "$filter"} "in/$base-$name.$ext"
    python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); r.update({"duration": int(sys.argv[3])} if sys.argv[3] and "duration" in r else {})
json.dump(r, open(sys.argv[2], "w"), indent=2)' "$samples/$base.request.json" "in/$base-$name.request.json" "$duration"
    if [ -f "$samples/$base.task.json" ]; then cp "$samples/$base.task.json" "in/$base-$name.task.json"; fi
  done
done
head -c 60000 /dev/urandom > in/corrupt.wav && cp "$samples/battle-loop.request.json" in/corrupt.request.json
cp "$samples/city-lights-song.request.json" in/lost.request.json
tracks=$(ls in/*.request.json | wc -l)

# One machine: the reference.
t0=$(now); single=0; "$tg" batch in --out single --report single.jsonl --quiet || single=$?; single_s=$(secs "$t0" "$(now)")
[ "$single" -eq 2 ] || fail "one machine should exit 2 (a corrupt file, a request without audio), got $single"
audio=$(python3 -c 'import json, sys; print(round(sum(json.loads(l)["duration_s"] or 0 for l in open(sys.argv[1]))))' single.jsonl)
say "$tracks tracks, $audio s of audio; one machine: $single_s s, exit $single"

merge() {  # merge OUT: `trackgate report` over the shards' sidecars; sets code
  code=0
  "$tg" report "$1" --inputs in --report "$1.jsonl" --junit "$1.xml" --quiet || code=$?
}
compare() {  # compare LABEL OUT: the merged answer of OUT against one machine's
  local label=$1 out=$2 f differ=()
  python3 - single.jsonl "$out.jsonl" "$out/index.html" <<'EOF' >&2 || problem "$label: the merged answer differs from one machine's (above)"
import json, os, sys
def verdicts(path):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    ids = [row["id"] for row in rows]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice: print("  reported twice:", *twice)
    return {row["id"]: row["verdict"] for row in rows}, not twice
(one, ok_one), (merged, ok_merged) = verdicts(sys.argv[1]), verdicts(sys.argv[2])
diff = [i for i in sorted(one.keys() | merged.keys()) if one.get(i) != merged.get(i)]
for i in diff: print(f"  {i}: one machine {one.get(i, 'missing')}, merged {merged.get(i, 'missing')}")
page = open(sys.argv[3]).read() if os.path.exists(sys.argv[3]) else ""
unnamed = [i for i in one if f">{i}<" not in page and json.dumps(i) not in page]  # a cell, or the page's JSON data
if unnamed: print(f"  {sys.argv[3]} does not name {len(unnamed)} of {len(one)} tracks:", *unnamed[:5])
sys.exit(0 if ok_one and ok_merged and not diff and not unnamed else 1)
EOF
  [ "$code" -eq "$single" ] || problem "$label: exit $code, one machine $single"
  for f in single/*.wav single/*.flac; do cmp -s "$f" "$out/${f##*/}" || differ+=("${f##*/}"); done
  [ ${#differ[@]} -eq 0 ] || problem "$label: ${#differ[@]} of $(ls single/*.wav single/*.flac | wc -l) delivered files differ from one machine's (e.g. ${differ[0]}; is SOURCE_DATE_EPOCH honoured?)"
  for f in "$out"/*.wav "$out"/*.flac; do [ -e "single/${f##*/}" ] || problem "$label: delivered $f, one machine did not"; done
  [ "$(grep -o '<testcase' "$out.xml" 2>/dev/null | wc -l)" -eq "$tracks" ] || problem "$label: $out.xml does not hold $tracks test cases"
}

# Slurm: a one-node cluster in $w, with its own MUNGE key and socket.
h="$(hostname -s)"
(umask 077 && mkdir munge && dd if=/dev/urandom of=munge/munge.key bs=1024 count=1 status=none)
munged --socket="$w/run/munge.socket" --key-file="$w/munge/munge.key" --pid-file="$w/run/munged.pid" \
  --seed-file="$w/munge/seed" --log-file="$w/log/munged.log" || fail "munged did not start: $(tail -2 log/munged.log)"
cat > slurm.conf <<EOF
ClusterName=trackgate-check
SlurmctldHost=$h(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$w/run/munge.socket
StateSaveLocation=$w/state
SlurmdSpoolDir=$w/spool
SlurmctldPidFile=$w/run/slurmctld.pid
SlurmdPidFile=$w/run/slurmd.pid
SlurmctldLogFile=$w/log/slurmctld.log
SlurmdLogFile=$w/log/slurmd.log
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
NodeName=$h NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=1000 State=UNKNOWN
PartitionName=check Nodes=$h Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$w/slurm.conf"
slurmctld -f "$SLURM_CONF" && slurmd -f "$SLURM_CONF" || fail "Slurm did not start: $(tail -3 log/slurm*.log)"
idle() { [ "$(sinfo -h -n "$h" -o %t 2>/dev/null)" = idle ]; }
waitfor 30 idle || fail "node $h is not idle after 30 s: $(sinfo -h 2>&1); see $w/log"

# The README's array job. Exit codes 1 and 2 are verdicts, not a failed task:
# each run records its code (a requeued task runs again) and the task ends 0.
cat > shard.sbatch <<'EOF'
#!/bin/bash
#SBATCH --array=0-3
#SBATCH --cpus-per-task=1
#SBATCH --requeue
#SBATCH --open-mode=append
#SBATCH --output=logs/shard-%a.log
trap 'echo "shard $SLURM_ARRAY_TASK_ID: SIGTERM"' TERM  # bash waits for trackgate, then records
"$TG" batch in --out cluster --jobs "$SLURM_CPUS_PER_TASK" \
    --shard "$SLURM_ARRAY_TASK_ID/4" --report "reports/shard-$SLURM_ARRAY_TASK_ID.jsonl" --quiet
code=$?
echo "$SLURM_ARRAY_TASK_ID ${SLURM_RESTART_COUNT:-0} $code $(date +%s.%N)" >> runs.txt
EOF
# Shard 1's ids, from trackgate itself: requests without audio cost nothing to list.
for f in in/*.request.json; do : > "ids/${f##*/}"; done
mapfile -t ids1 < <("$tg" batch ids --check-only --shard 1/4 --json --quiet | python3 -c 'import json, sys; [print(json.loads(l)["id"]) for l in sys.stdin]' || true)
[ ${#ids1[@]} -gt 0 ] || fail "could not list shard 1's tracks"
done1() { for id in "${ids1[@]}"; do if [ -e "cluster/$id.json" ]; then echo "cluster/$id.json"; fi; done; }
state1() { squeue -h -j "${jobid}_1" -o %T 2>/dev/null || true; }
ran1() { grep -q '^1 0 ' runs.txt 2>/dev/null; }  # shard 1's first run has ended
busy1() { ! ran1 || fail "shard 1 finished before it could be stopped"; [ "$(state1)" = RUNNING ] && [ -n "$(done1)" ]; }
requeued1() { [ "$(state1)" = PENDING ] || { [ "$(state1)" = RUNNING ] && ran1; }; }

t0=$(now)
jobid=$(TG="$tg" sbatch --parsable --chdir="$w" shard.sbatch)
# Stop shard 1 once it has finished a track of its own, and requeue it.
waitfor 120 busy1 || fail "shard 1 did not finish a track within 120 s: $(squeue 2>&1)"
done1 | xargs -r stat -c '%n %y' > before-requeue.txt
k=$(wc -l < before-requeue.txt)
scontrol requeue "${jobid}_1"
# The task is COMPLETING while trackgate finishes the track in hand, then PENDING:
# Slurm 22.05 sets a requeued job to begin two minutes later (reason BeginTime).
waitfor 60 requeued1 || fail "shard 1 was not requeued: $(squeue 2>&1)"
if [ "$(state1)" = PENDING ]; then
  scontrol release "${jobid}_1" 2>/dev/null || true  # in case a configuration holds requeued jobs
  scontrol update jobid="${jobid}_1" StartTime=now || fail "could not start the requeued shard 1: $(squeue 2>&1)"
fi
waitfor 600 finished || fail "the array did not finish in 10 minutes: $(squeue 2>&1)"
jobid=""
slurm_s=$(secs "$t0" "$(sort -k4 -n runs.txt | tail -1 | cut -d' ' -f4)")
first=$(grep '^1 0 ' runs.txt | cut -d' ' -f3)
[ "${first:-0}" -ge 128 ] || fail "shard 1's first run was not stopped by the requeue (exit ${first:-none}; runs.txt: $(cat runs.txt))"
grep -q '^1 1 ' runs.txt || fail "shard 1 did not run again after the requeue"
[ "$k" -lt "${#ids1[@]}" ] || fail "shard 1 had finished all its tracks when requeued"
done1 | xargs -r stat -c '%n %y' | grep -Fxf - before-requeue.txt | cmp -s - before-requeue.txt ||
  problem "Slurm: shard 1's rerun rewrote tracks the stopped run had finished"
mapfile -t codes < <(awk '{ code[$1] = $3 } END { for (i = 0; i < 4; i++) print code[i] }' runs.txt)  # each shard's last run
[[ " ${codes[*]} " != *"  "* ]] || fail "a Slurm shard never ran: $(cat runs.txt)"
merge cluster
compare Slurm cluster
say "Slurm array (4 tasks, 1 CPU each): $slurm_s s from submission to the last task's end, exit $code (shards ${codes[*]})"
say "  shard 1 stopped mid-run by scontrol requeue with $k of its ${#ids1[@]} tracks done (that run exit $first); its rerun took those over untouched and did the rest"

# GNU parallel on this machine; it exits with the number of shards that did not exit 0.
t0=$(now)
parallel --will-cite --joblog par-jobs.txt "$tg" batch in --out par --shard {}/4 --report par-reports/shard-{}.jsonl --quiet ::: 0 1 2 3 || true
par_s=$(secs "$t0" "$(now)")
mapfile -t codes < <(awk 'NR > 1 { print $1, $7 }' par-jobs.txt | sort -n | cut -d' ' -f2)  # by shard
[ ${#codes[@]} -eq 4 ] || fail "GNU parallel ran ${#codes[@]} shards, not 4"
merge par
compare "GNU parallel" par
say "GNU parallel (4 shards): $par_s s, exit $code (shards ${codes[*]})"

[ "$failed" -eq 0 ] || exit 1
say "OK"
