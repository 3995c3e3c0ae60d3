//! Microphones: listing input devices and recording a take from one, with a
//! live level (peak, RMS, clipping). The audio callback only converts and
//! hands samples over; a writer thread puts them on disk through
//! [`TakeWriter`], so a slow disk never stalls the device and a crash loses
//! at most the last second.

use super::take::TakeWriter;
use crate::base::error::{CoreError, Result};
use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InputDevice {
    pub id: String,
    pub name: String,
    pub is_default: bool,
}

/// What the meter shows: levels since the previous reading.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Level {
    /// dBFS; −100 for silence.
    pub peak_db: f32,
    pub rms_db: f32,
    /// A sample reached full scale since the previous reading.
    pub clipped: bool,
    /// Seconds recorded so far (paused time excluded).
    pub seconds: f64,
    /// The device stopped (unplugged, taken away): what was recorded is kept.
    #[ts(optional)]
    pub device_error: Option<String>,
    /// The take could not be written on (the disk is full): the take ends
    /// and keeps what was written.
    #[ts(optional)]
    pub write_error: Option<String>,
}

fn no_device() -> CoreError {
    CoreError::invalid("microphone", "none")
}

fn device_error(e: impl std::fmt::Display) -> CoreError {
    CoreError::data_row("microphone", None, "device-failed", e.to_string())
}

pub fn input_devices() -> Result<Vec<InputDevice>> {
    let host = cpal::default_host();
    let default_id = host
        .default_input_device()
        .and_then(|d| d.id().ok())
        .map(|i| i.to_string());
    let devices = host.input_devices().map_err(device_error)?;
    Ok(devices
        .filter_map(|d| {
            let id = d.id().ok()?.to_string();
            let name = d
                .description()
                .map(|x| x.name().to_string())
                .unwrap_or_else(|_| id.clone());
            Some(InputDevice {
                is_default: default_id.as_deref() == Some(id.as_str()),
                id,
                name,
            })
        })
        .collect())
}

#[derive(Default)]
struct Meter {
    peak: f32,
    sum_sq: f64,
    count: u64,
    clipped: bool,
}

struct Shared {
    meter: Mutex<Meter>,
    paused: AtomicBool,
    error: Mutex<Option<String>>,
    /// Why the take could not be written on (a full disk).
    write_error: Mutex<Option<String>>,
}

/// A take being recorded. Dropping it without [`stop`](Self::stop) leaves
/// a `*.recording.wav` that [`super::take::recover`] repairs.
pub struct Recorder {
    stream: Option<cpal::Stream>,
    shared: Arc<Shared>,
    tx: Option<mpsc::Sender<Vec<f32>>>,
    writer: Option<std::thread::JoinHandle<Result<TakeWriter>>>,
    rate: u32,
    channels: u16,
    frames: Arc<Mutex<u64>>,
}

impl Recorder {
    /// Starts recording from `device_id` (None: the default input) into
    /// `path` (a `.wav`).
    pub fn start(device_id: Option<&str>, path: &Path) -> Result<Recorder> {
        let host = cpal::default_host();
        let device = match device_id {
            Some(id) => host
                .input_devices()
                .map_err(device_error)?
                .find(|d| d.id().map(|i| i.to_string()).as_deref() == Ok(id))
                .ok_or_else(no_device)?,
            None => host.default_input_device().ok_or_else(no_device)?,
        };
        let config = device.default_input_config().map_err(device_error)?;
        let rate = config.sample_rate();
        let channels = config.channels();
        let format = config.sample_format();
        let writer = TakeWriter::create(path, rate, channels)?;
        let (tx, rx) = mpsc::channel::<Vec<f32>>();
        let frames = Arc::new(Mutex::new(0u64));
        let frames_w = Arc::clone(&frames);
        let ch = u64::from(channels);
        let shared = Arc::new(Shared {
            meter: Mutex::new(Meter::default()),
            paused: AtomicBool::new(false),
            error: Mutex::new(None),
            write_error: Mutex::new(None),
        });
        let write_shared = Arc::clone(&shared);
        let writer = std::thread::spawn(move || -> Result<TakeWriter> {
            Ok(super::take::write_from(
                writer,
                rx,
                |n| {
                    if let Ok(mut f) = frames_w.lock() {
                        *f += n as u64 / ch;
                    }
                },
                |e| {
                    if let Ok(mut slot) = write_shared.write_error.lock() {
                        slot.get_or_insert_with(|| e.to_string());
                    }
                },
            ))
        });
        let make_callback = |tx: mpsc::Sender<Vec<f32>>, shared: Arc<Shared>| {
            move |data: Vec<f32>| {
                if shared.paused.load(Ordering::Relaxed) {
                    return;
                }
                if let Ok(mut m) = shared.meter.lock() {
                    for s in &data {
                        let a = s.abs();
                        m.peak = m.peak.max(a);
                        m.sum_sq += f64::from(s * s);
                        m.clipped |= a >= 0.999;
                    }
                    m.count += data.len() as u64;
                }
                let _ = tx.send(data);
            }
        };
        let err_shared = Arc::clone(&shared);
        let on_error = move |e: cpal::Error| {
            if let Ok(mut slot) = err_shared.error.lock() {
                slot.get_or_insert_with(|| e.to_string());
            }
        };
        let stream_config: cpal::StreamConfig = config.config();
        macro_rules! build {
            ($t:ty) => {{
                let cb = make_callback(tx.clone(), Arc::clone(&shared));
                device.build_input_stream(
                    stream_config.clone(),
                    move |data: &[$t], _: &cpal::InputCallbackInfo| {
                        cb(data
                            .iter()
                            .map(|s| <f32 as cpal::FromSample<$t>>::from_sample_(*s))
                            .collect())
                    },
                    on_error,
                    None,
                )
            }};
        }
        let stream = match format {
            cpal::SampleFormat::F32 => build!(f32),
            cpal::SampleFormat::I16 => build!(i16),
            cpal::SampleFormat::I32 => build!(i32),
            cpal::SampleFormat::U16 => build!(u16),
            cpal::SampleFormat::U8 => build!(u8),
            other => return Err(device_error(format!("sample format {other}"))),
        }
        .map_err(device_error)?;
        stream.play().map_err(device_error)?;
        Ok(Recorder {
            stream: Some(stream),
            shared,
            tx: Some(tx),
            writer: Some(writer),
            rate,
            channels,
            frames,
        })
    }

