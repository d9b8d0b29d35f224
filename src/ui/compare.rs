//! Compare: the scenarios saved on the simulator, up to four overlaid on the same plots in distinct
//! colours (cost against traffic, the simulated day), and a side-by-side table of the settings that
//! differ and of the results.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use egui::{RichText, Ui};

use super::Command;
use super::plots::{self, CostSeries, DaySeries};
use super::simulator::{Slot, log_space};
use super::widgets::{self, series_color};
use crate::domain::format;
use crate::domain::knowledge::Knowledge;
use crate::domain::project::{Project, SavedScenario};
use crate::domain::sim::{CostCurve, Scenario, SimReport};
use crate::worker::{Output, Reply, Request, Worker};

/// The narrowest a column of the side-by-side table gets before the table scrolls sideways.
const COLUMN_MIN: f32 = 130.0;

/// At most this many scenarios on the plots at once.
pub const MAX_COMPARED: usize = 4;

#[derive(Default)]
pub struct CompareUi {
    /// Names of the scenarios on the plots, in the order they were ticked.
    pub selected: Vec<String>,
    pub reports: HashMap<String, Slot<Arc<SimReport>>>,
    pub curves: HashMap<String, Slot<Vec<CostCurve>>>,
    /// Set once the first visit has ticked the first scenarios.
    initialised: bool,
}

impl CompareUi {
    pub fn project_changed(&mut self, _project: &Project) {
        *self = CompareUi::default();
    }

    pub fn on_reply(&mut self, reply: &mut Option<Reply>) {
        for slot in self.reports.values_mut() {
            if slot.accept(reply, |o| match o {
                Output::Report(r) => Some(Arc::from(r)),
                _ => None,
            }) {
                return;
            }
        }
        for slot in self.curves.values_mut() {
            if slot.accept(reply, |o| match o {
                Output::CostCurves(c) => Some(c),
                _ => None,
            }) {
                return;
            }
        }
    }

    /// The report for a saved scenario, once it has come back.
    pub fn report(&self, name: &str) -> Option<&SimReport> {
        self.reports.get(name).and_then(|s| s.value.as_deref())
    }

