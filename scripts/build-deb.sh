#!/usr/bin/env bash
# Builds the Debian package (Debian 12 / Ubuntu 22.04+) with the Tauri
# bundler, offline: the release app, the `loa` command line beside it in
# /usr/bin, a desktop entry and icons. Prints the .deb's path.
# AppImage is left out: its tools (linuxdeploy, appimagetool) are downloaded
# at build time, and the offices' build machines have no internet.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/loa-studio/target}"
(cd ui && npm run build >/dev/null)
cargo build --release -p loa-cli >&2
files=$(printf '{"bundle":{"linux":{"deb":{"files":{"/usr/bin/loa":"%s"}}}}}' "$CARGO_TARGET_DIR/release/loa")
ui/node_modules/.bin/tauri build --bundles deb --config "$files" --ci >&2 </dev/null
ls -t "$CARGO_TARGET_DIR"/release/bundle/deb/*.deb | head -1
