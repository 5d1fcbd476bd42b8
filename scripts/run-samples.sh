#!/usr/bin/env bash
# Sets up, builds and runs TrackGate on the bundled samples: validates every
# request, describes, measures, checks and processes every track, then runs the
# folder as a batch (twice: the second run finds everything current). The reference's invalid examples are
# shown last; their exit code 1 is the expected outcome and does not fail this script.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
tg=.build/release/trackgate
shopt -s nullglob
# Nuro tracks (FLAC), Sonic clips (MP3) and a Producer clip (AAC in M4A).
tracks=(samples/tracks/*.flac samples/tracks/*.mp3 samples/tracks/*.m4a)

# The request and task answer of a track: NAME.request.json beside it, or, for
# a Sonic or Producer clip named by its clip_id, those of the task whose answer lists it.
inputs_for() {
  local name="${1%.*}" clip answer
  if [ -f "$name.request.json" ]; then
    inputs=(--request "$name.request.json")
    if [ -f "$name.task.json" ]; then inputs+=(--task "$name.task.json"); fi
    return 0
  fi
  clip="$(basename "$name")"
  answer="$(grep -l "\"$clip\"" samples/tracks/*.task.json | head -n 1)"
  inputs=(--request "${answer%.task.json}.request.json" --task "$answer")
}

echo "== trackgate validate samples/requests/*.json samples/tracks/*.json"
$tg validate samples/requests/*.json samples/tracks/*.json

echo
echo "== trackgate info samples/tracks/*.{flac,mp3,m4a}"
$tg info "${tracks[@]}"

echo
echo "== trackgate loudness samples/tracks/*.{flac,mp3,m4a}"
$tg loudness "${tracks[@]}"

for track in "${tracks[@]}"; do
  inputs_for "$track"
  echo
  echo "== trackgate check $track ${inputs[*]} --plot-dir out/check"
  $tg check "$track" "${inputs[@]}" --plot-dir out/check
done

# Delivery files go to out/ (ignored by git); reruns replace them.
for track in "${tracks[@]}"; do
  inputs_for "$track"
  echo
  echo "== trackgate process $track ${inputs[*]} --out out/ --overwrite"
  $tg process "$track" "${inputs[@]}" --out out/ --overwrite
done
echo
echo "== trackgate process samples/tracks/battle-loop.flac ... --sample-rate 44100 --resampler soxr --format flac --bit-depth 16"
$tg process samples/tracks/battle-loop.flac --request samples/tracks/battle-loop.request.json \
  --out out/flac-44k1/ --sample-rate 44100 --resampler soxr --format flac --bit-depth 16 --overwrite

echo
echo "== trackgate batch samples/tracks --out out/batch --report out/batch/report.jsonl --junit out/batch/junit.xml"
$tg batch samples/tracks --out out/batch --report out/batch/report.jsonl --junit out/batch/junit.xml
echo
echo "== the same again: every track is current, nothing is redone"
$tg batch samples/tracks --out out/batch --report out/batch/report.jsonl --junit out/batch/junit.xml

echo
echo "== the batch in two shards (as a job array runs it), then trackgate report: one answer"
rm -rf out/sharded
for i in 0 1; do
  echo "-- trackgate batch samples/tracks --check-only --out out/sharded --shard $i/2"
  $tg batch samples/tracks --check-only --out out/sharded --shard "$i/2"
done
echo "-- trackgate report out/sharded --inputs samples/tracks --junit out/sharded/junit.xml"
$tg report out/sharded --inputs samples/tracks --junit out/sharded/junit.xml

echo
echo "== trackgate validate samples/requests/invalid/*.json   (the reference's own invalid examples)"
set +e
$tg validate samples/requests/invalid/*.json
status=$?
set -e
if [ "$status" -ne 1 ]; then
  echo "run-samples: expected exit code 1 for the invalid examples, got $status" >&2
  exit 1
fi
echo "(exit code 1, as expected)"
