#!/usr/bin/env bash
# `trackgate report` at scale: N synthetic sidecar reports (default 100,000), as
# the shards of a large batch leave them in one output folder, merged into the
# batch's page, JSON Lines and JUnit file; then the page opened in a real browser.
#
#   bash Benchmarks/report-merge.sh [N]
#
# The reports are copies of the bundled samples' own sidecars (about 5 KB each,
# request included) with new ids and a spread of verdicts (70 % pass, 15 % warn,
# 10 % fail, 5 % error). Timed, with GNU time (wall, peak resident memory):
#   1. report OUT --report --junit            (every report read, merged, written)
#   2. the same with --inputs MANIFEST         (N manifest lines listed and matched)
#   3. the peer: jq -c over the same files     (the shell one-liner that only
#      concatenates the reports into JSON Lines: no ids checked, no page, no JUnit)
#   4. chromium (headless) loading the page with a sort and a filter in its address:
#      the page's own time from script start to the first rows drawn, and the wall
#      time of the browser run.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"
bash scripts/setup.sh
tg="$PWD/.build/release/trackgate"
for tool in jq chromium; do
  command -v "$tool" >/dev/null && continue
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$tool" >/dev/null
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# GNU time puts "Command exited with non-zero status N" first when it did (report exits 2 here: 5 % errors).
timed() { local code=0; /usr/bin/time -f "%e %M" -o "$work/time" "$@" || code=$?; read -r seconds kib < <(tail -1 "$work/time"); return $code; }

# Real sidecars to copy from.
SOURCE_DATE_EPOCH=1700000000 "$tg" batch samples/tracks --out "$work/samples" --quiet --no-plots
python3 - "$work/samples" "$work/out" "$work/manifest.jsonl" "$n" <<'EOF'
import glob, json, os, random, sys
source, out, manifest, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
templates = [json.load(open(p)) for p in sorted(glob.glob(os.path.join(source, "*.json")))]
os.makedirs(out)
rng = random.Random(7)
with open(manifest, "w") as lines:
    for i in range(n):
        report = dict(rng.choice(templates))
        report["id"] = f"track-{i:06d}"
        roll = rng.random()
        if roll < 0.05:
            report.update(verdict="error", error=f"in/track-{i:06d}.wav: not an audio file", error_kind="not_audio",
                          loudness=None, duration_s=None)
        elif roll < 0.15:
            report["verdict"] = "fail"
            report["checks"] = report["checks"] + [{"id": "clipping", "status": "fail", "message": "12 runs of full-scale samples"}]
        elif roll < 0.30:
            report["verdict"] = "warn"
        else:
            report["verdict"] = "pass"
        with open(os.path.join(out, report["id"] + ".json"), "w") as f:
            json.dump(report, f, indent=2, sort_keys=True)
        lines.write(json.dumps({"id": report["id"], "audio": f"in/{report['id']}.wav", "request": report["request"]}) + "\n")
EOF
bytes=$(du -sb "$work/out" | cut -f1)
echo "report-merge: $n reports, $((bytes / 1048576)) MiB, on $(nproc) cores ($(uname -m)); $("$tg" --version)"
sync; cat "$work"/out/*.json > /dev/null 2>&1 || find "$work/out" -name '*.json' -exec cat {} + > /dev/null  # warm the page cache for all three

timed "$tg" report "$work/out" --report "$work/all.jsonl" --junit "$work/all.xml" --quiet || true
printf 'report-merge: trackgate report:            %6.2f s, %4d MiB peak\n' "$seconds" "$((kib / 1024))"
[ "$(wc -l < "$work/all.jsonl")" -eq "$n" ] || { echo "report-merge: FAIL: $work/all.jsonl has not $n lines" >&2; exit 1; }
timed "$tg" report "$work/out" --inputs "$work/manifest.jsonl" --report "$work/listed.jsonl" --quiet || true
printf 'report-merge: trackgate report --inputs:   %6.2f s, %4d MiB peak\n' "$seconds" "$((kib / 1024))"
timed sh -c "find '$work/out' -name '*.json' -print0 | sort -z | xargs -0 jq -c . > '$work/jq.jsonl'"
printf 'report-merge: jq -c (concatenation only):  %6.2f s, %4d MiB peak (of one jq process)\n' "$seconds" "$((kib / 1024))"

page="$work/out/index.html"
start=$(date +%s.%N)
dom="$(timeout 300 chromium --headless --no-sandbox --disable-gpu --dump-dom --virtual-time-budget=30000 \
  "file://$page?sort=-lufs&verdict=fail" 2>/dev/null)"
end=$(date +%s.%N)
ready=$(grep -o 'data-ready-ms="[0-9]*"' <<<"$dom" | grep -o '[0-9]*' || echo "?")
rows=$(grep -o '<tr data-verdict="fail"' <<<"$dom" | wc -l)
shown=$(grep -o '[0-9]* of [0-9]* tracks' <<<"$dom" | head -1)
printf 'report-merge: page %d MiB; chromium: %s (fail only, by loudness), %d rows drawn; script %s ms; load to dump %.1f s\n' \
  "$(( $(stat -c %s "$page") / 1048576 ))" "$shown" "$rows" "$ready" "$(awk "BEGIN { print $end - $start }")"
