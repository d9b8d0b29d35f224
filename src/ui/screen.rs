//! One trait for the app's screens, as egui's demo app has `View` for its demos: each screen is a
//! type that keeps its own UI state, says its title and draws itself from what the app lends it
//! for the frame ([`Frame`]). The app holds the screens in [`Screens`] and draws the one shown,
//! instead of matching on the screen with a free function each.

use egui::Ui;

use super::capacity::CapacityUi;
use super::chaos::ChaosUi;
use super::compare::CompareUi;
use super::decisions::DecisionsUi;
use super::export::ExportUi;
use super::results::ResultsUi;
use super::simulator::SimulatorUi;
use super::wizard::WizardUi;
use super::{Command, ScreenId};
use crate::domain::decision;
use crate::domain::knowledge::Knowledge;
use crate::domain::project::Project;
use crate::domain::rules::Advice;
use crate::domain::wizard;
use crate::worker::{Reply, Worker};

/// What the app lends a screen for one frame: the knowledge, the project (read only: edits go
/// through `commands`), the advice when the screen reads it, and the worker threads.
pub struct Frame<'a> {
    pub k: &'a Knowledge,
    pub project: &'a Project,
    /// The advice for the answers with their defaults, and how many shown questions were assumed
    /// so; `None` for a screen that does not read it ([`Screen::reads_advice`]).
    pub advice: Option<(&'a Advice, usize)>,
    /// The worker threads (none when the knowledge did not load).
    pub worker: Option<&'a mut Worker>,
    /// What the screen asks the app to do after the frame.
    pub commands: &'a mut Vec<Command>,
}

/// A screen of the app.
pub trait Screen {
    /// Which screen this is (its place in the navigation).
    fn id(&self) -> ScreenId;

    /// The name in the navigation (and the accessible label tests click).
    fn title(&self) -> &'static str {
        self.id().title()
    }

    /// Whether the screen reads the advice: the app computes it only for those that do.
    fn reads_advice(&self) -> bool {
        true
    }

    /// Draws the screen.
    fn ui(&mut self, ui: &mut Ui, frame: &mut Frame<'_>);

    /// Takes the worker's reply if it answers a job this screen asked for.
    fn on_reply(&mut self, _reply: &mut Option<Reply>) {}
}

impl Screen for WizardUi {
    fn id(&self) -> ScreenId {
        ScreenId::Wizard
    }

    fn reads_advice(&self) -> bool {
        false
    }

    fn ui(&mut self, ui: &mut Ui, f: &mut Frame<'_>) {
        self.wizard_ui(ui, f.k, &f.project.answers, f.commands);
    }
}

impl Screen for ResultsUi {
    fn id(&self) -> ScreenId {
        ScreenId::Recommendation
    }

    fn ui(&mut self, ui: &mut Ui, f: &mut Frame<'_>) {
        if let Some((advice, assumed)) = f.advice {
            // the answers the team gave to the questions shown, as the wizard counts them: the
            // advice's own answers also hold the defaults, so they cannot tell
            let given = wizard::effective(f.k, &f.project.answers).len();
            self.results_ui(ui, f.k, advice, given, assumed, f.commands);
        }
    }
}

impl Screen for SimulatorUi {
    fn id(&self) -> ScreenId {
        ScreenId::Simulator
    }

    fn ui(&mut self, ui: &mut Ui, f: &mut Frame<'_>) {
        let advice = f.advice.map(|(a, _)| a);
        if let Some(worker) = f.worker.as_deref_mut() {
            self.simulator_ui(ui, f.k, f.project, advice, worker, f.commands);
        }
    }

    fn on_reply(&mut self, reply: &mut Option<Reply>) {
        SimulatorUi::on_reply(self, reply);
    }
}

impl Screen for CompareUi {
    fn id(&self) -> ScreenId {
        ScreenId::Compare
    }

    fn reads_advice(&self) -> bool {
        false
    }

    fn ui(&mut self, ui: &mut Ui, f: &mut Frame<'_>) {
        if let Some(worker) = f.worker.as_deref_mut() {
            self.compare_ui(ui, f.k, f.project, worker, f.commands);
        }
    }

    fn on_reply(&mut self, reply: &mut Option<Reply>) {
        CompareUi::on_reply(self, reply);
    }
}

impl Screen for ChaosUi {
    fn id(&self) -> ScreenId {
        ScreenId::Chaos
    }

