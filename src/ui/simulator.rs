//! The simulator: sliders and fields for the traffic profile on the left; on the right the results —
//! monthly cost against traffic for several stacks with their crossovers, latency against load, the
//! simulated day (requests/s, instances, cold starts), the decision-region map and the cost breakdown
//! with formulas and dated prices. Every change replots through the worker; Monte Carlo bands run on
//! demand, with progress and Cancel. The seed is shown with every result.

use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::{Key, RichText, Ui};

use super::Command;
use super::plots::{self, CostSeries, DaySeries, LatencySeries};
use super::widgets::{self, series_color};
use crate::domain::format;
use crate::domain::knowledge::{ComputeKind, Knowledge};
use crate::domain::project::Project;
use crate::domain::rules::Advice;
use crate::domain::sim::explore::{DecisionRegions, SweepInput, default_candidates};
use crate::domain::sim::traffic::Shape;
use crate::domain::sim::{CostCurve, Estimate, LatencyCurve, MonteCarlo, Scenario, SimReport};
use crate::worker::{JobId, Output, Reply, Request, Worker, scenario_from_answers};

/// Stacks drawn on the cost plot besides the one simulated: one of each kind of compute and state.
const COMPARED_STACKS: [&str; 4] = [
    "apigw-lambda-dynamodb",
    "alb-fargate-jwt",
    "alb-ec2-elasticache-rds",
    "alb-sticky-ec2-memory",
];

/// Wait this long after the last change before the (slow) decision map is recomputed.
const REGIONS_SETTLE: Duration = Duration::from_millis(800);

/// A result and the scenario it was computed for.
pub struct Slot<T> {
    pub value: Option<T>,
    /// The inputs the value (or the job in flight) is for.
    pub key: Option<Scenario>,
    pub job: Option<JobId>,
    pub error: Option<String>,
    /// How long the worker took for the value on screen.
    pub elapsed: Option<Duration>,
}

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Slot {
            value: None,
            key: None,
            job: None,
            error: None,
            elapsed: None,
        }
    }
}

impl<T> Slot<T> {
    /// Asks for a new value when `key` differs from what is on screen or in flight.
    pub fn refresh(
        &mut self,
        worker: &mut Worker,
        key: &Scenario,
        request: impl FnOnce() -> Request,
    ) {
        if self.key.as_ref() != Some(key) {
            self.job = Some(worker.replace(self.job, request()));
            self.key = Some(key.clone());
        }
    }

    pub fn pending(&self, worker: &Worker) -> bool {
        self.job.is_some_and(|j| worker.is_running(j))
    }

    /// Takes the reply when it is for this slot's job.
    pub fn accept(
        &mut self,
        reply: &mut Option<Reply>,
        take: impl FnOnce(Output) -> Option<T>,
    ) -> bool {
        let Some(r) = reply.as_ref() else {
            return false;
        };
        if Some(r.id()) != self.job {
            return false;
        }
        match reply.take() {
            Some(Reply::Finished {
                result, elapsed, ..
            }) => {
                match result {
                    Ok(output) => {
                        if let Some(v) = take(output) {
                            self.value = Some(v);
                            self.error = None;
                            self.elapsed = Some(elapsed);
                        }
                    }
                    Err(e) => self.error = Some(e),
                }
                self.job = None;
                true
            }
            Some(Reply::Cancelled { .. }) => {
                self.job = None;
                true
            }
            _ => false,
        }
    }
}

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
}

impl SimulatorUi {
    /// A new or opened project: forget results for the old one.
    pub fn project_changed(&mut self, _project: &Project) {
        *self = SimulatorUi::default();
    }

    /// The scenario being edited: the project's own once the user has changed something, until then
    /// the one the answers and the recommended stack describe (read, never written, so that only
    /// looking at the simulator leaves the project unchanged).
    pub fn working(project: &Project, advice: Option<&Advice>) -> Scenario {
        project.working.clone().unwrap_or_else(|| {
            let stack = advice.map_or("alb-ec2-elasticache-rds", |a| a.stack.id.as_str());
            scenario_from_answers(stack, &project.answers)
        })
    }

