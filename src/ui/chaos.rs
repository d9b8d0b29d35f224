//! The Chaos Monkey test from the seeds: users with carts, a load balancer, servers A, B and C and a
//! shared DB / Redis. Switch between stateful (sessions in the servers' memory, sticky routing) and
//! stateless (sessions in the shared store); send requests; click a server to kill it and see what
//! its users lose. Each kill also runs the same test over fifteen simulated minutes through the full
//! engine, on the user's own stack when it has servers to kill, plotted: requests failed and
//! sessions lost over time, and the recovery. The figures of the demo and of the timed run are kept
//! apart, each under the name of what produced it.

use std::time::Duration;

use egui::{RichText, Sense, Ui};
use egui_plot::{Line, LineStyle, Plot, PlotPoints, VLine};

use super::Command;
use super::widgets::{self, series_color};
mod diagram;

use crate::domain::format;
use crate::domain::knowledge::{ComputeKind, Knowledge};
use crate::domain::project::Project;
use crate::domain::sim::chaos::{self, ChaosMonkey, Mode};
use crate::domain::sim::{Scenario, SimReport};
use crate::worker::{JobId, Output, Reply, Request, Worker};

/// The servers of the demo, as in the seed.
pub const SERVERS: usize = 3;
/// The users of the demo.
pub const USERS: u32 = 6;
/// The over-time run: users, when the server dies, and how long it runs (the domain's, so the
/// decision record's chaos test is this very run).
const TIMED_USERS: u32 = chaos::USERS;
const KILL_AT_S: f64 = chaos::KILL_AT_S;
const HORIZON_S: f64 = chaos::HORIZON_S;

/// The stack each mode runs over time when the user's own has no servers (the seeds' two designs).
fn stack_for(mode: Mode) -> &'static str {
    match mode {
        Mode::Stateful => chaos::STATEFUL_STACK,
        Mode::Stateless => chaos::STATELESS_STACK,
    }
}

/// The stack the timed run kills a server of: the user's, when it runs on servers (EC2 instances,
/// Fargate tasks, EKS pods); otherwise the mode's stack, and why.
pub fn timed_stack(
    k: &Knowledge,
    user_stack: &str,
    mode: Mode,
    own: bool,
) -> (String, Option<String>) {
    if !own {
        return (stack_for(mode).to_string(), None);
    }
    match k.stack(user_stack) {
        Some(st)
            if matches!(
                st.topology.compute,
                ComputeKind::Ec2 | ComputeKind::Fargate | ComputeKind::Eks
            ) =>
        {
            (st.id.clone(), None)
        }
        Some(st) => {
            let fallback = stack_for(mode);
            let name = k.stack(fallback).map_or(fallback, |f| f.name.as_str());
            (
                fallback.to_string(),
                Some(format!(
                    "Your stack ({}) has no servers to destroy, so the run uses {name}.",
                    st.name
                )),
            )
        }
        None => (stack_for(mode).to_string(), None),
    }
}

pub struct ChaosUi {
    pub demo: ChaosMonkey,
    /// The user the next request comes from.
    pub user: u32,
    /// The over-time run after the last kill.
    pub timed: Option<SimReport>,
    pub timed_error: Option<String>,
    timed_job: Option<JobId>,
    /// The server the over-time run kills.
    killed: Option<String>,
    /// Why the timed run is not on the user's stack, when it is not.
    pub timed_note: Option<String>,
    /// The timed run kills a server of the user's stack (true) or of the mode's design.
    pub on_own_stack: bool,
}

impl Default for ChaosUi {
    fn default() -> Self {
        ChaosUi {
            // the seed's demo starts stateless
            demo: ChaosMonkey::new(Mode::Stateless, SERVERS),
            user: 1,
            timed: None,
            timed_error: None,
            timed_job: None,
            killed: None,
            timed_note: None,
            on_own_stack: true,
        }
    }
}

