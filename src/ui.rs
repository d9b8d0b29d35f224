//! The screens, one file each, and what they share. Pixels only: every number comes from
//! `crate::domain`, and anything slow goes to `crate::worker`.
//!
//! A screen only reads the project: it draws from the app's state and asks for every edit (an
//! answer, the working scenario, a saved scenario, the seed, the decision makers) and for anything
//! else beyond its own UI state (navigation, files, undo) through a [`Command`], which the app
//! applies after the frame in one place. That one writer is what makes undo, redo and the
//! "unsaved changes" mark true.

pub mod capacity;
pub mod chaos;
pub mod compare;
pub mod decisions;
pub mod design_review;
pub mod diagram;
pub mod export;
pub mod file_menu;
pub mod number_field;
pub mod plots;
pub mod results;
pub mod screen;
pub mod simulator;
pub mod widgets;
pub mod wizard;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::domain::knowledge::AnswerValue;
use crate::domain::project::RecordSettings;
use crate::domain::sim::Scenario;
use crate::domain::sim::chaos::ChaosChoice;

/// Which screen: the screens, in the order the navigation lists them (each drawn by its type's
/// [`screen::Screen`] implementation).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ScreenId {
    #[default]
    Wizard,
    Recommendation,
    Simulator,
    Compare,
    Chaos,
    Capacity,
    Export,
    Decisions,
}

impl ScreenId {
    pub const ALL: [ScreenId; 8] = [
        ScreenId::Wizard,
        ScreenId::Recommendation,
        ScreenId::Simulator,
        ScreenId::Compare,
        ScreenId::Chaos,
        ScreenId::Capacity,
        ScreenId::Export,
        ScreenId::Decisions,
    ];

    /// The name in the navigation (and the accessible label tests click).
    pub fn title(self) -> &'static str {
        match self {
            ScreenId::Wizard => "Wizard",
            ScreenId::Recommendation => "Recommendation",
            ScreenId::Simulator => "Simulator",
            ScreenId::Compare => "Compare",
            ScreenId::Chaos => "Chaos monkey",
            ScreenId::Capacity => "Capacity planner",
            ScreenId::Export => "Export",
            ScreenId::Decisions => "Decision log",
        }
    }

    /// One line on what the screen is for (the navigation's tooltip).
    pub fn purpose(self) -> &'static str {
        match self {
            ScreenId::Wizard => "Answer the questions one at a time",
            ScreenId::Recommendation => "The archetype, the stack and why",
            ScreenId::Simulator => "Cost, latency and scaling against traffic",
            ScreenId::Compare => "Saved scenarios side by side",
            ScreenId::Chaos => "Kill a server and watch the sessions",
            ScreenId::Capacity => "Servers, arrival rate and waiting times",
            ScreenId::Export => "The decision record",
            ScreenId::Decisions => "A decisions folder, re-checked",
        }
    }
}

/// Something a screen asks the app to do after the frame.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Goto(ScreenId),
    /// Set one answer (a tipping point, say, or its undo; `None` clears it) and show the new
    /// recommendation.
    ApplyAnswer {
        question: String,
        value: Option<AnswerValue>,
    },
    /// Set one answer from the wizard (`None` clears it); the wizard stays where it is.
    SetAnswer {
        question: String,
        value: Option<AnswerValue>,
    },
    /// Replace the scenario being edited on the Simulator screen.
    SetWorking(Box<Scenario>),
    /// Save a scenario under a name for comparison (replacing one of that name).
    SaveScenario {
        name: String,
        scenario: Box<Scenario>,
    },
    /// Delete the saved scenario of that name.
    DeleteScenario(String),
    Undo,
    Redo,
    New,
    Open,
    OpenPath(PathBuf),
    Save,
    SaveAs,
    /// Show the Export screen and choose where to write the decision record, then write it.
    ExportRecord,
    /// Write the decision record to this path (typed when no file dialog could open).
    ExportRecordTo(PathBuf),
    /// Save the project to this path (typed when no file dialog could open).
    SaveProjectTo(PathBuf),
    SetSeed(u64),
    /// What the decision record carries, and its layout, status and people.
    SetRecordSettings(RecordSettings),
    /// The chaos test the user ran, for the record.
    SetRecordChaos(Option<ChaosChoice>),
    /// Open a decision record as a new project (asks about unsaved changes first).
    OpenRecord(PathBuf),
    /// The next record replaces record `number` (`file`) of the folder `dir`.
    Supersede {
        dir: PathBuf,
        number: u32,
        file: String,
    },
    /// Write the reviewed folder's decision log into its README.md.
    WriteIndex(PathBuf),
    /// Write the record into the decisions folder under the next number.
    ExportIntoFolder,
    SetDark(bool),
    Quit,
    /// Show a message in the banner above the screens.
    Notify(Notice),
}

/// A message in the banner above the screens: what happened and, for errors, the whole text of the
/// problem (file, line, column, fix).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub level: NoticeLevel,
    pub title: String,
    pub detail: String,
    /// The banner offers Undo (after a delete, say).
    pub undoable: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeLevel {
    Info,
    Error,
}

impl Notice {
    pub fn info(title: impl Into<String>) -> Self {
        Notice {
            level: NoticeLevel::Info,
            title: title.into(),
            detail: String::new(),
            undoable: false,
        }
    }

    /// An information banner with an Undo button.
    pub fn undoable(title: impl Into<String>) -> Self {
        Notice {
            undoable: true,
            ..Notice::info(title)
        }
    }

    pub fn error(title: impl Into<String>, detail: impl Into<String>) -> Self {
        Notice {
            level: NoticeLevel::Error,
            title: title.into(),
            detail: detail.into(),
            undoable: false,
        }
    }
}