    pub fn rate(&self) -> u32 {
        self.rate
    }

    pub fn channels(&self) -> u16 {
        self.channels
    }

    pub fn set_paused(&self, paused: bool) {
        self.shared.paused.store(paused, Ordering::Relaxed);
    }

    /// Levels since the last call.
    pub fn level(&self) -> Level {
        let mut out = Level {
            peak_db: -100.0,
            rms_db: -100.0,
            ..Default::default()
        };
        if let Ok(mut m) = self.shared.meter.lock() {
            let db = |v: f64| {
                if v > 0.0 {
                    (20.0 * v.log10()).max(-100.0) as f32
                } else {
                    -100.0
                }
            };
            out.peak_db = db(f64::from(m.peak));
            if m.count > 0 {
                out.rms_db = db((m.sum_sq / m.count as f64).sqrt());
            }
            out.clipped = m.clipped;
            *m = Meter::default();
        }
        out.seconds = self.frames.lock().map(|f| *f).unwrap_or(0) as f64 / f64::from(self.rate);
        out.device_error = self.shared.error.lock().ok().and_then(|e| e.clone());
        out.write_error = self.shared.write_error.lock().ok().and_then(|e| e.clone());
        out
    }

    /// Stops and closes the take; returns its path.
    pub fn stop(mut self) -> Result<PathBuf> {
        // The stream's callback holds a sender: dropping the stream closes
        // the channel, so the writer drains what is left and ends.
        drop(self.stream.take());
        self.tx.take();
        let writer = self
            .writer
            .take()
            .ok_or_else(|| device_error("stopped twice"))?;
        let w = writer
            .join()
            .map_err(|_| device_error("writer thread failed"))??;
        w.finish()
    }
}

enum Command {
    Pause(bool),
    Stop(mpsc::Sender<Result<PathBuf>>),
}

/// A recording run on its own thread (audio streams cannot move between
/// threads on every platform), driven by messages: what the app holds
/// while the user records.
pub struct Session {
    tx: mpsc::Sender<Command>,
    level: Arc<Mutex<Level>>,
    path: PathBuf,
}

impl Session {
    pub fn start(device_id: Option<String>, path: PathBuf) -> Result<Session> {
        let (tx, rx) = mpsc::channel::<Command>();
        let (started_tx, started_rx) = mpsc::channel::<Result<()>>();
        let level = Arc::new(Mutex::new(Level::default()));
        let level_t = Arc::clone(&level);
        let path_t = path.clone();
        std::thread::spawn(move || {
            let rec = match Recorder::start(device_id.as_deref(), &path_t) {
                Ok(r) => {
                    let _ = started_tx.send(Ok(()));
                    r
                }
                Err(e) => {
                    let _ = started_tx.send(Err(e));
                    return;
                }
            };
            loop {
                match rx.recv_timeout(std::time::Duration::from_millis(50)) {
                    Ok(Command::Pause(p)) => rec.set_paused(p),
                    Ok(Command::Stop(reply)) => {
                        let _ = reply.send(rec.stop());
                        return;
                    }
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        if let Ok(mut l) = level_t.lock() {
                            *l = rec.level();
                        }
                    }
                    // The app dropped the session: close the take properly.
                    Err(mpsc::RecvTimeoutError::Disconnected) => {
                        let _ = rec.stop();
                        return;
                    }
                }
            }
        });
        started_rx
            .recv()
            .map_err(|_| device_error("recorder thread ended"))??;
        Ok(Session { tx, level, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn level(&self) -> Level {
        self.level.lock().map(|l| l.clone()).unwrap_or_default()
    }

    pub fn pause(&self, paused: bool) {
        let _ = self.tx.send(Command::Pause(paused));
    }

    pub fn stop(self) -> Result<PathBuf> {
        let (reply, done) = mpsc::channel();
        self.tx
            .send(Command::Stop(reply))
            .map_err(|_| device_error("recorder thread ended"))?;
        done.recv()
            .map_err(|_| device_error("recorder thread ended"))?
    }
}