impl ChaosUi {
    pub fn on_reply(&mut self, reply: &mut Option<Reply>) {
        if self.timed_job.is_none() || reply.as_ref().map(Reply::id) != self.timed_job {
            return;
        }
        match reply.take() {
            Some(Reply::Finished { result, .. }) => {
                match result {
                    Ok(Output::Report(r)) => {
                        self.timed = Some(*r);
                        self.timed_error = None;
                    }
                    Ok(_) => {}
                    Err(e) => self.timed_error = Some(e),
                }
                self.timed_job = None;
            }
            Some(Reply::Cancelled { .. }) => self.timed_job = None,
            other => *reply = other,
        }
    }

    fn set_mode(&mut self, mode: Mode) {
        if self.demo.mode != mode {
            self.demo = ChaosMonkey::new(mode, SERVERS);
            self.timed = None;
            self.killed = None;
        }
    }

    /// Kills `server` in the demo and runs the same kill over simulated time on `user`'s stack.
    pub fn kill(
        &mut self,
        k: &Knowledge,
        user: &Scenario,
        server: &str,
        seed: u64,
        worker: &mut Worker,
    ) {
        self.demo.kill(server);
        self.run_timed(k, user, server, seed, worker);
    }

    /// Runs the kill of `server` over fifteen simulated minutes, on the user's stack or the mode's
    /// design as chosen.
    fn run_timed(
        &mut self,
        k: &Knowledge,
        user: &Scenario,
        server: &str,
        seed: u64,
        worker: &mut Worker,
    ) {
        let user_stack = user.stack.clone().unwrap_or_default();
        let (stack, note) = timed_stack(k, &user_stack, self.demo.mode, self.on_own_stack);
        self.timed_note = note;
        let mut s = if stack == stack_for(self.demo.mode) {
            // the seeds' design for the mode: the very run the decision record's chaos test makes
            chaos::scenario_for(self.demo.mode, server, seed)
        } else {
            chaos::scenario(
                &stack,
                chaos::SERVERS,
                TIMED_USERS,
                server,
                KILL_AT_S,
                HORIZON_S,
            )
        };
        s.seed = seed;
        if stack == user_stack {
            // the user's servers: their instance type and task size
            s.compute.instance_price = user.compute.instance_price.clone();
            s.compute.vcpus_per_instance = user.compute.vcpus_per_instance;
            s.compute.fargate_task_vcpu = user.compute.fargate_task_vcpu;
            s.compute.fargate_task_gb = user.compute.fargate_task_gb;
        }
        self.killed = Some(server.to_string());
        self.timed = None;
        self.timed_job = Some(worker.replace(
            self.timed_job,
            Request::Simulate {
                scenario: Box::new(s),
            },
        ));
    }

