#!/usr/bin/env bash
# Rebuilds the real-world cases (small inputs rebuilt from public problem reports:
# streamed headers, error pages saved as .mp3, a cut MP3, float overs, clipping
# at -3 dBFS, a dead channel, requests that broke the reference's rules) and
# replays them through trackgate: each must get its verdict and its words.
#   bash scripts/real-world-cases.sh [folder]     (default out/real-world-cases)
set -euo pipefail
# The DSP targets are built for this CPU when it has AVX2 and FMA (see Package.swift).
export TRACKGATE_NATIVE="${TRACKGATE_NATIVE:-1}"
cd "$(dirname "$0")/.."
folder="${1:-out/real-world-cases}"
bash scripts/setup.sh
swift build -c release --product make-cases 2>&1 | { grep -vE '^\[[0-9]+/[0-9]+\]' || true; }
rm -rf "$folder"
.build/release/make-cases "$folder"
tg=.build/release/trackgate
set +e
$tg batch "$folder" --check-only --json --quiet > "$folder/reports.jsonl"
set -e
status=0
printf '%-22s %-8s %-8s %s\n' "case" "expected" "got" "fault"
while IFS=$'\t' read -r id verdict phrase fault; do
  line=$(grep -F "\"id\":\"$id\"" "$folder/reports.jsonl" || true)
  got=$(printf '%s' "$line" | sed -E 's/.*"verdict":"([a-z]+)".*/\1/')
  mark="ok"
  if [ "$got" != "$verdict" ] || ! printf '%s' "$line" | sed 's#\\/#/#g' | grep -qF -- "$phrase"; then mark="MISMATCH"; status=1; fi
  printf '%-22s %-8s %-8s %s  [%s]\n' "$id" "$verdict" "$got" "$fault" "$mark"
done < "$folder/expected.tsv"
echo
echo "== the same folder, processed with --sample-rate 48000 --target-lufs -16 (negative numbers as typed)"
set +e
$tg batch "$folder" --out "$folder/delivery" --sample-rate 48000 --target-lufs -16 --true-peak-dbtp -1.5 --quiet --no-plots
set -e
for f in "$folder"/delivery/*.wav; do
  [ -e "$f" ] || continue
  printf '%s: %s\n' "$(basename "$f")" "$($tg loudness --json "$f" | sed -E 's/.*"integrated_lufs":(-?[0-9.]+).*/\1 LUFS/')"
done
exit $status
