#!/usr/bin/env bash
# Builds the Debian package (Debian 12 / Ubuntu 22.04+) with the Tauri
# bundler, offline: the release app, the `loa` command line beside it in
# /usr/bin, whisper.cpp's libraries in /usr/lib/loa-studio, a desktop entry
# and icons. Prints the .deb's path.
# AppImage is left out: its tools (linuxdeploy, appimagetool) are downloaded
# at build time, and the offices' build machines have no internet.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/loa-studio/target}"
(cd ui && npm run build >/dev/null)
cargo build --release -p loa-cli >&2
# whisper.cpp's shared libraries (under the names the programs ask for) and
# its CPU variants, in /usr/lib/loa-studio: the programs' rpath and
# loa-speech's engine look there (see vendor/README.md).
rel="$CARGO_TARGET_DIR/release"
entries=$(printf '"/usr/bin/loa":"%s"' "$rel/loa")
for lib in libwhisper.so.1 libggml.so.0 libggml-base.so.0 $(cd "$rel" && ls libggml-cpu-*.so); do
  [ -f "$rel/$lib" ] || { echo "missing $rel/$lib" >&2; exit 1; }
  entries+=$(printf ',"/usr/lib/loa-studio/%s":"%s"' "$lib" "$rel/$lib")
done
# The Vietnamese word list term recognition reads, a separate GPL file.
for f in words.txt extra.txt COPYING README.md; do
  entries+=$(printf ',"/usr/lib/loa-studio/vi-words/%s":"%s"' "$f" "$PWD/assets/data/vi-words/$f")
done
files=$(printf '{"bundle":{"linux":{"deb":{"files":{%s}}}}}' "$entries")
ui/node_modules/.bin/tauri build --bundles deb --config "$files" --ci >&2 </dev/null
ls -t "$CARGO_TARGET_DIR"/release/bundle/deb/*.deb | head -1
