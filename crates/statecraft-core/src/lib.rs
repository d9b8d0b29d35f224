//! Everything Statecraft knows and computes, free of any GUI: the knowledge base, the wizard flow,
//! the advice engine, the simulator and the decision record. The command line and the desktop app
//! both call into here, so they always agree. This crate's dependency tree has no egui, eframe,
//! winit or rfd: the compiler keeps the domain free of the GUI.

// Diagnostics carry the file, place, message and fix; they travel only on the error path.
#![allow(clippy::result_large_err)]

pub mod answers;
pub mod bill;
pub mod compose;
pub mod condition;
pub mod decision;
pub mod design_review;
pub mod diagnostic;
pub mod export;
pub mod findings;
pub mod focus;
pub mod format;
pub mod glossary;
pub mod ids;
pub mod interrupt;
pub mod jobs;
pub mod json_index;
pub mod json_source;
pub mod knowledge;
pub mod project;
pub mod review;
pub mod rules;
pub mod safe_fs;
pub mod sim;
pub mod wizard;
