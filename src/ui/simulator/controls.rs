//! The simulator's left panel: the stack, the traffic, the uncertainty and Monte Carlo, targets and
//! scaling, and saving the scenario under a name. It edits a copy of the working scenario and asks
//! the app to store it (one command per change), so that only a real change marks the project.

use egui::{Key, RichText, Ui};

use super::SimulatorUi;
use crate::domain::knowledge::{ComputeKind, Knowledge};
use crate::domain::project::Project;
use crate::domain::rules::Advice;
use crate::domain::sim::scenario::Traffic;
use crate::domain::sim::traffic::Shape;
use crate::domain::sim::{Estimate, Scenario};
use crate::ui::Command;
use crate::ui::widgets;
use crate::worker::{Request, Worker};

/// What the traffic section's controls read: the peak and compute time as the user left them, and
/// whether they moved (the uncertainty section turns them into ranges).
struct TrafficMoves {
    peak: f64,
    peak_moved: bool,
    request_ms: f64,
    compute_moved: bool,
}

impl SimulatorUi {
    pub(super) fn controls_ui(
        &mut self,
        ui: &mut Ui,
        k: &Knowledge,
        project: &Project,
        advice: Option<&Advice>,
        worker: &mut Worker,
        commands: &mut Vec<Command>,
    ) {
        let before = Self::working(k, project, advice);
        let mut s = before.clone();
        // the stack as the frame began: the sections below label and offer what it has
        let current = s.stack.clone().unwrap_or_default();
        // each control writes its field only when the user moved it, so that showing a value
        // never rewrites it (a range read from a file stays a range until touched)
        let mut touched = stack_section(ui, k, project, advice, &mut s, commands);
        touched |= self.prices_ui(ui, k, &mut s);
        let spread = spread_of(&s.traffic.peak_rps);
        let (moves, traffic_touched) = traffic_section(ui, k, &current, &mut s);
        touched |= traffic_touched;
        touched |= self.uncertainty_section(ui, project, &mut s, spread, &moves, worker);
        touched |= targets_section(ui, k, &current, &mut s);
        self.save_section(ui, project, &s, commands);
        if touched && s != before {
            commands.push(Command::SetWorking(Box::new(s)));
        }
    }

    /// The price pack the bill uses, and how old its prices are.
    fn prices_ui(&self, ui: &mut Ui, k: &Knowledge, s: &mut Scenario) -> bool {
        let mut touched = false;
        let regions = k.price_regions();
        let region_name = regions
            .iter()
            .find(|(code, _)| *code == s.billing.region)
            .map_or(s.billing.region.clone(), |(code, name)| {
                format!("{name} ({code})")
            });
        let label = ui.label("Prices of region");
        egui::ComboBox::from_id_salt("price_region")
            .selected_text(region_name)
            .width(ui.available_width() - 8.0)
            .truncate()
            .show_ui(ui, |ui| {
                for (code, name) in &regions {
                    if ui
                        .selectable_label(*code == s.billing.region, format!("{name} ({code})"))
                        .clicked()
                    {
                        s.billing.region = code.clone();
                        touched = true;
                    }
                }
            })
            .response
            .labelled_by(label.id);
        let today = self
            .prices_today
            .unwrap_or_else(|| time::OffsetDateTime::now_utc().date());
        // the prices the last bill read (a line of another region's bill names the same ids)
        let used: Vec<&str> = self.report.value.as_ref().map_or_else(Vec::new, |r| {
            r.cost
                .by_service
                .iter()
                .map(|l| l.price_id.as_str())
                .collect()
        });
        if let Some(age) =
            crate::domain::bill::age::price_age_of(k, &s.billing.region, today, &used)
        {
            match &age.warning {
                Some(warning) => {
                    ui.label(
                        RichText::new(warning)
                            .color(widgets::error_color(ui))
                            .small(),
                    );
                }
                None => {
                    ui.label(
                        RichText::new(format!(
                            "prices as of {} to {}, {} days old at most",
                            age.oldest, age.newest, age.days
                        ))
                        .weak()
                        .small(),
                    );
                }
            }
        }
        touched
    }

    /// The ± uncertainty that turns peak and compute time into ranges, and the Monte Carlo run over
    /// them.
    fn uncertainty_section(
        &mut self,
        ui: &mut Ui,
        project: &Project,
        s: &mut Scenario,
        spread: f64,
        moves: &TrafficMoves,
        worker: &mut Worker,
    ) -> bool {
        let mut touched = false;
        widgets::section(ui, "Uncertainty");
        let mut pct = spread * 100.0;
        let spread_moved = widgets::labelled_slider(
            ui,
            "± uncertainty",
            egui::Slider::new(&mut pct, 0.0..=80.0).suffix(" %"),
        )
        .on_hover_text("Peak traffic and compute time become low / likely / high ranges; Monte Carlo draws from them")
        .changed();
        let spread = pct / 100.0;
        let t = &mut s.traffic;
        if moves.peak_moved || spread_moved {
            t.peak_rps = estimate(moves.peak, spread);
            touched = true;
        }
        if moves.compute_moved || spread_moved {
            t.request_ms = estimate(moves.request_ms, spread);
            touched = true;
        }
        self.monte_carlo_ui(ui, project, s, spread, moves, worker);
        touched
    }