    pub fn compare_ui(
        &mut self,
        ui: &mut Ui,
        k: &Knowledge,
        project: &Project,
        worker: &mut Worker,
        commands: &mut Vec<Command>,
    ) {
        widgets::screen_header(
            ui,
            "Compare scenarios",
            "Save scenarios on the Simulator screen, then tick up to four to see them on the same plots.",
        );
        // the first visit with saved scenarios ticks the first few
        if !self.initialised && !project.scenarios.is_empty() {
            self.selected = project
                .scenarios
                .iter()
                .take(MAX_COMPARED)
                .map(|s| s.name.clone())
                .collect();
            self.initialised = true;
        }
        self.selected.retain(|n| project.scenario(n).is_some());
        if project.scenarios.is_empty() {
            ui.label("No saved scenarios yet. On the Simulator screen, give the scenario a name and press “Save scenario”.");
            if ui.button("Go to the simulator").clicked() {
                commands.push(Command::Goto(super::ScreenId::Simulator));
            }
            return;
        }
        let mut delete = None;
        ui.label(RichText::new("Saved scenarios (Delete can be undone with Ctrl+Z)").weak());
        ui.horizontal_wrapped(|ui| {
            for saved in &project.scenarios {
                let at = self.selected.iter().position(|n| *n == saved.name);
                let mut on = at.is_some();
                let text = match at {
                    Some(i) => RichText::new(&saved.name).color(series_color(i)).strong(),
                    None => RichText::new(&saved.name),
                };
                let full = at.is_none() && self.selected.len() >= MAX_COMPARED;
                let response = ui.add_enabled(!full, egui::Checkbox::new(&mut on, text));
                if response.changed() {
                    if on {
                        self.selected.push(saved.name.clone());
                    } else {
                        self.selected.retain(|n| *n != saved.name);
                    }
                }
                // a little apart from its checkbox, so that ticking never deletes by a slip
                ui.add_space(2.0);
                let button = ui.small_button("Delete").on_hover_text(format!(
                    "Delete the saved scenario “{}” (undo: Ctrl+Z)",
                    saved.name
                ));
                // a screen reader says which scenario the button deletes
                let spoken = format!("Delete {}", saved.name);
                button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &spoken));
                if button.clicked() {
                    delete = Some(saved.name.clone());
                }
                ui.separator();
            }
        });
        if let Some(name) = delete {
            self.selected.retain(|n| *n != name);
            commands.push(Command::DeleteScenario(name));
        }
        let chosen: Vec<SavedScenario> = self
            .selected
            .iter()
            .filter_map(|n| project.scenario(n).cloned())
            .collect();
        for saved in &chosen {
            let s = saved.scenario.clone();
            self.reports
                .entry(saved.name.clone())
                .or_default()
                .refresh(worker, &s, || Request::Simulate {
                    scenario: Box::new(s.clone()),
                });
            let stack = s.stack.clone().unwrap_or_default();
            self.curves
                .entry(saved.name.clone())
                .or_default()
                .refresh(worker, &s, || Request::CostCurves {
                    scenario: Box::new(s.clone()),
                    stacks: vec![stack],
                    rps: log_space(1.0, 100_000.0, 16),
                });
        }
        if chosen.is_empty() {
            ui.label("Tick a scenario to see it.");
            return;
        }
        let waiting = chosen.iter().any(|c| {
            self.reports.get(&c.name).is_some_and(|s| s.pending(worker))
                || self.curves.get(&c.name).is_some_and(|s| s.pending(worker))
        });
        if waiting {
            ui.ctx().request_repaint_after(Duration::from_millis(100));
        }
        egui::ScrollArea::vertical()
            .id_salt("compare_scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| self.plots_and_table(ui, k, &chosen, waiting));
    }

    fn plots_and_table(&self, ui: &mut Ui, k: &Knowledge, chosen: &[SavedScenario], waiting: bool) {
        let name = |id: &str| {
            k.stack(id)
                .map_or_else(|| id.to_string(), |s| s.name.clone())
        };
        let provisional = chosen.iter().any(|c| {
            self.reports.get(&c.name).is_some_and(|s| s.provisional)
                || self.curves.get(&c.name).is_some_and(|s| s.provisional)
        });
        if waiting {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(if provisional {
                    "provisional: percentiles from fewer sampled requests, costs from one-minute steps; refining"
                } else {
                    "simulating: the dimmed figures are the last run's"
                });
            });
            if !provisional {
                ui.multiply_opacity(super::simulator::STALE_OPACITY);
            }
        }
        let cost_series: Vec<CostSeries<'_>> = chosen
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let curve = self.curves.get(&c.name)?.value.as_ref()?.first()?;
                Some(CostSeries {
                    label: format!("{} ({})", c.name, name(&curve.stack)),
                    color: series_color(i),
                    curve,
                    focus: i == 0,
                })
            })
            .collect();
        let day_series: Vec<DaySeries<'_>> = chosen
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let r = self.report(&c.name)?;
                Some(DaySeries {
                    label: c.name.clone(),
                    color: series_color(i),
                    timeline: &r.timeline,
                })
            })
            .collect();
        let link = ui.make_persistent_id("compare_day");
        let target = chosen
            .first()
            .map_or(300.0, |c| c.scenario.latency_target_ms);
        widgets::two_up(ui, |ui, i| {
            if i == 0 {
                plots::card(
                    ui,
                    "Monthly cost against peak traffic",
                    "◆ where the first scenario's stack crosses another's",
                    |ui| {
                        plots::cost_vs_traffic(ui, "compare_cost", &cost_series, None, None);
                    },
                );
            } else {
                plots::card(ui, "Requests per second over the day", "", |ui| {
                    plots::day_rps(ui, "compare_rps", &day_series, link);
                });
            }
        });
        widgets::two_up(ui, |ui, i| {
            if i == 0 {
                plots::card(ui, "Instances in service", "", |ui| {
                    plots::day_instances(ui, "compare_instances", &day_series, link, false);
                });
            } else {
                plots::card(ui, "p99 latency over the day", "", |ui| {
                    plots::day_latency(ui, "compare_p99", &day_series, link, target);
                });
            }
        });
        widgets::section(ui, "Side by side");
        self.table_ui(ui, k, chosen);
    }

    fn table_ui(&self, ui: &mut Ui, k: &Knowledge, chosen: &[SavedScenario]) {
        let settings: Vec<BTreeMap<String, String>> =
            chosen.iter().map(|c| flatten(&c.scenario)).collect();
        let mut keys: Vec<&String> = settings.iter().flat_map(|m| m.keys()).collect();
        keys.sort();
        keys.dedup();
        let differ: Vec<&String> = keys
            .into_iter()
            .filter(|key| {
                let first = settings[0].get(*key);
                settings.iter().any(|m| m.get(*key) != first)
            })
            .collect();
        let mut rows: Vec<Vec<egui::WidgetText>> = Vec::new();
        let blank = |n: usize| {
            (0..n)
                .map(|_| egui::WidgetText::from(""))
                .collect::<Vec<_>>()
        };
        let section = |title: &str| {
            let mut row = vec![RichText::new(title).strong().italics().into()];
            row.extend(blank(chosen.len()));
            row
        };
        rows.push(section("What differs"));
        if differ.is_empty() {
            let mut row = vec![RichText::new("the settings are the same").weak().into()];
            row.extend(blank(chosen.len()));
            rows.push(row);
        }
        for key in &differ {
            let mut row: Vec<egui::WidgetText> = vec![setting_name(key).into()];
            for m in &settings {
                let value = m.get(*key).map_or("—", String::as_str);
                let shown = if key.as_str() == "stack" {
                    k.stack(value)
                        .map_or_else(|| value.to_string(), |s| s.name.clone())
                } else {
                    value.to_string()
                };
                row.push(shown.into());
            }
            rows.push(row);
        }
        rows.push(section("Results"));
        let results: [(&str, ResultCell); 8] = [
            ("stack", |r, _| r.stack.name.clone()),
            ("monthly cost", |r, _| format::usd(r.cost.monthly_usd.0)),
            // as the Simulator screen and the record write them
            ("p50 latency", |r, _| r.latency.p50_ms.to_string()),
            ("p99 latency", |r, _| r.latency.p99_ms.to_string()),
            ("peak instances", |r, _| {
                format::number(r.peak_instances.round())
            }),
            ("requests failed", |r, _| {
                format::number(r.requests_failed as f64)
            }),
            ("sessions lost", |r, _| {
                format::number(r.sessions_lost as f64)
            }),
            ("seed", |r, _| r.seed.to_string()),
        ];
        for (label, value) in results {
            let mut row: Vec<egui::WidgetText> = vec![label.into()];
            for c in chosen {
                row.push(match self.report(&c.name) {
                    // figures in monospace line up; the stack's name is words
                    Some(r) if label == "stack" => value(r, k).into(),
                    Some(r) => RichText::new(value(r, k)).monospace().into(),
                    None => "…".into(),
                });
            }
            rows.push(row);
        }
        let mut header: Vec<egui::WidgetText> = vec!["".into()];
        header.extend(chosen.iter().enumerate().map(|(i, c)| {
            RichText::new(&c.name)
                .strong()
                .color(series_color(i))
                .into()
        }));
        let mut fractions = vec![1.1];
        fractions.extend(std::iter::repeat_n(1.0, chosen.len()));
        // each column at least this wide: below it (four scenarios on a small window) the table
        // scrolls sideways, with a bar that says so, rather than squeezing or cutting a scenario
        let needed = COLUMN_MIN * fractions.len() as f32;
        widgets::sideways(ui, "compare_table_scroll", |ui| {
            let width = ui.available_width().max(needed);
            ui.allocate_ui(egui::vec2(width, 0.0), |ui| {
                ui.set_width(width);
                widgets::table_with_header(ui, &fractions, header, &rows);
            });
        });
    }
}