    fn ui(&mut self, ui: &mut Ui, f: &mut Frame<'_>) {
        let advice = f.advice.map(|(a, _)| a);
        if let Some(worker) = f.worker.as_deref_mut() {
            let scenario = SimulatorUi::working(f.k, f.project, advice);
            self.chaos_ui(ui, f.k, f.project, &scenario, worker, f.commands);
        }
    }

    fn on_reply(&mut self, reply: &mut Option<Reply>) {
        ChaosUi::on_reply(self, reply);
    }
}

impl Screen for CapacityUi {
    fn id(&self) -> ScreenId {
        ScreenId::Capacity
    }

    fn ui(&mut self, ui: &mut Ui, f: &mut Frame<'_>) {
        let advice = f.advice.map(|(a, _)| a);
        if let Some(worker) = f.worker.as_deref_mut() {
            let scenario = SimulatorUi::working(f.k, f.project, advice);
            self.capacity_ui(ui, f.project, &scenario, worker);
        }
    }

    fn on_reply(&mut self, reply: &mut Option<Reply>) {
        CapacityUi::on_reply(self, reply);
    }
}

impl Screen for ExportUi {
    fn id(&self) -> ScreenId {
        ScreenId::Export
    }

    fn ui(&mut self, ui: &mut Ui, f: &mut Frame<'_>) {
        // the questions the record will list as defaults, not as the team's answers
        let defaults = decision::shown_defaults(f.k, &f.project.answers).len();
        if let Some((advice, _)) = f.advice
            && let Some(worker) = f.worker.as_deref_mut()
        {
            self.export_ui(ui, f.project, advice, defaults, worker, f.commands);
        }
    }

    fn on_reply(&mut self, reply: &mut Option<Reply>) {
        ExportUi::on_reply(self, reply);
    }
}

impl Screen for DecisionsUi {
    fn id(&self) -> ScreenId {
        ScreenId::Decisions
    }

    fn reads_advice(&self) -> bool {
        false
    }

    fn ui(&mut self, ui: &mut Ui, f: &mut Frame<'_>) {
        if let Some(worker) = f.worker.as_deref_mut() {
            self.decisions_ui(ui, worker, f.commands);
        }
    }

    fn on_reply(&mut self, reply: &mut Option<Reply>) {
        DecisionsUi::on_reply(self, reply);
    }
}

/// The app's screens, each with its own state, in the navigation's order.
#[derive(Default)]
pub struct Screens {
    pub wizard: WizardUi,
    pub results: ResultsUi,
    pub simulator: SimulatorUi,
    pub compare: CompareUi,
    pub chaos: ChaosUi,
    pub capacity: CapacityUi,
    pub export: ExportUi,
    pub decisions: DecisionsUi,
}

impl Screens {
    /// The screen `id` names.
    pub fn get_mut(&mut self, id: ScreenId) -> &mut dyn Screen {
        match id {
            ScreenId::Wizard => &mut self.wizard,
            ScreenId::Recommendation => &mut self.results,
            ScreenId::Simulator => &mut self.simulator,
            ScreenId::Compare => &mut self.compare,
            ScreenId::Chaos => &mut self.chaos,
            ScreenId::Capacity => &mut self.capacity,
            ScreenId::Export => &mut self.export,
            ScreenId::Decisions => &mut self.decisions,
        }
    }

    /// Every screen, in the navigation's order.
    pub fn all_mut(&mut self) -> [&mut dyn Screen; 8] {
        [
            &mut self.wizard,
            &mut self.results,
            &mut self.simulator,
            &mut self.compare,
            &mut self.chaos,
            &mut self.capacity,
            &mut self.export,
            &mut self.decisions,
        ]
    }

    /// Hands a worker's reply to the screen that asked for it.
    pub fn on_reply(&mut self, reply: &mut Option<Reply>) {
        for screen in self.all_mut() {
            screen.on_reply(reply);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_screen_is_where_the_navigation_names_it() {
        let mut screens = Screens::default();
        for id in ScreenId::ALL {
            assert_eq!(screens.get_mut(id).id(), id);
            assert_eq!(screens.get_mut(id).title(), id.title());
        }
        let order: Vec<ScreenId> = screens.all_mut().iter().map(|s| s.id()).collect();
        assert_eq!(order, ScreenId::ALL);
    }
}
