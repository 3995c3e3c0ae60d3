#!/usr/bin/env bash
# Installs faster-whisper (the peer `loa bench transcribe` runs side by
# side) into its own virtual environment in the cache, once. Only the bench
# needs it; the app never does. Prints the environment's python.
set -euo pipefail
cache="${LOA_MODEL_CACHE:-$HOME/.cache/loa-studio}"
venv="$cache/faster-whisper-1.2.1"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import faster_whisper" 2>/dev/null; then
  echo "==> Installing faster-whisper 1.2.1 (bench peer) into $venv" >&2
  python3 -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet faster-whisper==1.2.1 >&2
fi
echo "$venv/bin/python"
