#!/usr/bin/env bash
# `trackgate batch` throughput and peak memory at 1 and 2 jobs, next to ffmpeg
# doing the nearest work over the same files with the same parallelism (xargs -P).
#
#   bash Benchmarks/batch-throughput.sh [runs] [copies]   # defaults: 3 runs (medians), 4 copies
#
# The batch: the extremetuxracer-data recordings longer than 30 s, as 44.1 kHz
# 16-bit stereo WAV, each `copies` times under new names (24 tracks, 35 min of audio
# by default). The jobs:
#   check     `trackgate batch --check-only` (loudness, true peak, structure, defects,
#             fingerprints)            vs  ffmpeg `ebur128=peak=true` per file
#   process   `trackgate batch` to -14 LUFS, 48 kHz (soxr), 16-bit WAV, with the gate,
#             limiter, verification   vs  ffmpeg two-pass (ebur128; volume + soxr)
#   resume    the process batch again, every output current (hashing only)
# Peak memory is the largest resident set of the whole trackgate process (GNU time).
# A last run processes one hour-long track, to show memory does not follow the samples.
set -euo pipefail
# The DSP targets are built for this CPU when it has AVX2 and FMA (see Package.swift).
export TRACKGATE_NATIVE="${TRACKGATE_NATIVE:-1}"
cd "$(dirname "$0")/.."
runs="${1:-3}"
copies="${2:-4}"
tg="$PWD/.build/release/trackgate"
[ -x "$tg" ] || swift build -c release --product trackgate >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/in" "$work/hour"
seconds=0
while read -r name d; do
  for ((c = 1; c <= copies; c++)); do
    cp "$work/$name.wav" "$work/in/$name-$c.wav"
    printf '{"type": "bgm", "version": "v1.0", "description": "%s", "duration": 60}\n' "$name" > "$work/in/$name-$c.request.json"
    seconds=$(awk "BEGIN { print $seconds + $d }")
  done
  echo "file '$work/$name.wav'" >> "$work/list.txt"
done < <(bash Benchmarks/etr-recordings.sh "$work")
tracks=$(ls "$work"/in/*.wav | wc -l)
ffmpeg -v error -y -stream_loop -1 -f concat -safe 0 -i "$work/list.txt" -t 3600 -c:a pcm_s16le "$work/hour/hour.wav"
printf '{"type": "bgm", "version": "v1.0", "description": "hour", "duration": 60}\n' > "$work/hour/hour.request.json"
echo "batch: $tracks tracks, $(printf '%.0f' "$seconds") s of audio; $runs runs; $(nproc) cores"

# measure NAME CMD...: appends "seconds kib" of the command to $work/NAME.
measure() {
  local name=$1; shift
  /usr/bin/time -f '%e %M' -o "$work/t" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$work/t" >> "$work/$name"   # GNU time puts "Command exited with non-zero status" first
}
for ((r = 0; r < runs; r++)); do
  for jobs in 1 2; do
    # The BGM v1.0 limit of 60 s fails the longer recordings; --force writes them anyway.
    rm -rf "$work/out"
    measure "tg-process-$jobs" "$tg" batch "$work/in" --out "$work/out" --jobs "$jobs" --force --quiet \
      --sample-rate 48000 --resampler soxr --bit-depth 16
    measure "tg-resume-$jobs" "$tg" batch "$work/in" --out "$work/out" --jobs "$jobs" --force --quiet \
      --sample-rate 48000 --resampler soxr --bit-depth 16
    rm -rf "$work/ff" && mkdir -p "$work/ff"
    measure "ff-process-$jobs" sh -c "ls '$work'/in/*.wav | xargs -P $jobs -I{} bash Benchmarks/peers/ffmpeg-two-pass.sh {} '$work/ff'"
    measure "tg-check-$jobs" "$tg" batch "$work/in" --check-only --jobs "$jobs" --quiet
    measure "ff-check-$jobs" sh -c "ls '$work'/in/*.wav | xargs -P $jobs -I{} bash Benchmarks/peers/ffmpeg-measure.sh {}"
  done
done
measure "tg-hour" "$tg" batch "$work/hour" --out "$work/hour-out" --jobs 1 --force --quiet

median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
col() { awk -v c="$2" '{ print $c }' "$work/$1" | median; }
printf '%-44s %5s %8s %8s %10s %9s\n' "job" "jobs" "median s" "tracks/s" "x realtime" "peak MiB"
row() {  # label file jobs
  local s; s=$(col "$2" 1)
  printf '%-44s %5s %8.2f %8.1f %10.0f %9.0f\n' "$1" "$3" "$s" "$(awk "BEGIN { print $tracks / $s }")" \
    "$(awk "BEGIN { print $seconds / $s }")" "$(awk "BEGIN { print $(col "$2" 2) / 1024 }")"
}
for jobs in 1 2; do
  row "trackgate batch --check-only" "tg-check-$jobs" "$jobs"
  row "ffmpeg ebur128=peak=true (xargs -P)" "ff-check-$jobs" "$jobs"
  row "trackgate batch (48 kHz soxr, 16-bit)" "tg-process-$jobs" "$jobs"
  row "ffmpeg two-pass (xargs -P)" "ff-process-$jobs" "$jobs"
  row "trackgate batch, rerun, all current" "tg-resume-$jobs" "$jobs"
done
printf 'one 3600 s track, 1 job: %.1f s, peak %.0f MiB\n' "$(col tg-hour 1)" "$(awk "BEGIN { print $(col tg-hour 2) / 1024 }")"
