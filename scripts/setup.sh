#!/usr/bin/env bash
# Installs what TrackGate needs on Debian/Ubuntu, when it is missing, then builds.
#   bash scripts/setup.sh            # release build of the trackgate binary
#   bash scripts/setup.sh --no-build # packages only
# Packages: libsndfile (decode/encode), libmpg123 (MP3 decoding, quiet and gapless), FFmpeg's libavformat/libavcodec/libswresample (AAC/M4A decoding), libsamplerate and libsoxr (resampling), OpenSSL's
# libcrypto (SHA-256 of inputs, for batch resume): build dependencies, found by pkg-config;
# ffmpeg/ffprobe and libebur128 (used by the tests as independent implementations),
# extremetuxracer-data (real music, GPL-2+, for the boundary tests and evaluation).
set -euo pipefail
# The DSP targets are built for this CPU when it has AVX2 and FMA (see Package.swift).
export TRACKGATE_NATIVE="${TRACKGATE_NATIVE:-1}"
cd "$(dirname "$0")/.."

packages=(pkg-config libsndfile1-dev libmpg123-dev libavformat-dev libavcodec-dev libswresample-dev libsamplerate0-dev libsoxr-dev libssl-dev ffmpeg libebur128-dev extremetuxracer-data)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v swift >/dev/null || {
  echo "setup: Swift 6.1 or newer is required (https://www.swift.org/install/linux/)" >&2
  exit 1
}

if [ "${1:-}" != "--no-build" ]; then
  swift build -c release --product trackgate 2>&1 | { grep -vE '^\[[0-9]+/[0-9]+\]' || true; }
  test -x .build/release/trackgate || { echo "setup: build failed" >&2; exit 1; }
fi