    /// The working scenario as it is simulated: the project's seed in it.
    pub fn effective(project: &Project, advice: Option<&Advice>) -> Scenario {
        let mut s = Self::working(project, advice);
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
        let s = Self::effective(project, advice);
        self.report.refresh(worker, &s, || Request::Simulate {
            scenario: Box::new(s.clone()),
        });
        // the curves sweep the peak themselves: a new peak alone does not redraw them
        let mut sweep = s.clone();
        sweep.traffic.peak_rps = Estimate::Exact(1.0);
        let stack = s.stack.clone().unwrap_or_default();
        let mut stacks = vec![stack.clone()];
        for id in COMPARED_STACKS {
            if !stacks.iter().any(|x| x == id) && k.stack(id).is_some() {
                stacks.push(id.to_string());
            }
        }
        let changed = self.curves.key.as_ref() != Some(&sweep);
        if changed {
            self.changed_at = Some(Instant::now());
        }
        self.curves.refresh(worker, &sweep, || Request::CostCurves {
            scenario: Box::new(sweep.clone()),
            stacks,
            rps: log_space(1.0, 100_000.0, 16),
        });
        self.latency
            .refresh(worker, &sweep, || Request::LatencyCurve {
                scenario: Box::new(sweep.clone()),
                stack,
                rps: log_space(1.0, 100_000.0, 13),
            });
        let settled = self
            .changed_at
            .is_none_or(|t| t.elapsed() >= REGIONS_SETTLE);
        if settled {
            self.regions.refresh(worker, &sweep, || Request::Regions {
                scenario: Box::new(sweep.clone()),
                rps: log_space(1.0, 100_000.0, 11),
                y_input: SweepInput::SessionKb,
                y: log_space(1.0, 1024.0, 6),
                candidates: default_candidates(k),
            });
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

    fn controls_ui(
        &mut self,
        ui: &mut Ui,
        k: &Knowledge,
        project: &Project,
        advice: Option<&Advice>,
        worker: &mut Worker,
        commands: &mut Vec<Command>,
    ) {
        let before = Self::working(project, advice);
        let mut s = before.clone();
        // each control writes its field only when the user moved it, so that showing a value
        // never rewrites it (a range read from a file stays a range until touched)
        let mut touched = false;
        widgets::section(ui, "Stack");
        let current = s.stack.clone().unwrap_or_default();
        let shown = k
            .stack(&current)
            .map_or(current.clone(), |st| st.name.clone());
        let label = ui.label("Stack to simulate");
        egui::ComboBox::from_id_salt("stack_to_simulate")
            .selected_text(RichText::new(shown))
            .width(ui.available_width() - 8.0)
            .truncate()
            .show_ui(ui, |ui| {
                for st in &k.stacks {
                    let recommended = advice.is_some_and(|a| a.stack.id == st.id);
                    let text = if recommended {
                        format!("{} (recommended)", st.name)
                    } else {
                        format!("{} · {}", st.name, st.archetype)
                    };
                    if ui.selectable_label(current == st.id, text).clicked() {
                        s.stack = Some(st.id.clone());
                        touched = true;
                    }
                }
            })
            .response
            .labelled_by(label.id);
        let mut seed = project.seed as f64;
        if widgets::number_field(ui, "Seed", &mut seed, 0.0..=9_007_199_254_740_991.0, None) {
            commands.push(Command::SetSeed(seed as u64));
        }

        widgets::section(ui, "Traffic");
        let t = &mut s.traffic;
        let spread = spread_of(&t.peak_rps);
        let mut peak = t.peak_rps.likely();
        let mut traffic_moved = widgets::labelled_slider(
            ui,
            "Peak traffic",
            egui::Slider::new(&mut peak, 1.0..=100_000.0)
                .logarithmic(true)
                .integer()
                .suffix(" req/s"),
        )
        .changed();
        traffic_moved |= widgets::number_field(
            ui,
            "Peak (requests/s)",
            &mut peak,
            0.0..=1_000_000.0,
            Some("req/s"),
        );
        ui.label("Daily shape");
        ui.horizontal_wrapped(|ui| {
            for (shape, label) in [
                (Shape::BusinessHours, "Business hours"),
                (Shape::Flat, "Flat"),
                (Shape::Spiky, "Spiky"),
            ] {
                if ui.radio(t.shape == shape, label).clicked() {
                    t.shape = shape;
                    touched = true;
                }
            }
        });
        let mut request_ms = t.request_ms.likely();
        traffic_moved |= widgets::labelled_slider(
            ui,
            "Compute per request",
            egui::Slider::new(&mut request_ms, 1.0..=2_000.0)
                .logarithmic(true)
                .suffix(" ms"),
        )
        .changed();
        let mut payload = t.payload_kb.likely();
        if widgets::labelled_slider(
            ui,
            "Response size",
            egui::Slider::new(&mut payload, 1.0..=5_000.0)
                .logarithmic(true)
                .suffix(" KB"),
        )
        .changed()
        {
            t.payload_kb = Estimate::Exact(payload);
            touched = true;
        }
        let mut session = t.session_kb.likely();
        if widgets::labelled_slider(
            ui,
            "Session size",
            egui::Slider::new(&mut session, 0.0..=1_024.0)
                .logarithmic(true)
                .smallest_positive(0.1)
                .suffix(" KB"),
        )
        .changed()
        {
            t.session_kb = Estimate::Exact(session);
            touched = true;
        }
        touched |= widgets::number_field(
            ui,
            "Sessions at peak",
            &mut t.sessions,
            0.0..=10_000_000.0,
            None,
        );
        touched |= widgets::number_field(
            ui,
            "Monthly active users",
            &mut t.users,
            0.0..=100_000_000.0,
            None,
        );

        widgets::section(ui, "Uncertainty");
        let mut pct = spread * 100.0;
        traffic_moved |= widgets::labelled_slider(
            ui,
            "± uncertainty",
            egui::Slider::new(&mut pct, 0.0..=80.0).suffix(" %"),
        )
        .on_hover_text("Peak traffic and compute time become low / likely / high ranges; Monte Carlo draws from them")
        .changed();
        let spread = pct / 100.0;
        if traffic_moved {
            t.peak_rps = estimate(peak, spread);
            t.request_ms = estimate(request_ms, spread);
            touched = true;
        }
        let mut runs = f64::from(self.runs);
        widgets::labelled_slider(
            ui,
            "Monte Carlo runs",
            egui::Slider::new(&mut runs, 20.0..=2_000.0)
                .logarithmic(true)
                .integer(),
        );
        self.runs = runs as u32;
        let mc_running = self.monte_carlo.pending(worker);
        ui.horizontal(|ui| {
            let can = spread > 0.0 && !mc_running;
            let run = ui
                .add_enabled(can, egui::Button::new("Run Monte Carlo"))
                .on_disabled_hover_text("Set an uncertainty above 0% first");
            if run.clicked() {
                let mut eff = s.clone();
                eff.seed = project.seed;
                eff.traffic.peak_rps = estimate(peak, spread);
                eff.traffic.request_ms = estimate(request_ms, spread);
                self.monte_carlo.key = Some(eff.clone());
                self.monte_carlo.job = Some(worker.submit(Request::MonteCarlo {
                    scenario: Box::new(eff),
                    runs: self.runs,
                }));
            }
            if mc_running
                && ui.button("Cancel").clicked()
                && let Some(job) = self.monte_carlo.job
            {
                worker.cancel(job);
            }
        });
        if let Some(job) = self.monte_carlo.job.and_then(|j| worker.running(j)) {
            ui.add(
                egui::ProgressBar::new(job.fraction())
                    .text(format!("{} of {} runs", job.done, job.total))
                    .animate(true),
            );
        }

        widgets::section(ui, "Targets and scaling");
        touched |= widgets::labelled_slider(
            ui,
            "p99 target",
            egui::Slider::new(&mut s.latency_target_ms, 10.0..=5_000.0)
                .logarithmic(true)
                .suffix(" ms"),
        )
        .changed();
        let (unit_min, unit_max) = match k.stack(&current).map(|st| st.topology.compute) {
            Some(ComputeKind::Fargate) => ("Min tasks", "Max tasks"),
            Some(ComputeKind::Lambda) => ("Min environments", "Max environments"),
            Some(ComputeKind::Eks) => ("Min pods", "Max pods"),
            _ => ("Min instances", "Max instances"),
        };
        let mut min = f64::from(s.compute.min);
        let mut max = f64::from(s.compute.max);
        let mut scaled = widgets::labelled_slider(
            ui,
            unit_min,
            egui::Slider::new(&mut min, 1.0..=50.0).integer(),
        )
        .changed();
        scaled |= widgets::labelled_slider(
            ui,
            unit_max,
            egui::Slider::new(&mut max, 1.0..=500.0)
                .logarithmic(true)
                .integer(),
        )
        .changed();
        if scaled {
            s.compute.min = min as u32;
            s.compute.max = (max as u32).max(s.compute.min);
            touched = true;
        }

        widgets::section(ui, "Save for comparison");
        let label = ui.label("Name");
        let mut save = false;
        ui.horizontal_wrapped(|ui| {
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.save_name)
                        .desired_width(ui.available_width().min(150.0))
                        .hint_text("e.g. Launch day"),
                )
                .labelled_by(label.id);
            // Enter in the name field saves, as the button does
            save |= field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            let name = self.save_name.trim();
            save |= ui
                .add_enabled(!name.is_empty(), egui::Button::new("Save scenario"))
                .clicked();
        });
        let name = self.save_name.trim().to_string();
        if save && !name.is_empty() {
            let mut saved = s.clone();
            saved.name = name.clone();
            saved.seed = project.seed;
            commands.push(Command::SaveScenario {
                name,
                scenario: Box::new(saved),
            });
            self.save_name.clear();
        }
        if touched && s != before {
            commands.push(Command::SetWorking(Box::new(s)));
        }
    }

