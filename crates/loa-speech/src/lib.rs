//! Speech for Loa Studio: Whisper transcription through whisper.cpp
//! (whisper-rs), and the models it needs, imported from files the office
//! already has. Kept apart from the core because it builds C++; the core
//! never links it.

pub mod chunk;
pub mod ct2;
pub mod engine;
pub mod ggml;
pub mod hf;
pub mod model;
pub mod reading;
pub mod repeats;
pub mod spool;
pub mod transcribe;

pub use ggml::Quantization;
pub use model::ModelInfo;
pub use transcribe::{Segment, TranscribeOptions, TranscribeProgress, Transcript};
