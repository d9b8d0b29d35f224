//! The simulator's results: the headline cards, the cost and latency curves, the simulated day,
//! the decision map and the bill line by line. Figures whose replacement is being computed are
//! dimmed, and every card says which run it comes from (its seed).

use egui::{RichText, Ui};

use super::SimulatorUi;
use crate::domain::format;
use crate::domain::knowledge::{ComputeKind, Knowledge};
use crate::domain::project::Project;
use crate::domain::rules::Advice;
use crate::domain::sim::{MonteCarlo, Scenario, SimReport};
use crate::ui::plots::{self, CostSeries, DaySeries, LatencySeries};
use crate::ui::widgets::{self, series_color};
use crate::worker::Worker;

impl SimulatorUi {
    pub(super) fn results_ui(
        &self,
        ui: &mut Ui,
        k: &Knowledge,
        project: &Project,
        advice: Option<&Advice>,
        worker: &Worker,
    ) {
        let s = Self::effective(k, project, advice);
        let report_stale = self.report.pending(worker);
        // a first answer is shown at full strength with its label; the last run's figures dim
        let cost_stale = self.curves.pending(worker) && !self.curves.provisional;
        let latency_stale = self.latency.pending(worker);
        self.status_line_ui(ui, project, report_stale, cost_stale || latency_stale);
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
        let stale = (cost_stale, latency_stale);
        self.curves_ui(ui, k, &s, mc, stale, worker);
        if let Some(r) = &self.report.value {
            day_ui(ui, k, r, report_stale);
        }
        self.regions_ui(ui, k, worker);
        if let Some(r) = &self.report.value {
            ui.scope(|ui| {
                if report_stale {
                    ui.multiply_opacity(STALE_OPACITY);
                }
                cost_table_ui(ui, r);
            });
        }
    }

    /// The screen's heading, the seed, and whether the figures are provisional or recomputing.
    fn status_line_ui(
        &self,
        ui: &mut Ui,
        project: &Project,
        report_stale: bool,
        curves_stale: bool,
    ) {
        ui.horizontal(|ui| {
            let timing = self.report.elapsed.map_or_else(String::new, |ms| {
                format!("The last run took {} ms", ms.as_millis())
            });
            ui.heading(RichText::new("Simulator").strong())
                .on_hover_text(timing);
            widgets::seed_badge(ui, project.seed);
            if self.report.provisional && report_stale {
                ui.spinner();
                ui.label(
                    RichText::new("provisional: percentiles from fewer sampled requests, refining")
                        .weak(),
                );
            } else if report_stale || curves_stale {
                ui.spinner();
                ui.label(
                    RichText::new("recomputing: the dimmed figures are the last run's").weak(),
                );
            }
        });
    }

    /// Cost against traffic for each stack and latency against load, side by side; `stale` dims
    /// (cost, latency) while their next run is in flight.
    fn curves_ui(
        &self,
        ui: &mut Ui,
        k: &Knowledge,
        s: &Scenario,
        mc: Option<&MonteCarlo>,
        (cost_stale, latency_stale): (bool, bool),
        worker: &Worker,
    ) {
        let name = |id: &str| {
            k.stack(id)
                .map_or_else(|| id.to_string(), |s| s.name.clone())
        };
        let current = s.stack.clone().unwrap_or_default();
        let peak = s.traffic.peak_rps.likely();
        widgets::two_up(ui, |ui, i| {
            if (i == 0 && cost_stale) || (i == 1 && latency_stale) {
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
                            if self.curves.provisional && self.curves.pending(worker) {
                                ui.label(
                                    RichText::new(
                                        "provisional: one-minute steps, within 0.1% of the exact curves; refining…",
                                    )
                                    .small()
                                    .weak(),
                                );
                            }
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
    }

    /// The decision map: the cheapest stack that meets the target over peak and session size.
    fn regions_ui(&self, ui: &mut Ui, k: &Knowledge, worker: &Worker) {
        let name = |id: &str| {
            k.stack(id)
                .map_or_else(|| id.to_string(), |s| s.name.clone())
        };
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
                        let note = self
                            .regions
                            .value
                            .as_ref()
                            .and_then(|r| r.provisional.as_deref())
                            .filter(|_| self.regions.provisional)
                            .unwrap_or("updating the map…");
                        ui.label(RichText::new(note).small().weak());
                    });
                }
            },
        );
    }
}

/// The simulated day: requests per second and the fleet over the day, side by side.
fn day_ui(ui: &mut Ui, k: &Knowledge, r: &SimReport, stale: bool) {
    let name = k
        .stack(&r.stack.id)
        .map_or_else(|| r.stack.id.clone(), |s| s.name.clone());
    let link = ui.make_persistent_id("sim_day");
    let series = [DaySeries {
        label: name,
        color: series_color(0),
        timeline: &r.timeline,
    }];
    let (title, caption) = instances_caption(k, &r.stack.id);
    widgets::two_up(ui, |ui, i| {
        if stale {
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

/// How much figures fade while the run that will replace them is in flight.
pub const STALE_OPACITY: f32 = 0.4;

/// The title and caption of the "instances" plot, in the words of the stack's compute.
pub fn instances_caption(k: &Knowledge, stack: &str) -> (&'static str, &'static str) {
    // GameLift's fleets are EC2 instances, but GameLift scales them, not an Auto Scaling group
    let game_fleet = k
        .stack(stack)
        .is_some_and(|s| s.services.iter().any(|svc| svc.service == "gamelift"));
    if game_fleet {
        return (
            "Instances in service",
            "GameLift: game server instances in the fleet",
        );
    }
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
            // as the Compare screen and the record write it
            r.latency.p99_ms.to_string(),
            format!(
                "{meets} the {} ms target · p50 {}",
                format::number(r.latency.target_ms.0),
                r.latency.p50_ms
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
    let rows: Vec<Vec<egui::WidgetText>> = r
        .cost
        .by_service
        .iter()
        .map(|line| {
            vec![
                RichText::new(format!("{} — {}", line.service, line.item)).into(),
                RichText::new(format::usd(line.monthly_usd.0))
                    .monospace()
                    .into(),
                RichText::new(&line.formula).monospace().small().into(),
                RichText::new(&line.price_source).small().into(),
                RichText::new(&line.price_as_of).small().into(),
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
