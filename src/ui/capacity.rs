//! The capacity planner: servers, arrival rate and service time → Erlang C (the M/M/c closed form)
//! beside a simulated run of the same queue, and the analytic percentiles against the number of
//! servers, so a team sees how many servers keep the tail under its target.
//!
//! It starts from the user's own traffic (the working scenario's peak and compute time), with just
//! enough servers to keep them 70% busy; at a load the servers cannot keep up with (ρ ≥ 1) it says
//! so in words and shows no figures, rather than leaving the last stable run's under the warning.

use std::time::Duration;

use egui::{RichText, Ui};
use egui_plot::{Line, LineStyle, MarkerShape, Plot, PlotPoints, Points, VLine};

use super::widgets::{self, series_color};
use crate::domain::format;
use crate::domain::project::Project;
use crate::domain::sim::Scenario;
use crate::domain::sim::capacity::{self as queue, MAX_ARRIVAL_RPS, MAX_SERVERS, MAX_SERVICE_MS};
use crate::domain::sim::dist::ServiceDist;
use crate::domain::sim::units::Millis;
use crate::domain::sim::{QueueParams, QueueReport};
use crate::worker::{JobId, Output, Reply, Request, Worker};

pub struct CapacityUi {
    pub servers: f64,
    pub arrival_rps: f64,
    pub service_ms: f64,
    pub dist: ServiceDist,
    pub cv: f64,
    pub requests: f64,
    pub report: Option<QueueReport>,
    pub error: Option<String>,
    /// The parameters of the report on screen (or of the job in flight).
    asked: Option<QueueParams>,
    job: Option<JobId>,
    /// The traffic (peak, compute time) the fields were last filled from; refilled when it
    /// changes, unless the user has edited the fields since.
    seeded_from: Option<(f64, f64)>,
    pub edited: bool,
}

/// The utilisation the planner starts the servers at.
const START_UTILISATION: f64 = 0.7;

impl Default for CapacityUi {
    fn default() -> Self {
        CapacityUi {
            servers: 4.0,
            arrival_rps: 100.0,
            service_ms: 30.0,
            dist: ServiceDist::Exp,
            cv: 1.0,
            requests: 200_000.0,
            report: None,
            error: None,
            asked: None,
            job: None,
            seeded_from: None,
            edited: false,
        }
    }
}

impl CapacityUi {
    /// The queue the fields describe, with the project's seed.
    pub fn params(&self, seed: u64) -> QueueParams {
        let mut p = QueueParams::new(self.servers as u32, self.arrival_rps, self.service_ms);
        p.service_dist = self.dist;
        p.service_cv = self.cv;
        p.requests = self.requests as u64;
        p.seed = seed;
        p
    }

    pub fn on_reply(&mut self, reply: &mut Option<Reply>) {
        if reply.as_ref().map(Reply::id) != self.job || self.job.is_none() {
            return;
        }
        match reply.take() {
            Some(Reply::Finished { result, .. }) => {
                match result {
                    Ok(Output::Queue(r)) => {
                        self.report = Some(*r);
                        self.error = None;
                    }
                    Ok(_) => {}
                    Err(e) => self.error = Some(e),
                }
                self.job = None;
            }
            Some(Reply::Cancelled { .. }) => self.job = None,
            other => *reply = other,
        }
    }

    /// Fills the fields from the user's traffic: its peak, its compute time, and the fewest
    /// servers that keep them at most 70% busy.
    pub fn seed_from(&mut self, user: &Scenario) {
        let arrival = user.traffic.peak_rps.likely().clamp(0.001, MAX_ARRIVAL_RPS);
        let service = user
            .traffic
            .request_ms
            .likely()
            .clamp(0.001, MAX_SERVICE_MS);
        let offered = arrival * service / 1000.0;
        self.arrival_rps = arrival;
        self.service_ms = service;
        self.servers = (offered / START_UTILISATION)
            .ceil()
            .clamp(1.0, f64::from(MAX_SERVERS));
        self.seeded_from = Some((arrival, service));
    }

