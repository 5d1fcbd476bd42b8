#!/usr/bin/env bash
# The ffmpeg peer of the whole job, as users script it: pass 1 measures the
# integrated loudness (ebur128), pass 2 applies the gain to -14 LUFS and resamples
# to 48 kHz with soxr into 16-bit WAV. No limiter, no checks, no verification.
#   bash Benchmarks/peers/ffmpeg-two-pass.sh FILE OUTDIR
set -euo pipefail
i=$(ffmpeg -hide_banner -nostats -i "$1" -af ebur128=peak=true:framelog=verbose -f null - 2>&1 \
    | awk '/Summary:/ { s = 1 } s && $1 == "I:" { print $2; exit }')
gain=$(awk "BEGIN { print -14 - ($i) }")
ffmpeg -v error -y -i "$1" -af "volume=${gain}dB,aresample=48000:resampler=soxr" -c:a pcm_s16le "$2/$(basename "$1")"
