#!/usr/bin/env bash
# `trackgate process` against ffmpeg doing the same job in two passes, one job at a time.
#
#   bash Benchmarks/process-vs-ffmpeg.sh [runs]      # default 3 runs, medians reported
#
# The batch: the real recordings of Debian's extremetuxracer-data longer than 30 s,
# each decoded once to 44.1 kHz 16-bit stereo WAV (the shape of a downloaded track).
# The job: normalise to -14 LUFS, resample to 48 kHz, write 16-bit WAV.
#   ffmpeg:    pass 1 `ebur128=peak=true` to measure, pass 2 `volume` + `aresample`
#              (soxr) + pcm_s16le. No limiter, no checks, no verification.
#   trackgate: `process` with the gate, the limiter, dither, tags and the read-back
#              verification, once with --resampler soxr and once with the default engine.
# Runs alternate between the tools so drift in the machine hits both alike.
set -euo pipefail
# The DSP targets are built for this CPU when it has AVX2 and FMA (see Package.swift).
export TRACKGATE_NATIVE="${TRACKGATE_NATIVE:-1}"
cd "$(dirname "$0")/.."
runs="${1:-3}"
tg=.build/release/trackgate
[ -x "$tg" ] || swift build -c release --product trackgate >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/in"
seconds=0
while read -r name d; do
  printf '{"type": "bgm", "version": "v1.0", "description": "%s", "duration": %d}\n' "$name" \
    "$(awk "BEGIN { d = int($d + 0.5); print (d > 60 ? 60 : d) }")" > "$work/in/$name.request.json"
  seconds=$(awk "BEGIN { print $seconds + $d }")
done < <(bash Benchmarks/etr-recordings.sh "$work/in")
tracks=$(ls "$work"/in/*.wav | wc -l)
echo "batch: $tracks tracks, $(printf '%.0f' "$seconds") s of audio; $runs runs; $(nproc) cores, one job"

ffmpeg_job() {
  for wav in "$work"/in/*.wav; do
    i=$(ffmpeg -hide_banner -nostats -i "$wav" -af ebur128=peak=true -f null - 2>&1 \
        | awk '/Summary:/ { s = 1 } s && $1 == "I:" { print $2; exit }')
    gain=$(awk "BEGIN { print -14 - ($i) }")
    ffmpeg -v error -y -i "$wav" -af "volume=${gain}dB,aresample=48000:resampler=soxr" -c:a pcm_s16le \
      "$work/ffmpeg/$(basename "$wav")"
  done
}

trackgate_job() {  # $1: engine
  for wav in "$work"/in/*.wav; do
    # The BGM v1.0 duration limit (60 s) makes longer tracks fail the gate; --force writes them anyway.
    "$tg" process "$wav" --request "${wav%.wav}.request.json" --out "$work/tg-$1" --overwrite --force \
      --sample-rate 48000 --resampler "$1" --bit-depth 16 >/dev/null || true
  done
}

timed() {  # prints seconds taken by "$@"
  local start end
  start=$(date +%s.%N); "$@"; end=$(date +%s.%N)
  awk "BEGIN { print $end - $start }"
}

mkdir -p "$work/ffmpeg"
declare -a f s l
for ((r = 0; r < runs; r++)); do
  f+=("$(timed ffmpeg_job)")
  s+=("$(timed trackgate_job soxr)")
  l+=("$(timed trackgate_job libsamplerate)")
done
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
mf=$(median "${f[@]}"); ms=$(median "${s[@]}"); ml=$(median "${l[@]}")
printf '%-42s %8s %10s %9s\n' "job" "median s" "x realtime" "vs ffmpeg"
printf '%-42s %8.2f %10.0f %9s\n' "ffmpeg two-pass (ebur128; volume+soxr)" "$mf" "$(awk "BEGIN { print $seconds / $mf }")" "1.00x"
printf '%-42s %8.2f %10.0f %8.2fx\n' "trackgate process --resampler soxr" "$ms" "$(awk "BEGIN { print $seconds / $ms }")" "$(awk "BEGIN { print $mf / $ms }")"
printf '%-42s %8.2f %10.0f %8.2fx\n' "trackgate process (libsamplerate medium)" "$ml" "$(awk "BEGIN { print $seconds / $ml }")" "$(awk "BEGIN { print $mf / $ml }")"
