//! Recording to disk as it happens, so a crash or a power cut loses at most
//! the last second. A take is written as 16-bit PCM WAV under a
//! `*.recording.wav` name; its header's sizes are rewritten and the file
//! synced every second. `finish` renames it to `*.wav`. A leftover
//! `*.recording.wav` is a take that was cut off: [`recover`] fixes its
//! header to the whole frames on disk and gives it its final name.
//!
//! The writer holds an exclusive lock on its file for as long as it
//! records, and recovery only touches files it can lock: a take being
//! recorded, by this app or another process, is never "recovered" from
//! under its recorder. The operating system drops the lock when the process
//! dies, which is exactly when the file becomes a cut-off take.

use crate::base::error::{CoreError, Result};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use ts_rs::TS;

pub const RECORDING_SUFFIX: &str = ".recording.wav";
const HEADER_LEN: u64 = 44;

fn header(rate: u32, channels: u16, data_len: u32) -> [u8; 44] {
    let mut h = [0u8; 44];
    let block = channels * 2;
    h[0..4].copy_from_slice(b"RIFF");
    h[4..8].copy_from_slice(&(36u32.saturating_add(data_len)).to_le_bytes());
    h[8..12].copy_from_slice(b"WAVE");
    h[12..16].copy_from_slice(b"fmt ");
    h[16..20].copy_from_slice(&16u32.to_le_bytes());
    h[20..22].copy_from_slice(&1u16.to_le_bytes());
    h[22..24].copy_from_slice(&channels.to_le_bytes());
    h[24..28].copy_from_slice(&rate.to_le_bytes());
    h[28..32].copy_from_slice(&(rate * u32::from(block)).to_le_bytes());
    h[32..34].copy_from_slice(&block.to_le_bytes());
    h[34..36].copy_from_slice(&16u16.to_le_bytes());
    h[36..40].copy_from_slice(b"data");
    h[40..44].copy_from_slice(&data_len.to_le_bytes());
    h
}

/// A take being recorded.
pub struct TakeWriter {
    file: File,
    path: PathBuf,
    rate: u32,
    channels: u16,
    data_len: u64,
    since_sync: u64,
}

impl TakeWriter {
    /// Starts `final_path` (ending in `.wav`); the bytes go to the
    /// `.recording.wav` twin until [`finish`](Self::finish).
    pub fn create(final_path: &Path, rate: u32, channels: u16) -> Result<TakeWriter> {
        let path = recording_path(final_path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| CoreError::io(dir, e))?;
        }
        let mut file = File::create(&path).map_err(|e| CoreError::io(&path, e))?;
        file.try_lock()
            .map_err(|e| CoreError::io(&path, e.into()))?;
        file.write_all(&header(rate, channels, 0))
            .map_err(|e| CoreError::io(&path, e))?;
        Ok(TakeWriter {
            file,
            path,
            rate,
            channels,
            data_len: 0,
            since_sync: 0,
        })
    }

    pub fn seconds(&self) -> f64 {
        self.data_len as f64 / (f64::from(self.rate) * f64::from(self.channels) * 2.0)
    }

    /// Appends interleaved float samples.
    pub fn write(&mut self, samples: &[f32]) -> Result<()> {
        let mut bytes = Vec::with_capacity(samples.len() * 2);
        for s in samples {
            let v = (s.clamp(-1.0, 1.0) * 32767.0).round() as i16;
            bytes.extend_from_slice(&v.to_le_bytes());
        }
        self.file
            .write_all(&bytes)
            .map_err(|e| CoreError::io(&self.path, e))?;
        self.data_len += bytes.len() as u64;
        self.since_sync += bytes.len() as u64;
        if self.since_sync >= u64::from(self.rate) * u64::from(self.channels) * 2 {
            self.checkpoint()?;
        }
        Ok(())
    }

    /// Header sizes brought up to date and everything on disk.
    pub fn checkpoint(&mut self) -> Result<()> {
        let io = |e| CoreError::io(&self.path, e);
        let len = u32::try_from(self.data_len).unwrap_or(u32::MAX);
        self.file.seek(SeekFrom::Start(0)).map_err(io)?;
        self.file
            .write_all(&header(self.rate, self.channels, len))
            .map_err(io)?;
        self.file.seek(SeekFrom::End(0)).map_err(io)?;
        self.file.sync_data().map_err(io)?;
        self.since_sync = 0;
        Ok(())
    }

    /// Closes the take under its final name; returns that path. After a
    /// failed write the file ends at the last whole write, so the take is
    /// everything recorded up to the failure.
    pub fn finish(mut self) -> Result<PathBuf> {
        self.file
            .set_len(HEADER_LEN + self.data_len)
            .map_err(|e| CoreError::io(&self.path, e))?;
        self.checkpoint()?;
        let done = final_path(&self.path);
        std::fs::rename(&self.path, &done).map_err(|e| CoreError::io(&done, e))?;
        Ok(done)
    }
}

/// Writes what `rx` delivers until it closes: the recorder's writer thread.
/// A failed write (a full disk) ends the writing but not the take: `on_error`
/// is told once, later chunks are dropped, and the writer comes back so
/// the take can be finished with everything written before. `on_written`
/// gets the samples of each chunk on disk.
pub fn write_from(
    mut w: TakeWriter,
    rx: std::sync::mpsc::Receiver<Vec<f32>>,
    mut on_written: impl FnMut(usize),
    mut on_error: impl FnMut(&CoreError),
) -> TakeWriter {
    let mut failed = false;
    for chunk in rx {
        if failed {
            continue;
        }
        match w.write(&chunk) {
            Ok(()) => on_written(chunk.len()),
            Err(e) => {
                failed = true;
                on_error(&e);
            }
        }
    }
    w
}

