#!/usr/bin/env bash
# Looks at TrackGate's pictures and batch page the way a user does: in a real
# browser (Debian's chromium, headless), with screenshots to inspect and checks
# on what the browser built.
#
#   bash scripts/browser-check.sh [SHOTS]     # screenshots to SHOTS (default out/browser)
#
# 1. A mixed batch (the samples, a silent track, a corrupt file, a track without
#    its request): every picture must parse as SVG in the browser, the page must
#    name every track, filter by verdict and open a picture from a link.
# 2. A batch of 5,000 one-second tracks: the page must count all 5,000, draw the
#    first page of rows and apply a sort and a filter at load quickly (the time is
#    printed; Benchmarks/report-merge.sh does the same with 100,000 tracks).
set -euo pipefail
cd "$(dirname "$0")/.."
shots="$(realpath -m "${1:-out/browser}")"
bash scripts/setup.sh
tg="$PWD/.build/release/trackgate"
if ! command -v chromium >/dev/null; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "browser-check: installing chromium"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
browser() { timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars "$@" 2>/dev/null; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$shots" "$work/in"
fail() { echo "browser-check: FAIL: $*" >&2; exit 1; }

cp samples/tracks/* "$work/in/"
ffmpeg -v error -f lavfi -i anullsrc=r=44100:cl=stereo -t 10 "$work/in/silent.wav"
printf '{"type": "bgm", "description": "Silence", "duration": 10}\n' > "$work/in/silent.request.json"
head -c 50000 /dev/urandom > "$work/in/corrupt.wav"
cp "$work/in/silent.request.json" "$work/in/corrupt.request.json"
cp samples/tracks/battle-loop.flac "$work/in/no-request.flac"
set +e; "$tg" batch "$work/in" --out "$work/out" --quiet; status=$?; set -e
[ "$status" -eq 2 ] || fail "the mixed batch should exit 2 (a corrupt file), got $status"
ids=(battle-loop city-lights-song trailer-structured silent corrupt no-request)

for svg in "$work"/out/*.svg; do
  browser --dump-dom "file://$svg" | grep -q parsererror && fail "$svg does not parse as SVG"
done
echo "browser-check: $(ls "$work"/out/*.svg | wc -l) pictures parse as SVG in chromium"
browser --screenshot="$shots/picture.png" --window-size=1200,720 "file://$work/out/trailer-structured.svg" >/dev/null
browser --screenshot="$shots/picture-silent.png" --window-size=1200,720 "file://$work/out/silent.svg" >/dev/null
browser --screenshot="$shots/page.png" --window-size=1300,760 "file://$work/out/index.html" >/dev/null
browser --screenshot="$shots/page-picture.png" --window-size=1300,900 --virtual-time-budget=3000 \
  "file://$work/out/index.html#trailer-structured" >/dev/null

dom="$(browser --dump-dom --virtual-time-budget=2000 "file://$work/out/index.html")"
for id in "${ids[@]}"; do grep -q ">$id<" <<<"$dom" || fail "the page does not name $id"; done
grep -q "${#ids[@]} of ${#ids[@]} tracks" <<<"$dom" || fail "the page does not count ${#ids[@]} tracks"
dom="$(browser --dump-dom --virtual-time-budget=2000 "file://$work/out/index.html?verdict=error")"
grep -q "2 of ${#ids[@]} tracks" <<<"$dom" || fail "filtering by verdict=error should leave 2 rows"
dom="$(browser --dump-dom --virtual-time-budget=3000 "file://$work/out/index.html#silent")"
grep -q 'id="picture" alt="silent" src="silent.svg"' <<<"$dom" || fail "#silent should open silent.svg"
echo "browser-check: the page names all ${#ids[@]} tracks, filters by verdict and opens a picture"

# 5,000 tracks: hard links of one short track, each with its request.
mkdir -p "$work/many"
ffmpeg -v error -f lavfi -i "sine=frequency=440:sample_rate=44100:duration=1" -ac 2 "$work/one.wav"
printf '{"type": "bgm", "description": "Tone", "duration": 1}\n' > "$work/one.request.json"
for i in $(seq -w 1 5000); do
  ln "$work/one.wav" "$work/many/t$i.wav"
  ln "$work/one.request.json" "$work/many/t$i.request.json"
done
start=$(date +%s.%N)
"$tg" batch "$work/many" --check-only --no-plots --out "$work/many-out" --quiet || true
end=$(date +%s.%N)
start_page=$(date +%s.%N)
dom="$(browser --dump-dom --virtual-time-budget=5000 "file://$work/many-out/index.html?sort=-lufs&verdict=warn")"  # every tone warns (mono as stereo, abrupt end)
end_page=$(date +%s.%N)
rows=$(grep -o '<tr data-verdict' <<<"$dom" | wc -l)
[ "$rows" -eq 200 ] || fail "the 5,000-track page should draw one page of 200 rows, drew $rows"
grep -q ">5000 of 5000 tracks<" <<<"$dom" || fail "the 5,000-track page does not show the 5000 tracks filtered by verdict=warn"
grep -q "rows 1-200 of 5000" <<<"$dom" || fail "the 5,000-track page does not say which rows it shows"
ready=$(grep -o 'data-ready-ms="[0-9]*"' <<<"$dom" | grep -o '[0-9]*')
browser --screenshot="$shots/page-5000.png" --window-size=1300,760 "file://$work/many-out/index.html?sort=-lufs" >/dev/null
printf 'browser-check: 5,000 tracks checked in %.1f s; page %s KiB, 5,000 tracks in the table, 200 rows drawn; parse, sort, filter and draw at load %s ms; load and dump %.1f s\n' \
  "$(awk "BEGIN { print $end - $start }")" "$(( $(stat -c %s "$work/many-out/index.html") / 1024 ))" "$ready" \
  "$(awk "BEGIN { print $end_page - $start_page }")"
echo "browser-check: screenshots in $shots"
