//! Statecraft: decide whether a web system on AWS should be stateless, stateful or hybrid, and with
//! which services — a decision wizard, an explained rules engine, a simulator and decision records.

pub mod app;
pub mod cli;
pub mod domain;
pub mod ui;