    fn results_ui(
        &mut self,
        ui: &mut Ui,
        k: &Knowledge,
        project: &Project,
        advice: Option<&Advice>,
        worker: &Worker,
    ) {
        let s = Self::effective(project, advice);
        let report_stale = self.report.pending(worker);
        let curves_stale = self.curves.pending(worker) || self.latency.pending(worker);
        ui.horizontal(|ui| {
            let timing = self.report.elapsed.map_or_else(String::new, |ms| {
                format!("The last run took {} ms", ms.as_millis())
            });
            ui.heading(RichText::new("Simulator").strong())
                .on_hover_text(timing);
            widgets::seed_badge(ui, project.seed);
            if report_stale || curves_stale {
                ui.spinner();
                ui.label(
                    RichText::new("recomputing: the dimmed figures are the last run's").weak(),
                );
            }
        });
        if let Some(e) = &self.report.error {
            ui.label(RichText::new(e).color(widgets::error_color(ui)).monospace());
        }
        // bands only for the scenario they were drawn for
        let mc = self
            .monte_carlo
            .value
            .as_ref()
            .filter(|_| self.monte_carlo.key.as_ref() == Some(&s));
        if let Some(r) = &self.report.value {
            ui.scope(|ui| {
                if report_stale {
                    ui.multiply_opacity(STALE_OPACITY);
                }
                summary_ui(ui, r, mc);
            });
        }
        let name = |id: &str| {
            k.stack(id)
                .map_or_else(|| id.to_string(), |s| s.name.clone())
        };
        let current = s.stack.clone().unwrap_or_default();
        let peak = s.traffic.peak_rps.likely();
        widgets::two_up(ui, |ui, i| {
            if curves_stale {
                ui.multiply_opacity(STALE_OPACITY);
            }
            if i == 0 {
                plots::card(
                    ui,
                    "Monthly cost against peak traffic",
                    "each line a stack, its group's max grown with traffic past your peak; ◆ where the simulated stack's cost crosses another's",
                    |ui| {
                        if let Some(curves) = &self.curves.value {
                            let series: Vec<CostSeries<'_>> = curves
                                .iter()
                                .enumerate()
                                .map(|(i, c)| CostSeries {
                                    label: name(&c.stack),
                                    color: series_color(i),
                                    curve: c,
                                    focus: c.stack == current,
                                })
                                .collect();
                            plots::cost_vs_traffic(
                                ui,
                                "sim_cost",
                                &series,
                                Some(peak),
                                mc.map(|m| m.cost),
                            );
                        } else {
                            waiting(ui, self.curves.error.as_deref());
                        }
                    },
                );
            } else {
                plots::card(
                    ui,
                    "Latency against load",
                    "steady traffic, fleet sized by target tracking within min and max",
                    |ui| {
                        if let Some(c) = &self.latency.value {
                            let series = [LatencySeries {
                                label: name(&c.stack),
                                color: series_color(0),
                                curve: c,
                            }];
                            plots::latency_vs_load(
                                ui,
                                "sim_latency",
                                &series,
                                s.latency_target_ms,
                                Some(peak),
                                mc.map(|m| m.p99_ms),
                            );
                        } else {
                            waiting(ui, self.latency.error.as_deref());
                        }
                    },
                );
            }
        });
        if let Some(r) = &self.report.value {
            let link = ui.make_persistent_id("sim_day");
            let series = [DaySeries {
                label: name(&r.stack.id),
                color: series_color(0),
                timeline: &r.timeline,
            }];
            let (title, caption) = instances_caption(k, &r.stack.id);
            widgets::two_up(ui, |ui, i| {
                if report_stale {
                    ui.multiply_opacity(STALE_OPACITY);
                }
                if i == 0 {
                    plots::card(ui, "Requests per second over the simulated day", "", |ui| {
                        plots::day_rps(ui, "sim_day_rps", &series, link);
                    });
                } else {
                    plots::card(ui, title, caption, |ui| {
                        plots::day_instances(ui, "sim_day_instances", &series, link, true);
                    });
                }
            });
        }
        plots::card(
            ui,
            "Decision regions: the cheapest stack that meets the p99 target",
            "peak traffic × session size; grey where no stack meets the target",
            |ui| {
                match &self.regions.value {
                    Some(r) => plots::decision_map(ui, "sim_regions", r, &name),
                    None => waiting(ui, self.regions.error.as_deref()),
                }
                if self.regions.pending(worker) {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label(RichText::new("updating the map…").small().weak());
                    });
                }
            },
        );
        if let Some(r) = &self.report.value {
            ui.scope(|ui| {
                if report_stale {
                    ui.multiply_opacity(STALE_OPACITY);
                }
                cost_table_ui(ui, r);
            });
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

/// How much figures fade while the run that will replace them is in flight.
pub const STALE_OPACITY: f32 = 0.4;

/// The title and caption of the "instances" plot, in the words of the stack's compute.
pub fn instances_caption(k: &Knowledge, stack: &str) -> (&'static str, &'static str) {
    match k.stack(stack).map(|s| s.topology.compute) {
        Some(ComputeKind::Lambda) => (
            "Execution environments and cold starts",
            "Lambda: warm execution environments; each cold start begins a new one",
        ),
        Some(ComputeKind::Fargate) => (
            "Tasks in service",
            "Fargate: tasks running behind the load balancer",
        ),
        Some(ComputeKind::Eks) => ("Pods in service", "EKS: pods on the cluster's nodes"),
        Some(ComputeKind::Ec2) => (
            "Instances in service",
            "EC2: instances in the Auto Scaling group",
        ),
        Some(ComputeKind::None) | None => {
            ("Capacity in service", "no servers: managed services only")
        }
    }
}

fn waiting(ui: &mut Ui, error: Option<&str>) {
    match error {
        Some(e) => {
            ui.label(RichText::new(e).color(widgets::error_color(ui)).monospace());
        }
        None => {
            ui.add_space(plots::PLOT_HEIGHT / 2.0 - 10.0);
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("simulating…");
            });
            ui.add_space(plots::PLOT_HEIGHT / 2.0 - 10.0);
        }
    }
}

