//! Stage 3, recording: audio (capture, decoding, loudness, rendering),
//! takes, imported audio, transcripts, the read-back check of a reading
//! against its script, and subtitles.
//!
//! May import: `base`, `draft`, `translate`.

pub mod audio;
pub mod incoming;
pub mod readback;
pub mod recording;
pub mod subtitle;
pub mod transcript;
