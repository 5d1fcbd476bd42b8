#!/usr/bin/env bash
# The real-music material of the benchmarks: every extremetuxracer-data recording
# (GPL-2+) longer than 30 s, decoded to 44.1 kHz 16-bit stereo WAV as OUTDIR/NAME.wav.
# Prints one line per recording: NAME and its duration in seconds.
#   bash Benchmarks/etr-recordings.sh OUTDIR
set -euo pipefail
mkdir -p "$1"
for f in /usr/share/games/etr/music/*.ogg; do
  d=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$f")
  awk "BEGIN { exit !($d > 30) }" || continue
  name=$(basename "$f" .ogg)
  ffmpeg -v error -y -i "$f" -ar 44100 -ac 2 -c:a pcm_s16le "$1/$name.wav"
  echo "$name $d"
done
