//! The simulator: sliders and fields for the traffic profile on the left; on the right the results —
//! monthly cost against traffic for several stacks with their crossovers, latency against load, the
//! simulated day (requests/s, instances, cold starts), the decision-region map and the cost breakdown
//! with formulas and dated prices. Every change replots through the worker; Monte Carlo bands run on
//! demand, with progress and Cancel. The seed is shown with every result.

mod controls;
mod results;
mod slot;

use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::Ui;

use super::Command;
use crate::domain::decision;
use crate::domain::knowledge::Knowledge;
use crate::domain::project::Project;
use crate::domain::rules::Advice;
use crate::domain::sim::explore::DecisionRegions;
use crate::domain::sim::{CostCurve, LatencyCurve, MonteCarlo, Scenario, SimReport};
use crate::worker::sweeps;
use crate::worker::{Output, Reply, Request, Worker};
pub use results::{STALE_OPACITY, instances_caption};
pub use slot::Slot;

/// Wait this long after the last change before the (slow) decision map is recomputed.
const REGIONS_SETTLE: Duration = Duration::from_millis(800);

#[derive(Default)]
pub struct SimulatorUi {
    pub report: Slot<Arc<SimReport>>,
    pub curves: Slot<Vec<CostCurve>>,
    pub latency: Slot<LatencyCurve>,
    pub regions: Slot<DecisionRegions>,
    pub monte_carlo: Slot<MonteCarlo>,
    /// Monte Carlo runs to ask for.
    pub runs: u32,
    pub save_name: String,
    changed_at: Option<Instant>,
    /// Bumped whenever new plot data arrives (tests and the benchmark watch it).
    pub revision: u64,
    /// The date the prices' age is told against (today, UTC, unless a test fixes it).
    pub prices_today: Option<time::Date>,
}

impl SimulatorUi {
    /// A new or opened project: forget results for the old one.
    pub fn project_changed(&mut self, _project: &Project) {
        *self = SimulatorUi::default();
    }

    /// The scenario being edited: the project's own once the user has changed something, until then
    /// the one the answers and the recommended stack describe (read, never written, so that only
    /// looking at the simulator leaves the project unchanged).
    pub fn working(k: &Knowledge, project: &Project, advice: Option<&Advice>) -> Scenario {
        // the domain's working scenario, as the record and `statecraft scenario` have it: one
        // default for every unanswered question everywhere
        project.working.clone().unwrap_or_else(|| match advice {
            Some(a) => decision::working_scenario_for(k, a, &project.answers, project.seed),
            None => decision::working_scenario(k, &project.answers, project.seed),
        })
    }

    /// The working scenario as it is simulated: the project's seed in it.
    pub fn effective(k: &Knowledge, project: &Project, advice: Option<&Advice>) -> Scenario {
        let mut s = Self::working(k, project, advice);
        s.seed = project.seed;
        s
    }

    /// Asks the worker for whatever is out of date. Called every frame the screen is shown.
    pub fn refresh(
        &mut self,
        k: &Knowledge,
        project: &Project,
        advice: Option<&Advice>,
        worker: &mut Worker,
    ) {
        let s = Self::effective(k, project, advice);
        self.report.refresh(worker, &s, || Request::Simulate {
            scenario: Box::new(s.clone()),
        });
        // the curves sweep the peak themselves: a new peak alone does not redraw them
        let sweep = sweeps::swept(&s);
        let changed = self.curves.key.as_ref() != Some(&sweep);
        if changed {
            self.changed_at = Some(Instant::now());
        }
        self.curves
            .refresh(worker, &sweep, || sweeps::cost_curves(k, &s));
        self.latency
            .refresh(worker, &sweep, || sweeps::latency_curve(&s));
        let settled = self
            .changed_at
            .is_none_or(|t| t.elapsed() >= REGIONS_SETTLE);
        if settled {
            self.regions
                .refresh(worker, &sweep, || sweeps::decision_map(k, &s));
        }
    }

    /// Takes the worker's replies that belong to this screen.
    pub fn on_reply(&mut self, reply: &mut Option<Reply>) {
        let before = self.revision;
        if self.report.accept(reply, |o| match o {
            Output::Report(r) => Some(Arc::from(r)),
            _ => None,
        }) || self.curves.accept(reply, |o| match o {
            Output::CostCurves(c) => Some(c),
            _ => None,
        }) || self.latency.accept(reply, |o| match o {
            Output::LatencyCurve(c) => Some(c),
            _ => None,
        }) || self.regions.accept(reply, |o| match o {
            Output::Regions(r) => Some(*r),
            _ => None,
        }) || self.monte_carlo.accept(reply, |o| match o {
            Output::MonteCarlo(m) => Some(m),
            _ => None,
        }) {
            self.revision = before + 1;
        }
    }

    pub fn simulator_ui(
        &mut self,
        ui: &mut Ui,
        k: &Knowledge,
        project: &Project,
        advice: Option<&Advice>,
        worker: &mut Worker,
        commands: &mut Vec<Command>,
    ) {
        self.refresh(k, project, advice, worker);
        if self.runs == 0 {
            self.runs = 200;
        }
        // the controls take a third of a narrow window, never less than they need
        let controls = (ui.available_width() * 0.4).clamp(240.0, 300.0);
        egui::Panel::left("simulator_controls")
            .resizable(false)
            .exact_size(controls)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("simulator_controls_scroll")
                    .show(ui, |ui| {
                        self.controls_ui(ui, k, project, advice, worker, commands);
                    });
            });
        egui::CentralPanel::default().show(ui, |ui| {
            let width = ui.available_width();
            egui::ScrollArea::vertical()
                .id_salt("simulator_results")
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    // nothing may widen the results past the window (long formulas wrap instead)
                    ui.set_max_width(width - 16.0);
                    self.results_ui(ui, k, project, advice, worker);
                });
        });
        // keep frames coming while work is in flight or the map waits for the sliders to settle
        if self.report.pending(worker)
            || self.curves.pending(worker)
            || self.regions.pending(worker)
            || self.regions.key != self.curves.key
            || self.monte_carlo.pending(worker)
        {
            ui.ctx().request_repaint_after(Duration::from_millis(100));
        }
    }

    /// The worker's progress for this screen, in the status bar.
    pub fn status_ui(&mut self, ui: &mut Ui, worker: &mut Worker) {
        let Some(job) = self.monte_carlo.job else {
            return;
        };
        let Some(running) = worker.running(job).cloned() else {
            return;
        };
        if ui
            .button("Cancel run")
            .on_hover_text("Stop the Monte Carlo run")
            .clicked()
        {
            worker.cancel(job);
        }
        ui.add(
            egui::ProgressBar::new(running.fraction())
                .desired_width(180.0)
                .text(format!(
                    "{} {}/{}",
                    running.title, running.done, running.total
                )),
        );
    }
}

pub use crate::worker::sweeps::log_space;