/// The name a person reads for a scenario setting (`compute.max` → "Most instances"); settings
/// without one are shown as their words, `traffic.peak_rps` → "traffic · peak rps".
pub fn setting_name(key: &str) -> String {
    let known = match key {
        "stack" => "Stack",
        "seed" => "Seed",
        "horizon_s" => "Simulated time (s)",
        "latency_target_ms" => "p99 target (ms)",
        "traffic.peak_rps" => "Peak traffic (requests/s)",
        "traffic.peak_rps.likely" => "Peak traffic, likely (requests/s)",
        "traffic.peak_rps.low" => "Peak traffic, low (requests/s)",
        "traffic.peak_rps.high" => "Peak traffic, high (requests/s)",
        "traffic.request_ms" => "Compute per request (ms)",
        "traffic.request_ms.likely" => "Compute per request, likely (ms)",
        "traffic.request_ms.low" => "Compute per request, low (ms)",
        "traffic.request_ms.high" => "Compute per request, high (ms)",
        "traffic.payload_kb" => "Response size (KB)",
        "traffic.session_kb" => "Session size (KB)",
        "traffic.sessions" => "Sessions at peak",
        "traffic.users" => "Monthly active users",
        "traffic.shape" => "Daily shape",
        "compute.min" => "Fewest instances",
        "compute.max" => "Most instances",
        "compute.initial" => "Instances at the start",
        "compute.instance_price" => "Instance type (price)",
        "compute.target_utilisation" => "Target CPU utilisation",
        "compute.autoscaling" => "Autoscaling",
        "compute.lambda_memory_mb" => "Lambda memory (MB)",
        "compute.availability_zones" => "Availability zones",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_string();
    }
    crate::domain::format::capitalised(&key.replace('.', " · ").replace('_', " "))
}

/// How one row of the results table reads a report.
type ResultCell = fn(&SimReport, &Knowledge) -> String;

/// A scenario's settings as `path → value` (`traffic.peak_rps → 600`), for the table of differences.
pub fn flatten(s: &Scenario) -> BTreeMap<String, String> {
    fn walk(prefix: &str, v: &serde_json::Value, out: &mut BTreeMap<String, String>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, inner) in map {
                    let path = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(&path, inner, out);
                }
            }
            serde_json::Value::Number(n) => {
                out.insert(
                    prefix.to_string(),
                    n.as_f64().map_or_else(|| n.to_string(), format::number),
                );
            }
            serde_json::Value::String(s) => {
                out.insert(prefix.to_string(), s.clone());
            }
            other => {
                out.insert(prefix.to_string(), other.to_string());
            }
        }
    }
    let mut out = BTreeMap::new();
    if let Ok(v) = serde_json::to_value(s) {
        walk("", &v, &mut out);
    }
    out.remove("name");
    out.remove("description");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_go_by_the_names_a_person_reads() {
        assert_eq!(setting_name("compute.max"), "Most instances");
        assert_eq!(
            setting_name("traffic.peak_rps"),
            "Peak traffic (requests/s)"
        );
        assert_eq!(setting_name("stores.cache_nodes"), "Stores · cache nodes");
    }
}
