//! Statecraft: decide whether a web system on AWS should be stateless, stateful or hybrid, and with
//! which services — a decision wizard, an explained rules engine, a simulator and decision records.

// Diagnostics carry the file, place, message and fix; they travel only on the error path, where a
// 128-byte `Err` costs nothing that matters, and boxing them would make every caller's code noisier.
#![allow(clippy::result_large_err)]

pub mod app;
pub mod cli;
/// The domain lives in its own crate (`crates/statecraft-core`); the app and the CLI reach it here.
pub use statecraft_core as domain;
pub mod ui;
pub mod worker;
