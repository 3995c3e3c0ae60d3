#!/usr/bin/env bash
# Runs a command with a PulseAudio server whose null sink "virt" is the
# default output and whose monitor is the default input: a virtual
# microphone that records what is played into the sink. Starts its own
# server if none runs, stops it afterwards, and tells the microphone tests
# to run (LOA_AUDIO_DEVICE_TESTS=1).
set -euo pipefail

started=0
if ! pactl info >/dev/null 2>&1; then
  pulseaudio -D -n --exit-idle-time=-1 --disallow-exit --system=false \
    --load=module-native-protocol-unix \
    --load="module-null-sink sink_name=virt rate=48000 channels=2" 2>/dev/null
  started=1
  for _ in $(seq 50); do pactl info >/dev/null 2>&1 && break; sleep 0.1; done
fi
pactl list short sinks | grep -q '\bvirt\b' ||
  pactl load-module module-null-sink sink_name=virt rate=48000 channels=2 >/dev/null
pactl set-default-sink virt
pactl set-default-source virt.monitor

# `--kill` only asks: wait until the server is gone, so a run right after
# this one (the end-to-end suite after the Rust tests) never finds a dying
# server, takes it for a live one, and loses its microphone midway.
stop() {
  [ "$started" = 1 ] || return 0
  pulseaudio --kill 2>/dev/null || true
  for _ in $(seq 50); do pactl info >/dev/null 2>&1 || return 0; sleep 0.1; done
}
trap stop EXIT
LOA_AUDIO_DEVICE_TESTS=1 "$@"