    pub fn capacity_ui(
        &mut self,
        ui: &mut Ui,
        project: &Project,
        user: &Scenario,
        worker: &mut Worker,
    ) {
        let traffic = (
            user.traffic.peak_rps.likely(),
            user.traffic.request_ms.likely(),
        );
        if !self.edited && self.seeded_from != Some(traffic) {
            self.seed_from(user);
        }
        // the run is asked for (or cleared) before anything is drawn, so nothing stale is shown
        self.submit(project.seed, worker);
        egui::ScrollArea::vertical()
            .id_salt("capacity_scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                widgets::screen_header(
                    ui,
                    "Capacity planner",
                    "An M/M/c tier: c servers, requests arriving at random, each taking a random time. Erlang C gives the waiting exactly; the simulation checks it (and handles other service-time shapes).",
                );
                let before = (self.servers, self.arrival_rps, self.service_ms, self.dist, self.cv, self.requests);
                if ui.available_width() >= 700.0 {
                    ui.horizontal_top(|ui| {
                        ui.vertical(|ui| {
                            ui.set_width(320.0);
                            self.inputs_ui(ui, user);
                        });
                        ui.separator();
                        ui.vertical(|ui| self.results_ui(ui, project, worker));
                    });
                } else {
                    self.inputs_ui(ui, user);
                    ui.separator();
                    self.results_ui(ui, project, worker);
                }
                if before != (self.servers, self.arrival_rps, self.service_ms, self.dist, self.cv, self.requests) {
                    self.edited = true;
                }
            });
        if self.job.is_some_and(|j| worker.is_running(j)) {
            ui.ctx().request_repaint_after(Duration::from_millis(100));
        }
    }

    /// Asks for a run of the queue the fields describe, or, when it cannot run, clears the figures
    /// of the last one and says why.
    fn submit(&mut self, seed: u64, worker: &mut Worker) {
        let params = self.params(seed);
        if params.rho() >= 1.0 {
            if let Some(job) = self.job.take() {
                worker.cancel(job);
            }
            self.report = None;
            self.asked = None;
            self.error = Some(unstable_message(&params));
            return;
        }
        match params.check() {
            Ok(()) => {
                if self.asked.as_ref() != Some(&params) {
                    self.job = Some(worker.replace(self.job, Request::Queue { params }));
                    self.asked = Some(params);
                    self.error = None;
                }
            }
            Err(e) => {
                self.report = None;
                self.error = Some(format!("These settings cannot be simulated: {e}"));
                self.asked = None;
            }
        }
    }

    fn inputs_ui(&mut self, ui: &mut Ui, user: &Scenario) {
        widgets::section(ui, "The tier");
        ui.add(
            egui::Label::new(
                RichText::new(if self.edited {
                    "Your own figures. “From my traffic” starts again from the simulator's scenario."
                } else {
                    "From your traffic: the simulator's peak and compute time per request, with servers 70% busy."
                })
                .weak(),
            )
            .wrap(),
        );
        if self.edited && ui.button("From my traffic").clicked() {
            self.seed_from(user);
            self.edited = false;
        }
        widgets::labelled_slider(
            ui,
            "Servers",
            egui::Slider::new(&mut self.servers, 1.0..=200.0)
                .logarithmic(true)
                .integer(),
        );
        widgets::number_field(
            ui,
            "Servers (c)",
            &mut self.servers,
            1.0..=f64::from(MAX_SERVERS),
            None,
        );
        self.servers = self.servers.round().max(1.0);
        widgets::labelled_slider(
            ui,
            "Arrival rate",
            egui::Slider::new(&mut self.arrival_rps, 1.0..=100_000.0)
                .logarithmic(true)
                .suffix(" req/s"),
        );
        widgets::number_field(
            ui,
            "Arrival rate (λ)",
            &mut self.arrival_rps,
            0.001..=MAX_ARRIVAL_RPS,
            Some("req/s"),
        );
        widgets::labelled_slider(
            ui,
            "Service time",
            egui::Slider::new(&mut self.service_ms, 0.1..=10_000.0)
                .logarithmic(true)
                .suffix(" ms"),
        );
        widgets::number_field(
            ui,
            "Mean service time",
            &mut self.service_ms,
            0.001..=MAX_SERVICE_MS,
            Some("ms"),
        );
        widgets::section(ui, "Service-time shape");
        ui.horizontal_wrapped(|ui| {
            ui.radio_value(&mut self.dist, ServiceDist::Exp, "Exponential");
            ui.radio_value(&mut self.dist, ServiceDist::Det, "Fixed");
            ui.radio_value(&mut self.dist, ServiceDist::Lognormal, "Lognormal");
        });
        if self.dist == ServiceDist::Lognormal {
            widgets::labelled_slider(
                ui,
                "Coefficient of variation",
                egui::Slider::new(&mut self.cv, 0.1..=5.0),
            );
        }
        widgets::labelled_slider(
            ui,
            "Requests simulated",
            egui::Slider::new(&mut self.requests, 10_000.0..=5_000_000.0)
                .logarithmic(true)
                .integer(),
        );
    }

    fn results_ui(&mut self, ui: &mut Ui, project: &Project, worker: &Worker) {
        let params = self.params(project.seed);
        let rho = params.rho();
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(format!("ρ = {:.3}", rho)).size(18.0).strong())
                .on_hover_text("Offered load per server: λ × service time ÷ c. At 1 or more the queue grows without end.");
            let (text, color) = if rho < 0.7 {
                ("comfortable", ui.visuals().text_color())
            } else if rho < 1.0 {
                ("busy: waits grow fast from here", ui.visuals().warn_fg_color)
            } else {
                ("unstable: the queue grows without end", widgets::error_color(ui))
            };
            ui.label(RichText::new(text).color(color));
            widgets::seed_badge(ui, project.seed);
            if self.job.is_some_and(|j| worker.is_running(j)) {
                ui.spinner();
            }
        });
        if let Some(e) = &self.error {
            ui.add(egui::Label::new(RichText::new(e).color(widgets::error_color(ui))).wrap());
        }
        if let Some(r) = &self.report {
            ui.scope(|ui| {
                if self.job.is_some() {
                    ui.multiply_opacity(super::simulator::STALE_OPACITY);
                }
                comparison_table(ui, r);
            });
        }
        widgets::section(ui, "Analytic percentiles against the number of servers");
        self.servers_plot(ui, &params);
    }

    fn servers_plot(&self, ui: &mut Ui, params: &QueueParams) {
        let offered = params.arrival_rps * params.service_ms.0 / 1000.0;
        let first = (offered.floor() as u32 + 1).max(1);
        let last = (first + 15).max(params.servers + 3).min(MAX_SERVERS);
        let points: Vec<(f64, queue::Analytic)> = (first..=last)
            .map(|c| {
                (
                    f64::from(c),
                    queue::erlang_c(c, params.arrival_rps, Millis(params.service_ms.0)),
                )
            })
            .collect();
        // the y axis is scaled to the user's tier (or, when it is unstable, to the smallest stable
        // one), not to the nearly saturated first point, whose wait would flatten every other line
        let scale_at = if params.rho() < 1.0 {
            params.servers
        } else {
            first
        };
        let at_yours = queue::erlang_c(scale_at, params.arrival_rps, Millis(params.service_ms.0));
        let y_max = if at_yours.p99_ms.0.is_finite() {
            (at_yours.p99_ms.0 * 3.0).max(params.service_ms.0 * 2.0)
        } else {
            f64::INFINITY
        };
        let line = |f: fn(&queue::Analytic) -> f64| -> Vec<[f64; 2]> {
            points
                .iter()
                .filter(|(_, a)| a.p99_ms.0 <= y_max)
                .map(|(c, a)| [*c, f(a)])
                .collect()
        };
        Plot::new("capacity_servers")
            .height(260.0)
            .custom_x_axes(vec![
                egui_plot::AxisHints::new_x()
                    .label("servers (c)")
                    .label_spacing(24.0..=40.0),
            ])
            .y_axis_label("response time (ms)")
            .include_y(0.0)
            .include_x(f64::from(first))
            .include_x(f64::from(last))
            .allow_scroll(false)
            .allow_zoom(false)
            .allow_drag(false)
            .show(ui, |plot| {
                plot.line(
                    Line::new("Erlang C p50", PlotPoints::from(line(|a| a.p50_ms.0)))
                        .color(series_color(2))
                        .width(1.5),
                );
                plot.line(
                    Line::new("Erlang C p95", PlotPoints::from(line(|a| a.p95_ms.0)))
                        .color(series_color(4))
                        .width(1.5),
                );
                plot.line(
                    Line::new("Erlang C p99", PlotPoints::from(line(|a| a.p99_ms.0)))
                        .color(series_color(1))
                        .width(2.5),
                );
                plot.vline(
                    VLine::new("your servers", f64::from(params.servers))
                        .style(LineStyle::dashed_loose()),
                );
                if let Some(r) = &self.report
                    && r.params.servers == params.servers
                {
                    let s = &r.simulated;
                    plot.points(
                        Points::new(
                            "simulated p50 / p95 / p99",
                            PlotPoints::from(vec![
                                [f64::from(params.servers), s.p50_ms.0],
                                [f64::from(params.servers), s.p95_ms.0],
                                [f64::from(params.servers), s.p99_ms.0],
                            ]),
                        )
                        .shape(MarkerShape::Diamond)
                        .radius(5.0)
                        .color(series_color(0)),
                    );
                }
            });
        // under the plot, where it covers no line
        super::plots::legend(
            ui,
            &[
                ("Erlang C p50".into(), series_color(2), "─"),
                ("Erlang C p95".into(), series_color(4), "─"),
                ("Erlang C p99".into(), series_color(1), "━"),
                ("your servers".into(), ui.visuals().text_color(), "┆"),
                ("simulated p50 / p95 / p99".into(), series_color(0), "◆"),
            ],
        );
    }
}

