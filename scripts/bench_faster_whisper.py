"""The peer of `loa bench transcribe`: faster-whisper on the same
CTranslate2 model (int8 on the CPU, as faster-whisper users run it), same
clips, same beam, same threads. Prints JSON: load time, then per clip the
text and the wall time (the segment generator consumed)."""
import json
import sys
import time

from faster_whisper import WhisperModel

model_dir, threads, beam, lang = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
clips = sys.argv[5:]
t0 = time.perf_counter()
model = WhisperModel(model_dir, device="cpu", compute_type="int8", cpu_threads=threads)
load = time.perf_counter() - t0
out = []
for path in clips:
    t0 = time.perf_counter()
    segments, _ = model.transcribe(path, language=lang, beam_size=beam)
    text = " ".join(s.text.strip() for s in segments)
    out.append({"path": path, "text": text, "elapsed": time.perf_counter() - t0})
print(json.dumps({"engine": "faster-whisper int8", "loadSeconds": load, "clips": out}))
