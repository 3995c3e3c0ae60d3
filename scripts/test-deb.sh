#!/usr/bin/env bash
# Installs the .deb the way an office would (dpkg -i), checks what it puts
# on the PC, starts the app under Xvfb, and removes it again. Needs root
# (or sudo). Usage: scripts/test-deb.sh [FILE.deb]; default: build it.
set -euo pipefail
cd "$(dirname "$0")/.."
deb="${1:-$(scripts/build-deb.sh)}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
fail() { echo "deb test: $*" >&2; exit 1; }
if dpkg-query -W loa-studio >/dev/null 2>&1; then $sudo dpkg -r loa-studio >/dev/null; fi
work=$(mktemp -d)
trap '$sudo dpkg -r loa-studio >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

echo "==> dpkg -i $(basename "$deb") ($(du -h "$deb" | cut -f1))"
$sudo dpkg -i "$deb" >/dev/null
version=$(dpkg-query -W -f='${Version}' loa-studio)
for bin in loa-studio loa; do
  path=$(command -v "$bin") || fail "$bin is not on PATH"
  out=$("$bin" --version)
  [[ "$out" == *"$version"* ]] || fail "$bin --version says '$out', the package is $version"
  echo "    $path: $out"
done
desktop=$(dpkg -L loa-studio | grep '^/usr/share/applications/.*\.desktop$' | head -1)
[ -n "$desktop" ] || fail "no desktop entry"
grep -q '^Exec=loa-studio' "$desktop" || fail "the desktop entry does not start loa-studio"
icon=$(sed -n 's/^Icon=//p' "$desktop")
dpkg -L loa-studio | grep -q "/icons/hicolor/.*/$icon\.png$" || fail "icon '$icon' is not installed"
echo "    $desktop (icon $icon)"

echo "==> .loa files are a type of their own that opens in Loa Studio"
grep -q '^MimeType=application/x-loa-package' "$desktop" || fail "the desktop entry does not take .loa files"
grep -q '^Exec=loa-studio .*%[fFuU]' "$desktop" || fail "the desktop entry does not pass the file on"
mime=/usr/share/mime/packages/loa-studio.xml
[ -f "$mime" ] || fail "no $mime"
grep -q "<icon name=\"$icon\"/>" "$mime" || fail "the type's icon is not '$icon'"
# shared-mime-info's dpkg trigger has rebuilt the database by now.
grep -q '^[0-9]*:application/x-loa-package:\*\.loa$' /usr/share/mime/globs2 || fail "*.loa is not in the MIME database"
echo "    *.loa = application/x-loa-package, MimeType in the desktop entry"

echo "==> whisper.cpp's libraries resolve, and its CPU variants are there"
for bin in /usr/bin/loa-studio /usr/bin/loa; do
  ! ldd "$bin" | grep -q "not found" || fail "$bin: $(ldd "$bin" | grep 'not found')"
done
ldd /usr/bin/loa | grep -q 'lib/loa-studio/libwhisper.so.1' || fail "loa does not load libwhisper.so.1 from /usr/lib/loa-studio"
for v in sse42 sandybridge haswell; do
  [ -f "/usr/lib/loa-studio/libggml-cpu-$v.so" ] || fail "no libggml-cpu-$v.so"
done
echo "    /usr/lib/loa-studio: $(ls /usr/lib/loa-studio | tr '\n' ' ')"
model="${LOA_MODEL_CACHE:-$HOME/.cache/loa-studio}/whisper-base-q8_0.bin"
if [ -f "$model" ]; then
  LOA_DATA_DIR="$work/speech" loa model import "$model" --out base >/dev/null
  espeak-ng -v en -s 150 -w "$work/en.wav" "Please wash your hands with soap before every meal."
  heard=$(LOA_DATA_DIR="$work/speech" loa transcribe "$work/en.wav" --speech-lang en)
  [[ "${heard,,}" == *"wash your hands with soap"* ]] || fail "the installed loa heard '$heard'"
  echo "    the installed loa transcribes: $heard"
fi

echo "==> the Vietnamese word list is installed and read"
[ -f /usr/lib/loa-studio/vi-words/words.txt ] && [ -f /usr/lib/loa-studio/vi-words/COPYING ] || fail "no vi-words in /usr/lib/loa-studio"
LOA_DATA_DIR="$work/words" loa init --demo >/dev/null
printf 'Phổ biến kiến thức cho cá nhân.\n' >"$work/sentence.txt"
found=$(LOA_DATA_DIR="$work/words" loa --json glossary annotate "$work/sentence.txt" --lang vie)
[ "$(echo "$found" | python3 -c 'import json,sys; print(" ".join(h["text"] for h in json.load(sys.stdin)))')" = "cho" ] ||
  fail "term recognition without the word list: $found"
echo "    'kiến' and 'cá' are not found inside 'kiến thức' and 'cá nhân'"

echo "==> loa-studio starts under Xvfb"
export LOA_DATA_DIR="$work/data"
loa init --demo >/dev/null
xvfb-run -a -s "-screen 0 1366x768x24" bash -c '
  loa-studio & app=$!
  for _ in $(seq 1 60); do
    if xdotool search --name "^Loa Studio$" >/dev/null 2>&1; then kill $app; wait $app 2>/dev/null; exit 0; fi
    kill -0 $app 2>/dev/null || exit 2
    sleep 0.5
  done
  kill $app; exit 3' || fail "no Loa Studio window within 30 s (exit $?)"
echo "    the window opened"

echo "==> dpkg -r"
$sudo dpkg -r loa-studio >/dev/null
for f in /usr/bin/loa-studio /usr/bin/loa "$desktop" "$mime" /usr/lib/loa-studio; do
  [ ! -e "$f" ] || fail "$f is still there after dpkg -r"
done
! grep -q 'application/x-loa-package' /usr/share/mime/globs2 || fail "*.loa is still registered after dpkg -r"
echo "deb test: ok"
