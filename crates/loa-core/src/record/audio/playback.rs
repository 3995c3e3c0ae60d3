//! Listening to a take (rodio). The output device lives on its own thread,
//! driven by messages, like the recorder; the position is read back for the
//! position bar.

use super::Pcm;
use crate::base::error::{CoreError, Result};
use serde::{Deserialize, Serialize};
use std::num::NonZero;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use ts_rs::TS;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlayState {
    pub seconds: f64,
    pub duration: f64,
    pub playing: bool,
    /// Reached the end (or stopped).
    pub finished: bool,
}

enum Command {
    Pause(bool),
    Seek(f64),
}

/// One take playing. Dropping it stops the sound.
pub struct Playback {
    tx: mpsc::Sender<Command>,
    state: Arc<Mutex<PlayState>>,
}

fn output_error(e: impl std::fmt::Display) -> CoreError {
    CoreError::data_row("speaker", None, "output-failed", e.to_string())
}

impl Playback {
    /// Starts playing `pcm` from `from` seconds.
    pub fn start(pcm: Pcm, from: f64) -> Result<Playback> {
        let channels = NonZero::new(pcm.channels).ok_or_else(|| output_error("no channels"))?;
        let rate = NonZero::new(pcm.rate).ok_or_else(|| output_error("no sample rate"))?;
        let duration = pcm.seconds();
        let (tx, rx) = mpsc::channel::<Command>();
        let (started_tx, started_rx) = mpsc::channel::<Result<()>>();
        let state = Arc::new(Mutex::new(PlayState {
            duration,
            playing: true,
            ..Default::default()
        }));
        let state_t = Arc::clone(&state);
        std::thread::spawn(move || {
            // ALSA through PulseAudio reports transient errors while paused;
            // they change nothing for the user, so they are not printed.
            let opened = rodio::DeviceSinkBuilder::from_default_device()
                .and_then(|b| b.with_error_callback(|_| {}).open_stream());
            let mut sink = match opened {
                Ok(s) => s,
                Err(e) => {
                    let _ = started_tx.send(Err(output_error(e)));
                    return;
                }
            };
            sink.log_on_drop(false);
            let player = rodio::Player::connect_new(sink.mixer());
            player.append(rodio::buffer::SamplesBuffer::new(
                channels,
                rate,
                pcm.samples,
            ));
            if from > 0.0 {
                let _ = player.try_seek(Duration::from_secs_f64(from));
            }
            let _ = started_tx.send(Ok(()));
            loop {
                match rx.recv_timeout(Duration::from_millis(50)) {
                    Ok(Command::Pause(p)) => {
                        if p {
                            player.pause()
                        } else {
                            player.play()
                        }
                    }
                    Ok(Command::Seek(s)) => {
                        let _ = player.try_seek(Duration::from_secs_f64(s.clamp(0.0, duration)));
                    }
                    Err(mpsc::RecvTimeoutError::Timeout) => {}
                    Err(mpsc::RecvTimeoutError::Disconnected) => return,
                }
                let done = player.empty();
                if let Ok(mut s) = state_t.lock() {
                    s.seconds = if done {
                        duration
                    } else {
                        player.get_pos().as_secs_f64()
                    };
                    s.playing = !done && !player.is_paused();
                    s.finished = done;
                }
                if done {
                    return;
                }
            }
        });
        started_rx
            .recv()
            .map_err(|_| output_error("player thread ended"))??;
        Ok(Playback { tx, state })
    }

    pub fn state(&self) -> PlayState {
        self.state.lock().map(|s| s.clone()).unwrap_or_default()
    }

    pub fn pause(&self, paused: bool) {
        let _ = self.tx.send(Command::Pause(paused));
    }

    pub fn seek(&self, seconds: f64) {
        let _ = self.tx.send(Command::Seek(seconds));
    }
}
