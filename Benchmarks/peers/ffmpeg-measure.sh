#!/usr/bin/env bash
# The ffmpeg peer of measurement: EBU R128 loudness with true peak of one file.
#   bash Benchmarks/peers/ffmpeg-measure.sh FILE
# framelog=verbose keeps ffmpeg from printing a line every 100 ms; the summary
# must appear, or the measurement failed.
ffmpeg -hide_banner -nostats -i "$1" -af ebur128=peak=true:framelog=verbose -f null - 2>&1 | grep -q 'Summary:'
