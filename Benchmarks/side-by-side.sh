#!/usr/bin/env bash
# TrackGate next to the tools users would otherwise run, on one batch, in one run:
#
#   bash Benchmarks/side-by-side.sh [--tracks 50] [--runs 3] [--normalize-runs 1] [--jobs "1 N"] [--folder DIR]
#                                   [--skip-normalize]
#
# The batch (default): `make-batch` renders 50 music-like tracks of 30-240 s, stereo
# 44.1 kHz 16-bit WAV with their Nuro requests, once, into a cache folder
# ($TRACKGATE_BENCH_CACHE, default ${TMPDIR:-/tmp}/trackgate-side-by-side). --folder
# takes another batch in the same layout (NAME.wav beside NAME.request.json).
#
# The jobs, each at 1 job and at all cores (N = nproc), contenders alternating
# within every run (the order rotates from run to run), medians of --runs:
#   measure   trackgate batch --check-only (loudness, true peak, structure, defects)
#             libebur128 1.2 (Benchmarks/peers/ebur128-scan.c: libsndfile decode,
#               modes I + LRA + TRUE_PEAK, J threads)
#             ffmpeg -af ebur128=peak=true, one process per file, J at a time
#   finish    trackgate batch to -14 LUFS / -1 dBTP, 48 kHz (soxr), 16-bit WAV
#             ffmpeg two-pass: ebur128 to measure, then volume + aresample=soxr
#             ffmpeg-normalize (PyPI) -t -14 -tp -1 -ar 48000 (loudnorm), per file
#   limit     decode every file and write it back unchanged (TrackGate's reader
#             and writer, J threads): the floor under any whole job
# Then every finished batch is measured with libebur128, to show what each tool
# delivered: the spread of integrated loudness around -14 and the highest true peak.
#
# Needs: what scripts/setup.sh installs (ffmpeg, libebur128-dev), a C compiler, and
# for ffmpeg-normalize (installed from PyPI into the cache folder) Python 3 with venv
# (Debian: python3-venv).
# ffmpeg-normalize is ten times slower than the rest, so by default it runs in the
# first run only (--normalize-runs); its ratio is far from any other. The default
# run takes about 30 minutes on a 2-core VM, half of it ffmpeg-normalize
# (--skip-normalize leaves it out).
set -euo pipefail
# The DSP targets are built for this CPU when it has AVX2 and FMA (see Package.swift).
export TRACKGATE_NATIVE="${TRACKGATE_NATIVE:-1}"
cd "$(dirname "$0")/.."
tracks=50 runs=3 normalize_runs=1 jobs_list="1 $(nproc)" folder="" normalize=1
while [ $# -gt 0 ]; do
  case "$1" in
    --tracks) tracks=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --normalize-runs) normalize_runs=$2; shift 2 ;;
    --jobs) jobs_list=$2; shift 2 ;;
    --folder) folder=$2; shift 2 ;;
    --skip-normalize) normalize=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "side-by-side.sh: unknown option '$1' (see --help)" >&2; exit 64 ;;
  esac
done

cache="${TRACKGATE_BENCH_CACHE:-${TMPDIR:-/tmp}/trackgate-side-by-side}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$cache"

echo "building ..." >&2
swift build -c release --product trackgate >/dev/null
swift build -c release --package-path Benchmarks --product make-batch >/dev/null
swift build -c release --package-path Benchmarks --product decode-write >/dev/null
# Copies, so a rebuild while the benchmark runs cannot change what is measured.
cp .build/release/trackgate Benchmarks/.build/release/decode-write "$work/"
cc -O2 -o "$work/ebur128-scan" Benchmarks/peers/ebur128-scan.c -lebur128 -lsndfile -lpthread -lm || {
  echo "side-by-side.sh: cannot build the libebur128 peer (needs cc and libebur128-dev: bash scripts/setup.sh)" >&2; exit 1; }