    /// The runs slider, the Run and Cancel buttons, and the run's progress.
    fn monte_carlo_ui(
        &mut self,
        ui: &mut Ui,
        project: &Project,
        s: &Scenario,
        spread: f64,
        moves: &TrafficMoves,
        worker: &mut Worker,
    ) {
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
                eff.traffic.peak_rps = estimate(moves.peak, spread);
                eff.traffic.request_ms = estimate(moves.request_ms, spread);
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
            if self.monte_carlo.provisional
                && let Some(mc) = &self.monte_carlo.value
            {
                ui.label(
                    RichText::new(format!(
                        "bands provisional: from the first {} runs",
                        mc.runs
                    ))
                    .small()
                    .weak(),
                );
            }
        }
    }

    /// Saving the scenario under a name for the Compare screen.
    fn save_section(
        &mut self,
        ui: &mut Ui,
        project: &Project,
        s: &Scenario,
        commands: &mut Vec<Command>,
    ) {
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
    }
}

/// The stack to simulate and the seed.
fn stack_section(
    ui: &mut Ui,
    k: &Knowledge,
    project: &Project,
    advice: Option<&Advice>,
    s: &mut Scenario,
    commands: &mut Vec<Command>,
) -> bool {
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
    touched
}

/// Peak, daily shape, compute time, sizes, the edge cache's share, sessions and users. `current` is
/// the stack as the frame began.
fn traffic_section(
    ui: &mut Ui,
    k: &Knowledge,
    current: &str,
    s: &mut Scenario,
) -> (TrafficMoves, bool) {
    let mut touched = false;
    widgets::section(ui, "Traffic");
    let t = &mut s.traffic;
    let mut peak = t.peak_rps.likely();
    // each control rewrites only its own field: moving the peak keeps the compute time's range
    // (a request profile's low / likely / high) as it was
    let mut peak_moved = widgets::labelled_slider(
        ui,
        "Peak traffic",
        egui::Slider::new(&mut peak, 1.0..=100_000.0)
            .logarithmic(true)
            .integer()
            .suffix(" req/s"),
    )
    .changed();
    // a peak of 0 would simulate no traffic at all: one request a second is the least
    peak_moved |= widgets::number_field(
        ui,
        "Peak (requests/s)",
        &mut peak,
        1.0..=1_000_000.0,
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
    let compute_moved = widgets::labelled_slider(
        ui,
        "Compute per request",
        egui::Slider::new(&mut request_ms, 0.01..=2_000.0)
            .logarithmic(true)
            .suffix(" ms"),
    )
    .changed();
    touched |= sizes_ui(ui, k, current, t);
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
    let moves = TrafficMoves {
        peak,
        peak_moved,
        request_ms,
        compute_moved,
    };
    (moves, touched)
}

/// The response and session sizes, and the share a CDN in front of the servers answers.
fn sizes_ui(ui: &mut Ui, k: &Knowledge, current: &str, t: &mut Traffic) -> bool {
    let mut touched = false;
    let mut payload = t.payload_kb.likely();
    if widgets::labelled_slider(
        ui,
        "Response size",
        egui::Slider::new(&mut payload, 0.1..=5_000.0)
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
    // a CDN in front of the servers answers the cacheable requests from its caches
    if k.stack(current)
        .is_some_and(crate::domain::sim::model::has_edge_cache)
    {
        let mut cacheable = t.cacheable_pct.likely();
        if widgets::labelled_slider(
            ui,
            "Cacheable at the edge",
            egui::Slider::new(&mut cacheable, 0.0..=100.0)
                .integer()
                .suffix(" %"),
        )
        .on_hover_text("Requests whose answer is the same for everyone and fresh for a minute or more: the CDN answers them from its caches (less its miss ratio), and only the rest reach the servers and stores")
        .changed()
        {
            t.cacheable_pct = Estimate::Exact(cacheable);
            touched = true;
        }
    }
    touched
}

/// The p99 target and the compute's scaling bounds, named for the stack's compute.
fn targets_section(ui: &mut Ui, k: &Knowledge, current: &str, s: &mut Scenario) -> bool {
    widgets::section(ui, "Targets and scaling");
    let mut touched = widgets::labelled_slider(
        ui,
        "p99 target",
        egui::Slider::new(&mut s.latency_target_ms, 10.0..=5_000.0)
            .logarithmic(true)
            .suffix(" ms"),
    )
    .changed();
    let (unit_min, unit_max) = match k.stack(current).map(|st| st.topology.compute) {
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
    touched
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
