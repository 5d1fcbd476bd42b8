#!/usr/bin/env bash
# Prepares the real music of the plan evaluation (plan-eval): the game music of
# five Debian packages, freely licensed, one folder per package (genre), every
# piece of 30 s or more as 44.1 kHz mono 16-bit WAV.
#   bash Benchmarks/plan-eval-music.sh [DIR]      (default /tmp/trackgate-plan-music)
# The packages are fetched with `apt-get download` and unpacked in DIR; nothing
# is installed. Packages and what they hold (licences per debian/copyright):
#   extremetuxracer-data  etr/music              orchestral / pop game music (GPL-2+)
#   hedgewars-data        hedgewars/Data/Music   orchestral, world and rock (GPL-2 / CC)
#   supertux-data         supertux2/music        chiptune-style electronic and rock (GPL-3 / CC-BY-SA)
#   xmoto-data            xmoto/Textures/Musics  electronic and rock (GPL-2+)
#   frozen-bubble-data    frozen-bubble/snd      orchestral pop (GPL-2)
set -euo pipefail
dir="${1:-/tmp/trackgate-plan-music}"
mkdir -p "$dir/debs" "$dir/root"
cd "$dir/debs"
for p in extremetuxracer-data hedgewars-data supertux-data xmoto-data frozen-bubble-data; do
  ls ${p}_*.deb >/dev/null 2>&1 || apt-get download "$p" >/dev/null 2>&1 || { echo "plan-eval-music: cannot download $p" >&2; exit 1; }
  dpkg -x ${p}_*.deb "$dir/root"
done
convert() {   # package, source folder
  mkdir -p "$dir/$1"
  find "$dir/root/usr/share/games/$2" -name '*.ogg' | sort | while read -r f; do
    d=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$f" 2>/dev/null || echo 0)
    awk "BEGIN { exit !($d >= 30) }" || continue
    out="$dir/$1/$(basename "${f%.ogg}").wav"
    [ -f "$out" ] || ffmpeg -nostdin -v error -y -i "$f" -ac 1 -ar 44100 -c:a pcm_s16le "$out"
  done
  echo "$1: $(ls "$dir/$1" | wc -l) pieces"
}
convert etr etr/music
convert hedgewars hedgewars/Data/Music
convert supertux supertux2/music
convert xmoto xmoto/Textures/Musics
convert frozen-bubble frozen-bubble/snd