/// The narrowest a result card gets before the cards wrap to another row.
const CARD_MIN_WIDTH: f32 = 150.0;

/// The headline numbers, each with what it is measured against.
fn summary_ui(ui: &mut Ui, r: &SimReport, mc: Option<&MonteCarlo>) {
    let cost_note = match mc {
        Some(m) => format!(
            "P10–P90 {} – {} ({} runs)",
            format::usd(m.cost.p10),
            format::usd(m.cost.p90),
            m.runs
        ),
        None => format!("{} hours a month", format::number(r.cost.month_hours)),
    };
    let meets = if r.latency.meets_target {
        "meets"
    } else {
        "misses"
    };
    let share = if r.requests_total > 0 {
        r.requests_failed as f64 / r.requests_total as f64 * 100.0
    } else {
        0.0
    };
    let cards = [
        ("Monthly cost", format::usd(r.cost.monthly_usd.0), cost_note),
        (
            "p99 latency",
            format!("{:.0} ms", r.latency.p99_ms.0),
            format!(
                "{meets} the {:.0} ms target · p50 {:.0} ms",
                r.latency.target_ms.0, r.latency.p50_ms.0
            ),
        ),
        (
            "Peak instances",
            format::number(r.peak_instances.round()),
            format!("{} cold starts", format::number(r.cold_starts as f64)),
        ),
        (
            "Requests failed",
            format::number(r.requests_failed as f64),
            format!("{share:.3}% of {}", plots::short(r.requests_total as f64)),
        ),
        (
            "Sessions lost",
            format::number(r.sessions_lost as f64),
            format!("seed {}", r.seed),
        ),
    ];
    // as many cards to a row as fit at a readable width, the rest on the next rows
    let gap = ui.spacing().item_spacing.x;
    let width = ui.available_width();
    let per_row = ((width + gap) / (CARD_MIN_WIDTH + gap))
        .floor()
        .clamp(1.0, cards.len() as f32);
    let card_width = (width - gap * (per_row - 1.0)) / per_row - 14.0;
    for row in cards.chunks(per_row as usize) {
        ui.horizontal_top(|ui| {
            for (title, value, note) in row {
                egui::Frame::group(ui.style())
                    .inner_margin(6.0)
                    .show(ui, |ui| {
                        ui.vertical(|ui| {
                            ui.set_width(card_width);
                            ui.label(RichText::new(*title).small().weak());
                            ui.label(RichText::new(value).size(19.0).strong());
                            ui.add(egui::Label::new(RichText::new(note).small()).wrap());
                        });
                    });
            }
        });
    }
}

