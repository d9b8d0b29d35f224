//! Everything Statecraft knows and computes, free of any GUI: the knowledge base, the wizard flow,
//! the advice engine, the simulator and the decision record. The command line and the desktop app
//! both call into here, so they always agree.

pub mod answers;
pub mod condition;
pub mod diagnostic;
pub mod export;
pub mod format;
pub mod json_source;
pub mod knowledge;
pub mod project;
pub mod rules;
pub mod sim;
pub mod wizard;