/// What a user reads when the servers cannot keep up: how busy they would be, and how many are
/// needed.
pub fn unstable_message(p: &QueueParams) -> String {
    let offered = p.arrival_rps * p.service_ms.0 / 1000.0;
    let needed = offered.floor() as u32 + 1;
    format!(
        "The servers cannot keep up: {} requests/s taking {} ms each keep {} servers busy all the time, and there are {}. The queue would grow without end, so there are no waiting times to show. Add servers (at least {needed}), or lower the arrival rate or the service time.",
        format::number(p.arrival_rps),
        format::number(p.service_ms.0),
        format::number((offered * 100.0).round() / 100.0),
        p.servers,
    )
}

/// Erlang C and the simulation, figure by figure.
fn comparison_table(ui: &mut Ui, r: &QueueReport) {
    let s = &r.simulated;
    let a = r.analytic.as_ref();
    let ms = |m: Millis| format!("{:.2} ms", m.0);
    let rows: [(&str, Option<String>, String); 7] = [
        (
            "P(a request waits)",
            a.map(|a| format!("{:.4}", a.p_wait)),
            format!("{:.4}", s.p_wait),
        ),
        (
            "Mean wait",
            a.map(|a| ms(a.mean_wait_ms)),
            ms(s.mean_wait_ms),
        ),
        (
            "Mean response",
            a.map(|a| ms(a.mean_response_ms)),
            ms(s.mean_response_ms),
        ),
        ("p50 response", a.map(|a| ms(a.p50_ms)), ms(s.p50_ms)),
        ("p95 response", a.map(|a| ms(a.p95_ms)), ms(s.p95_ms)),
        ("p99 response", a.map(|a| ms(a.p99_ms)), ms(s.p99_ms)),
        (
            "Utilisation",
            Some(format!("{:.3}", r.rho)),
            format!("{:.3}", s.utilisation),
        ),
    ];
    egui::Grid::new("capacity_table")
        .striped(true)
        .num_columns(3)
        .spacing([24.0, 6.0])
        .show(ui, |ui| {
            ui.label(RichText::new("").strong());
            ui.label(RichText::new("Erlang C (exact)").strong());
            ui.label(RichText::new("Simulated").strong());
            ui.end_row();
            for (name, analytic, simulated) in rows {
                ui.label(name);
                ui.label(RichText::new(analytic.unwrap_or_else(|| "—".into())).monospace());
                ui.label(RichText::new(simulated).monospace());
                ui.end_row();
            }
        });
    if a.is_none() {
        ui.label(
            RichText::new(
                "No closed form for this service-time shape: only the simulation applies.",
            )
            .small()
            .weak(),
        );
    }
    ui.label(
        RichText::new(format!(
            "{} requests simulated · seed {}",
            format::number(s.requests as f64),
            r.seed
        ))
        .small()
        .weak(),
    )
    .on_hover_text(format!("The simulation took {:.0} ms", r.elapsed_ms));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unstable_message_names_the_load_and_the_servers_needed() {
        let p = QueueParams::new(4, 100.0, 50.0);
        assert_eq!(
            unstable_message(&p),
            "The servers cannot keep up: 100 requests/s taking 50 ms each keep 5 servers busy all the time, and there are 4. The queue would grow without end, so there are no waiting times to show. Add servers (at least 6), or lower the arrival rate or the service time."
        );
    }
}