/// The bill line by line: formula, price source and the date of the price.
fn cost_table_ui(ui: &mut Ui, r: &SimReport) {
    widgets::section(
        ui,
        &format!(
            "Cost breakdown: {} a month",
            format::usd(r.cost.monthly_usd.0)
        ),
    );
    let rows: Vec<Vec<RichText>> = r
        .cost
        .by_service
        .iter()
        .map(|line| {
            vec![
                RichText::new(format!("{} — {}", line.service, line.item)),
                RichText::new(format::usd(line.monthly_usd.0)).monospace(),
                RichText::new(&line.formula).monospace().small(),
                RichText::new(&line.price_source).small(),
                RichText::new(&line.price_as_of).small(),
            ]
        })
        .collect();
    widgets::table(
        ui,
        &[0.24, 0.11, 0.35, 0.19, 0.11],
        &[
            "Service / item",
            "Monthly",
            "Formula",
            "Price source",
            "As of",
        ],
        &rows,
    );
    for a in &r.cost.assumptions {
        ui.label(RichText::new(format!("Assumed: {a}")).small().weak());
    }
    ui.label(
        RichText::new(format!(
            "{} requests simulated one by one · {} events · knowledge {} · seed {}",
            format::number(r.walked_requests as f64),
            format::number(r.events as f64),
            r.knowledge_version,
            r.seed
        ))
        .small()
        .weak(),
    );
}

/// `n` points from `lo` to `hi`, evenly spaced on a log scale.
pub fn log_space(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    let (a, b) = (lo.log10(), hi.log10());
    (0..n)
        .map(|i| {
            let v = 10f64.powf(a + (b - a) * i as f64 / (n.max(2) - 1) as f64);
            // round to 2 significant digits so the axis reads cleanly
            let mag = 10f64.powf(v.log10().floor() - 1.0);
            (v / mag).round() * mag
        })
        .collect()
}

/// The relative spread of an estimate (high − likely) / likely.
fn spread_of(e: &Estimate) -> f64 {
    match *e {
        Estimate::Range { likely, high, .. } if likely > 0.0 => {
            ((high - likely) / likely).clamp(0.0, 0.8)
        }
        _ => 0.0,
    }
}

fn estimate(likely: f64, spread: f64) -> Estimate {
    if spread > 0.0 {
        Estimate::Range {
            low: likely * (1.0 - spread),
            likely,
            high: likely * (1.0 + spread),
        }
    } else {
        Estimate::Exact(likely)
    }
}