    pub fn chaos_ui(
        &mut self,
        ui: &mut Ui,
        k: &Knowledge,
        project: &Project,
        user: &Scenario,
        worker: &mut Worker,
        commands: &mut Vec<Command>,
    ) {
        egui::ScrollArea::vertical()
            .id_salt("chaos_scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                // the scroll bar floats over the content's right edge: keep the right-hand card's
                // sentences and plot clear of it
                let bar = ui.spacing().scroll;
                ui.set_max_width(ui.available_width() - bar.bar_width - bar.bar_outer_margin - 4.0);
                self.body_ui(ui, k, project, user, worker, commands)
            });
        if self.timed_job.is_some_and(|j| worker.is_running(j)) {
            ui.ctx().request_repaint_after(Duration::from_millis(100));
        }
    }

    fn body_ui(
        &mut self,
        ui: &mut Ui,
        k: &Knowledge,
        project: &Project,
        user: &Scenario,
        worker: &mut Worker,
        commands: &mut Vec<Command>,
    ) {
        widgets::screen_header(
            ui,
            "The Chaos Monkey test",
            &format!(
                "{} Send requests, fill carts, then destroy a server.",
                crate::domain::glossary::CHAOS_MONKEY
            ),
        );
        ui.horizontal_wrapped(|ui| {
            ui.label("Mode:");
            if ui
                .selectable_label(self.demo.mode == Mode::Stateful, "Stateful")
                .clicked()
            {
                self.set_mode(Mode::Stateful);
            }
            if ui
                .selectable_label(self.demo.mode == Mode::Stateless, "Stateless")
                .clicked()
            {
                self.set_mode(Mode::Stateless);
            }
        });
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(match self.demo.mode {
                Mode::Stateful => "Sessions live in the servers' memory; the load balancer pins each user to one server.",
                Mode::Stateless => "State is stored in a shared external database; any server can answer any user.",
            }).weak());
        });
        ui.add_space(6.0);
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("User");
            ui.add(egui::Slider::new(&mut self.user, 1..=USERS).text("of 6"))
                .labelled_by(label.id);
            if ui
                .button("Add to cart")
                .on_hover_text("The user sends a request that adds an item")
                .clicked()
            {
                self.demo.send(self.user, true);
            }
            if ui
                .button("Send request")
                .on_hover_text("The user sends a request that only reads the cart")
                .clicked()
            {
                self.demo.send(self.user, false);
            }
            if ui.button("Every user adds an item").clicked() {
                for u in 1..=USERS {
                    self.demo.send(u, true);
                }
            }
            if ui.button("Reset").clicked() {
                self.demo = ChaosMonkey::new(self.demo.mode, SERVERS);
                self.timed = None;
                self.killed = None;
                self.timed_note = None;
            }
        });
        let user_stack = user.stack.clone().unwrap_or_default();
        let own_name = k
            .stack(&user_stack)
            .map_or(user_stack.clone(), |s| s.name.clone());
        let mode_name = k
            .stack(stack_for(self.demo.mode))
            .map_or(stack_for(self.demo.mode), |s| s.name.as_str());
        let was_own = self.on_own_stack;
        ui.horizontal_wrapped(|ui| {
            ui.label("Each kill is also run over fifteen minutes on:");
            ui.radio_value(
                &mut self.on_own_stack,
                true,
                format!("your stack ({own_name})"),
            );
            ui.radio_value(
                &mut self.on_own_stack,
                false,
                format!("this mode's design ({mode_name})"),
            );
        });
        if self.on_own_stack != was_own
            && let Some(server) = self.killed.clone()
        {
            // the run below is of the design chosen, never of the one before
            self.run_timed(k, user, &server, project.seed, worker);
        }
        ui.add_space(6.0);
        let mut kill = None;
        let mut restart = None;
        widgets::sideways(ui, "chaos_diagram_scroll", |ui| {
            self.diagram_ui(ui, &mut kill, &mut restart)
        });
        if let Some(server) = kill {
            self.kill(k, user, &server, project.seed, worker);
            commands.push(Command::SetRecordChaos(Some(chaos::ChaosChoice {
                server: server.clone(),
            })));
        }
        if let Some(server) = restart {
            self.demo.restart(&server);
        }
        ui.add_space(6.0);
        ui.label(RichText::new(format!("In the demo above ({USERS} users)")).strong());
        ui.horizontal_wrapped(|ui| {
            stat(ui, "Sessions lost", self.demo.sessions_lost);
            stat(ui, "Carts lost", self.demo.carts_lost);
            stat(ui, "Items lost", self.demo.items_lost);
        });
        widgets::two_up(ui, |ui, i| {
            if i == 0 {
                ui.label(RichText::new("Log of the demo").strong());
                egui::ScrollArea::vertical()
                    .id_salt("chaos_log")
                    .max_height(190.0)
                    .stick_to_bottom(true)
                    .show(ui, |ui| {
                        for line in &self.demo.log {
                            ui.add(
                                egui::Label::new(
                                    RichText::new(format!("> {line}")).monospace().small(),
                                )
                                .wrap(),
                            );
                        }
                    });
            } else {
                self.timed_ui(ui, project, worker);
            }
        });
    }

    fn timed_ui(&mut self, ui: &mut Ui, project: &Project, worker: &Worker) {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Over fifteen simulated minutes").strong());
            widgets::seed_badge(ui, project.seed);
            if self.timed_job.is_some_and(|j| worker.is_running(j)) {
                ui.spinner();
            }
        });
        let Some(killed) = &self.killed else {
            ui.label(RichText::new(format!(
                "Destroy a server to run the same test with {TIMED_USERS} users over fifteen minutes of simulated time (the server dies at minute 5; its replacement needs the instance warm-up to come into service)."
            )).weak());
            return;
        };
        if let Some(e) = &self.timed_error {
            ui.label(RichText::new(e).color(widgets::error_color(ui)).monospace());
        }
        let Some(r) = &self.timed else {
            return;
        };
        if let Some(note) = &self.timed_note {
            ui.add(egui::Label::new(RichText::new(note).weak()).wrap());
        }
        // the figures of this run, and only of this run
        ui.horizontal_wrapped(|ui| {
            stat(ui, "Sessions lost (run)", r.sessions_lost);
            if r.sessions_restored > 0 {
                // a journalled design: the killed server's state comes back on its replacement
                stat(ui, "Sessions restored (run)", r.sessions_restored);
            }
            stat(ui, "Carts lost (run)", r.carts_lost);
            stat(ui, "Requests failed (run)", r.requests_failed);
        });
        let recovery = r
            .timeline
            .iter()
            .filter(|p| p.t_s.0 >= KILL_AT_S && p.errors > 0)
            .map(|p| p.t_s.0)
            .fold(None::<f64>, |a, t| Some(a.map_or(t, |a| a.max(t))));
        let step = r
            .timeline
            .get(1)
            .map_or(30.0, |p| p.t_s.0 - r.timeline[0].t_s.0);
        ui.add(egui::Label::new(format!(
            "{} users on {}; server {killed} dies at {}:00. Sessions lost: {}{}, carts lost: {}, requests failed: {}{}",
            TIMED_USERS,
            r.stack.name,
            (KILL_AT_S / 60.0) as u32,
            r.sessions_lost,
            if r.sessions_restored > 0 {
                format!(
                    " ({} restored from the journal on the replacement)",
                    r.sessions_restored
                )
            } else {
                String::new()
            },
            r.carts_lost,
            format::number(r.requests_failed as f64),
            match recovery {
                Some(t) => format!("; errors stop {} s after the kill", (t + step - KILL_AT_S).round()),
                None => "; no request failed".to_string(),
            }
        )).wrap());
        Plot::new("chaos_timeline")
            .height(170.0)
            .x_axis_label("time (minutes)")
            .y_axis_label("per 30 s")
            .include_y(0.0)
            .allow_scroll(false)
            .allow_zoom(false)
            .allow_drag(false)
            .show(ui, |plot| {
                let series =
                    |f: fn(&crate::domain::sim::day::TimelinePoint) -> f64| -> Vec<[f64; 2]> {
                        r.timeline.iter().map(|p| [p.t_s.0 / 60.0, f(p)]).collect()
                    };
                plot.line(
                    Line::new(
                        "requests failed",
                        PlotPoints::from(series(|p| p.errors as f64)),
                    )
                    .color(series_color(1))
                    .width(2.0),
                );
                plot.line(
                    Line::new(
                        "sessions lost",
                        PlotPoints::from(series(|p| p.sessions_lost as f64)),
                    )
                    .color(series_color(3))
                    .width(2.0),
                );
                plot.line(
                    Line::new(
                        "servers in service",
                        PlotPoints::from(series(|p| p.instances)),
                    )
                    .color(series_color(2))
                    .width(1.5),
                );
                plot.vline(
                    VLine::new(format!("server {killed} destroyed"), KILL_AT_S / 60.0)
                        .style(LineStyle::dashed_loose()),
                );
            });
        super::plots::legend(
            ui,
            &[
                ("requests failed".into(), series_color(1), "━"),
                ("sessions lost".into(), series_color(3), "━"),
                ("servers in service".into(), series_color(2), "─"),
                (
                    format!("server {killed} destroyed"),
                    ui.visuals().text_color(),
                    "┆",
                ),
            ],
        );
    }
}

/// A figure in a card; a screen reader reads it as one line ("Sessions lost (run): 2").
fn stat(ui: &mut Ui, name: &str, value: u64) {
    let frame = egui::Frame::group(ui.style())
        .inner_margin(8.0)
        .show(ui, |ui| {
            ui.vertical(|ui| {
                ui.set_min_width(130.0);
                ui.label(RichText::new(name).small().weak());
                ui.label(RichText::new(value.to_string()).size(20.0).strong());
            });
        });
    let spoken = format!("{name}: {value}");
    let card = ui.interact(
        frame.response.rect,
        ui.make_persistent_id(("chaos_stat", name)),
        Sense::hover(),
    );
    card.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &spoken));
}
