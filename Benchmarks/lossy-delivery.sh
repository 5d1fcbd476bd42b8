#!/usr/bin/env bash
# Lossy deliveries side by side: TrackGate's MP3s (verified after decoding,
# re-encoded with more headroom while a decoded peak is over the ceiling)
# against ffmpeg-normalize's (EBU R128 two-pass loudnorm, then libmp3lame),
# on the same tracks, at one job, measured afterwards by ffmpeg's
# ebur128=peak=true on the decoded files.
#   bash Benchmarks/lossy-delivery.sh [--target LUFS] [--bitrate KBIT] [--ceiling DBTP]
# Material: the extremetuxracer recordings (Benchmarks/etr-recordings.sh) in
# $BENCH_IN (default /tmp/bench/in, made if missing). ffmpeg-normalize: from
# $FFMPEG_NORMALIZE or PATH (pip install ffmpeg-normalize).
set -euo pipefail
cd "$(dirname "$0")/.."
target=-14; bitrate=128; ceiling=-1
while [ $# -gt 0 ]; do
  case "$1" in
    --target) target="$2"; shift 2 ;;
    --bitrate) bitrate="$2"; shift 2 ;;
    --ceiling) ceiling="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 64 ;;
  esac
done
in="${BENCH_IN:-/tmp/bench/in}"
normalize="${FFMPEG_NORMALIZE:-$(command -v ffmpeg-normalize || true)}"
[ -n "$normalize" ] || { echo "ffmpeg-normalize not found (pip install ffmpeg-normalize, or set FFMPEG_NORMALIZE)" >&2; exit 1; }
if ! ls "$in"/*.wav >/dev/null 2>&1; then
  bash Benchmarks/etr-recordings.sh "$in" >/dev/null
  for w in "$in"/*.wav; do
    d=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$w")
    printf '{"type": "bgm", "description": "benchmark", "duration": %.0f}\n' "$d" > "${w%.wav}.request.json"
  done
fi
export TRACKGATE_NATIVE=1
swift build -c release --product trackgate 2>&1 | { grep -E "error" || true; }
tg=.build/release/trackgate
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seconds=$(for w in "$in"/*.wav; do ffprobe -v error -show_entries format=duration -of csv=p=0 "$w"; done | paste -sd+ | bc)

clock() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }

t_wav=$(clock "$tg" batch "$in" --out "$work/wav" --target-lufs "$target" --true-peak-dbtp "$ceiling" --jobs 1 --no-plots --force)
t_tg=$(clock "$tg" batch "$in" --out "$work/tg" --format mp3 --bitrate "$bitrate" --target-lufs "$target" \
  --true-peak-dbtp "$ceiling" --jobs 1 --no-plots --force)
mkdir -p "$work/fn"
t_fn=$(clock "$normalize" "$in"/*.wav -c:a libmp3lame -b:a "${bitrate}k" -t "$target" -tp "$ceiling" -ext mp3 -of "$work/fn" -f)

measure() {  # prints: over-ceiling count, highest true peak, mean |I - target|, files
  local over=0 worst=-99 dev=0 n=0
  for f in "$@"; do
    out=$(ffmpeg -hide_banner -nostats -i "$f" -af ebur128=peak=true -f null - 2>&1 | sed -n '/Summary:/,$p')
    i=$(echo "$out" | awk '/I:/ {print $2}'); p=$(echo "$out" | awk '/Peak:/ {print $2}')
    n=$((n + 1))
    awk "BEGIN { exit !($p > $ceiling) }" && over=$((over + 1))
    worst=$(awk "BEGIN { print ($p > $worst) ? $p : $worst }")
    dev=$(awk "BEGIN { d = $i - ($target); if (d < 0) d = -d; print $dev + d }")
  done
  echo "$over $worst $(awk "BEGIN { printf \"%.2f\", $dev / $n }") $n"
}
read -r tg_over tg_worst tg_dev tg_n < <(measure "$work"/tg/*.mp3)
read -r fn_over fn_worst fn_dev fn_n < <(measure "$work"/fn/*.mp3)
headroom=$(cat "$work"/tg/*.json | { grep -o '"encoded_headroom_db" *: *[0-9.]*' || true; } | sed 's/.*: *//' | paste -sd' ')

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(ffmpeg -version | head -1 | cut -d' ' -f1-3); ffmpeg-normalize $("$normalize" --version | awk '{print $2}')"
echo "material: $(ls "$in"/*.wav | wc -l) tracks, ${seconds} s; MP3 ${bitrate} kbit/s, target ${target} LUFS, ceiling ${ceiling} dBTP, one job"
printf '%-28s %8s %8s %12s %10s %10s\n' "tool" "time s" "x rt" "over ceil" "max dBTP" "mean |dI|"
printf '%-28s %8.2f %8.0f %12s %10s %10s\n' "trackgate (WAV, reference)" "$t_wav" "$(echo "$seconds / $t_wav" | bc)" "-" "-" "-"
printf '%-28s %8.2f %8.0f %12s %10s %10s\n' "trackgate MP3 (verified)" "$t_tg" "$(echo "$seconds / $t_tg" | bc)" "$tg_over/$tg_n" "$tg_worst" "$tg_dev"
printf '%-28s %8.2f %8.0f %12s %10s %10s\n' "ffmpeg-normalize MP3" "$t_fn" "$(echo "$seconds / $t_fn" | bc)" "$fn_over/$fn_n" "$fn_worst" "$fn_dev"
echo "trackgate encoded_headroom_db per track: $headroom"