if [ "$normalize" = 1 ] && [ ! -x "$cache/venv/bin/ffmpeg-normalize" ]; then
  if ! { python3 -m venv "$cache/venv" && "$cache/venv/bin/pip" install -q ffmpeg-normalize >&2; }; then
    echo "side-by-side.sh: cannot install ffmpeg-normalize (needs python3 with venv, Debian: python3-venv," \
      "and PyPI); --skip-normalize runs without it" >&2
    rm -rf "$cache/venv"
    exit 1
  fi
fi

if [ -z "$folder" ]; then
  folder="$cache/batch-$tracks"
  Benchmarks/.build/release/make-batch "$folder" --tracks "$tracks" >&2
fi
files=("$folder"/*.wav)
count=${#files[@]}
seconds=$(for f in "${files[@]}"; do ffprobe -v error -show_entries format=duration -of csv=p=0 "$f"; done \
  | awk '{ s += $1 } END { printf "%.0f", s }')

cat > "$work/ffmpeg-normalize.sh" <<SH
"$cache/venv/bin/ffmpeg-normalize" "\$1" -o "\$2/\$(basename "\$1")" -f -q -t -14 -tp -1 -ar 48000 -c:a pcm_s16le \
  --keep-lra-above-loudness-range-target -p > "\$2/\$(basename "\$1" .wav).stats.json"
SH

# Contender commands: NAME JOBS -> runs the whole job over the batch.
run() {
  local name=$1 j=$2
  case "$name" in
    tg-measure) "$work/trackgate" batch "$folder" --check-only --jobs "$j" --quiet --report "$work/tg-measure-$j.jsonl" ;;
    ebur128) "$work/ebur128-scan" -j "$j" "${files[@]}" > "$work/ebur128-$j.txt" ;;
    ff-measure) printf '%s\0' "${files[@]}" | xargs -0 -P "$j" -I{} bash Benchmarks/peers/ffmpeg-measure.sh {} ;;
    tg-finish) rm -rf "$work/out-$name-$j"
      "$work/trackgate" batch "$folder" --out "$work/out-$name-$j" --jobs "$j" --quiet \
        --sample-rate 48000 --resampler soxr --bit-depth 16 ;;
    ff-finish) rm -rf "$work/out-$name-$j"; mkdir -p "$work/out-$name-$j"
      printf '%s\0' "${files[@]}" | xargs -0 -P "$j" -I{} bash Benchmarks/peers/ffmpeg-two-pass.sh {} "$work/out-$name-$j" ;;
    fn-finish) rm -rf "$work/out-$name-$j"; mkdir -p "$work/out-$name-$j"
      printf '%s\0' "${files[@]}" | xargs -0 -P "$j" -I{} bash "$work/ffmpeg-normalize.sh" {} "$work/out-$name-$j" ;;
    limit) rm -rf "$work/out-$name-$j"; "$work/decode-write" "$work/out-$name-$j" "${files[@]}" --jobs "$j" ;;
  esac
}
contenders=(tg-measure ebur128 ff-measure tg-finish ff-finish limit)
[ "$normalize" = 1 ] && contenders+=(fn-finish)

echo "batch: $count tracks, $seconds s of audio ($folder); $runs runs at jobs $jobs_list; $(nproc) cores" >&2
for ((r = 0; r < runs; r++)); do
  for j in $jobs_list; do
    n=${#contenders[@]}
    for ((k = 0; k < n; k++)); do
      name=${contenders[$(((k + r) % n))]}
      [ "$name" = fn-finish ] && [ "$r" -ge "$normalize_runs" ] && continue
      start=$EPOCHREALTIME
      if ! run "$name" "$j" >/dev/null 2>"$work/stderr"; then
        echo "side-by-side.sh: $name at $j jobs failed:" >&2; tail -5 "$work/stderr" >&2; exit 1
      fi
      awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f\n", b - a }' >> "$work/time-$name-$j"
      echo "  run $((r + 1))/$runs, $j jobs: $name $(tail -1 "$work/time-$name-$j") s" >&2
    done
  done
done

median() { sort -g "$1" | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
label() {
  case "$1" in
    tg-measure) echo "trackgate batch --check-only" ;;
    ebur128) echo "libebur128 (I, LRA, TP; ebur128-scan)" ;;
    ff-measure) echo "ffmpeg -af ebur128=peak=true" ;;
    tg-finish) echo "trackgate batch (48 kHz soxr, 16-bit)" ;;
    ff-finish) echo "ffmpeg two-pass (ebur128; volume+soxr)" ;;
    fn-finish) echo "ffmpeg-normalize (loudnorm)" ;;
    limit) echo "decode + write back unchanged (limit)" ;;
  esac
}
echo
echo "TrackGate side by side: $count tracks, $seconds s of audio, medians of $runs runs" \
  "(ffmpeg-normalize: $((normalize_runs < runs ? normalize_runs : runs))), $(date +%F), $(nproc) cores"
printf '%-40s %4s %9s %10s  %s\n' "job" "jobs" "median s" "x realtime" "TrackGate's speed-up"
for j in $jobs_list; do
  for group in "tg-measure ebur128 ff-measure" "tg-finish ff-finish fn-finish limit"; do
    read -r own peers <<< "$group"
    ours=$(median "$work/time-$own-$j")
    for name in $own $peers; do
      [ -f "$work/time-$name-$j" ] || continue
      t=$(median "$work/time-$name-$j")
      if [ "$name" = "$own" ]; then ratio="-"
      elif [ "$name" = limit ]; then ratio=$(awk -v a="$ours" -v b="$t" 'BEGIN { printf "the job takes %.2fx the limit", a / b }')
      else ratio=$(awk -v a="$ours" -v b="$t" 'BEGIN { printf "%.2fx", b / a }'); fi
      printf '%-40s %4s %9.2f %10.0f  %s\n' "$(label "$name")" "$j" "$t" "$(awk -v s="$seconds" -v t="$t" 'BEGIN { print s / t }')" "$ratio"
    done
  done
done

# Agreement and delivery, from the last run at the first jobs value.
j=${jobs_list%% *}
echo
python3 - "$work" "$j" <<'PY'
import json, os, sys
work, j = sys.argv[1], sys.argv[2]
peer = {}
for line in open(f"{work}/ebur128-{j}.txt"):
    i, lra, tp, path = line.split(maxsplit=3)
    peer[os.path.basename(path.strip())] = (float(i), float(lra), float(tp))
diffs = [[], [], []]
for line in open(f"{work}/tg-measure-{j}.jsonl"):
    report = json.loads(line)
    loud = report.get("loudness") or {}
    ref = peer.get(os.path.basename(report["file"]))
    if ref and loud:
        for k, key in enumerate(["integrated_lufs", "loudness_range_lu", "true_peak_dbtp"]):
            if loud.get(key) is not None:
                diffs[k].append(abs(loud[key] - ref[k]))
print(f"trackgate against libebur128 on the {len(diffs[0])} sources, largest difference: "
      f"I {max(diffs[0]):.3f} LU, LRA {max(diffs[1]):.3f} LU, true peak {max(diffs[2]):.3f} dB")
PY
printf '%-40s %22s %14s\n' "delivered (measured by libebur128)" "I: median |I+14| / max" "max true peak"
for name in tg-finish ff-finish fn-finish; do
  [ -d "$work/out-$name-$j" ] || continue
  "$work/ebur128-scan" -j "$(nproc)" "$work/out-$name-$j"/*.wav > "$work/delivered"
  spread=$(awk '{ d = $1 + 14; print (d < 0 ? -d : d) }' "$work/delivered" | sort -g > "$work/spread"; median "$work/spread")
  printf '%-40s %12.2f / %.2f LU %9.2f dBTP\n' "$(label "$name")" "$spread" "$(tail -1 "$work/spread")" \
    "$(awk 'NR == 1 || $3 > m { m = $3 } END { print m }' "$work/delivered")"
done
if [ "$normalize" = 1 ]; then
  dynamic=$(cat "$work/out-fn-finish-$j"/*.stats.json | grep -c '"normalization_type": "dynamic"' || true)
  echo "ffmpeg-normalize fell back to dynamic (compressing) loudnorm on $((dynamic / 2)) of $count tracks"
fi