fn recording_path(final_path: &Path) -> PathBuf {
    let s = final_path.to_string_lossy();
    PathBuf::from(format!(
        "{}{RECORDING_SUFFIX}",
        s.strip_suffix(".wav").unwrap_or(&s)
    ))
}

fn final_path(recording: &Path) -> PathBuf {
    let s = recording.to_string_lossy();
    PathBuf::from(format!(
        "{}.wav",
        s.strip_suffix(RECORDING_SUFFIX).unwrap_or(&s)
    ))
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Recovered {
    pub path: String,
    pub seconds: f64,
}

/// Repairs a take cut off mid-recording: the header gets the sizes of the
/// whole frames on disk, and the file its final name. `None` when the take
/// is still being recorded (its file is locked).
pub fn recover(recording: &Path) -> Result<Option<Recovered>> {
    let io = |e| CoreError::io(recording, e);
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(recording)
        .map_err(io)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => return Ok(None),
        Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
    }
    let mut h = [0u8; 44];
    std::io::Read::read_exact(&mut file, &mut h).map_err(io)?;
    if &h[0..4] != b"RIFF" || &h[8..12] != b"WAVE" {
        return Err(CoreError::data_row(
            recording.display().to_string(),
            None,
            "audio-corrupt",
            "",
        ));
    }
    let channels = u16::from_le_bytes([h[22], h[23]]).max(1);
    let rate = u32::from_le_bytes([h[24], h[25], h[26], h[27]]);
    let block = u64::from(channels) * 2;
    let len = file.metadata().map_err(io)?.len();
    let data = (len.saturating_sub(HEADER_LEN) / block) * block;
    file.set_len(HEADER_LEN + data).map_err(io)?;
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    file.write_all(&header(
        rate,
        channels,
        u32::try_from(data).unwrap_or(u32::MAX),
    ))
    .map_err(io)?;
    file.sync_all().map_err(io)?;
    // Renamed while still locked, so no one else can take it meanwhile.
    let done = final_path(recording);
    std::fs::rename(recording, &done).map_err(|e| CoreError::io(&done, e))?;
    drop(file);
    Ok(Some(Recovered {
        path: done.display().to_string(),
        seconds: data as f64 / (f64::from(rate.max(1)) * block as f64),
    }))
}

/// Every cut-off take in `dir`, repaired.
pub fn recover_all(dir: &Path) -> Result<Vec<Recovered>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for e in entries.flatten() {
        let p = e.path();
        if p.to_string_lossy().ends_with(RECORDING_SUFFIX) {
            out.extend(recover(&p)?);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::audio::decode::decode_file;
    use crate::record::audio::test_signals::sine;

    #[test]
    fn finished_take_is_a_wav() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("take-1.wav");
        let mut w = TakeWriter::create(&target, 16_000, 1).unwrap();
        for chunk in sine(440.0, -12.0, 2.5, 16_000, 1).samples.chunks(1600) {
            w.write(chunk).unwrap();
        }
        assert!((w.seconds() - 2.5).abs() < 1e-9);
        let path = w.finish().unwrap();
        assert_eq!(path, target);
        let back = decode_file(&path, &mut |_| true).unwrap();
        assert!((back.seconds() - 2.5).abs() < 1e-3);
    }

    #[test]
    fn a_take_cut_off_is_recovered_to_the_last_checkpoint_or_more() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("take-2.wav");
        let mut w = TakeWriter::create(&target, 16_000, 2).unwrap();
        for chunk in sine(440.0, -12.0, 3.3, 16_000, 2).samples.chunks(3200) {
            w.write(chunk).unwrap();
        }
        // The process dies (no finish), with half a frame at the end.
        drop(w);
        let rec = dir.path().join("take-2.recording.wav");
        let mut f = std::fs::OpenOptions::new().append(true).open(&rec).unwrap();
        f.write_all(&[1, 2, 3]).unwrap();
        drop(f);
        let found = recover_all(dir.path()).unwrap();
        assert_eq!(found.len(), 1);
        assert!(
            (found[0].seconds - 3.3).abs() < 0.01,
            "{}",
            found[0].seconds
        );
        assert!(!rec.exists());
        let back = decode_file(&target, &mut |_| true).unwrap();
        assert!((back.seconds() - 3.3).abs() < 0.01);
        assert!(recover_all(dir.path()).unwrap().is_empty());
    }

    #[test]
    fn a_take_being_recorded_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("take-3.wav");
        let mut w = TakeWriter::create(&target, 16_000, 1).unwrap();
        let tone = sine(440.0, -12.0, 2.0, 16_000, 1).samples;
        w.write(&tone[..16_000]).unwrap();
        w.checkpoint().unwrap();
        // Recovery runs while the take is live (the area was reopened).
        assert!(recover_all(dir.path()).unwrap().is_empty());
        assert!(dir.path().join("take-3.recording.wav").exists());
        w.write(&tone[16_000..]).unwrap();
        let path = w.finish().unwrap();
        let back = decode_file(&path, &mut |_| true).unwrap();
        assert!((back.seconds() - 2.0).abs() < 1e-3, "{}", back.seconds());
        assert!(recover_all(dir.path()).unwrap().is_empty());
    }
}
