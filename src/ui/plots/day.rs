//! The simulated day: requests, instances and latency over the day's hours, the plots linked on
//! their time axis.

use egui::{Color32, Ui};
use egui_plot::{FilledArea, GridMark, HLine, Line, LineStyle, PlotPoints};

use super::{base, legend};
use crate::domain::sim::day::TimelinePoint;

/// One run's timeline to draw.
pub struct DaySeries<'a> {
    pub label: String,
    pub color: Color32,
    pub timeline: &'a [TimelinePoint],
}

fn hours_formatter(mark: GridMark, _: &std::ops::RangeInclusive<f64>) -> String {
    let h = mark.value;
    if (h - h.round()).abs() < 1e-6 {
        format!("{:02}:00", h.round() as i64)
    } else {
        format!("{:.1} h", h)
    }
}

/// Requests per second over the simulated day (x in hours).
pub fn day_rps(ui: &mut Ui, id: &str, series: &[DaySeries<'_>], link: egui::Id) {
    base(id, "time of day (h)", "requests/s", hours_formatter)
        .include_y(0.0)
        .link_axis(link, [true, false])
        .link_cursor(link, [true, false])
        .show(ui, |plot| {
            for s in series {
                let pts: Vec<[f64; 2]> = s
                    .timeline
                    .iter()
                    .map(|p| [p.t_s.0 / 3600.0, p.rps.0])
                    .collect();
                plot.line(
                    Line::new(s.label.clone(), PlotPoints::from(pts))
                        .color(s.color)
                        .width(2.0),
                );
            }
        });
    if series.len() > 1 {
        let items: Vec<(String, Color32, &str)> = series
            .iter()
            .map(|s| (s.label.clone(), s.color, "━"))
            .collect();
        legend(ui, &items);
    }
}

/// Instances in service over the day; with `cold_starts`, the cold starts per interval beside them.
pub fn day_instances(
    ui: &mut Ui,
    id: &str,
    series: &[DaySeries<'_>],
    link: egui::Id,
    cold_starts: bool,
) {
    base(
        id,
        "time of day (h)",
        "instances / cold starts",
        hours_formatter,
    )
    .include_y(0.0)
    .link_axis(link, [true, false])
    .link_cursor(link, [true, false])
    .show(ui, |plot| {
        for s in series {
            let inst: Vec<[f64; 2]> = s
                .timeline
                .iter()
                .map(|p| [p.t_s.0 / 3600.0, p.instances])
                .collect();
            plot.line(
                Line::new(format!("{} instances", s.label), PlotPoints::from(inst))
                    .color(s.color)
                    .width(2.0),
            );
            if cold_starts && s.timeline.iter().any(|p| p.cold_starts > 0) {
                let xs: Vec<f64> = s.timeline.iter().map(|p| p.t_s.0 / 3600.0).collect();
                let zeros = vec![0.0; xs.len()];
                let cold: Vec<f64> = s.timeline.iter().map(|p| p.cold_starts as f64).collect();
                plot.add(
                    FilledArea::new(format!("{} cold starts", s.label), &xs, &zeros, &cold)
                        .fill_color(s.color.gamma_multiply(0.35)),
                );
            }
        }
    });
    let mut items: Vec<(String, Color32, &str)> = series
        .iter()
        .map(|s| (format!("{} instances", s.label), s.color, "━"))
        .collect();
    if cold_starts {
        items.extend(series.iter().map(|s| {
            (
                format!("{} cold starts", s.label),
                s.color.gamma_multiply(0.5),
                "■",
            )
        }));
    }
    legend(ui, &items);
}

/// The p99 over the day, with the target.
pub fn day_latency(
    ui: &mut Ui,
    id: &str,
    series: &[DaySeries<'_>],
    link: egui::Id,
    target_ms: f64,
) {
    base(id, "time of day (h)", "p99 latency (ms)", hours_formatter)
        .include_y(0.0)
        .link_axis(link, [true, false])
        .link_cursor(link, [true, false])
        .show(ui, |plot| {
            for s in series {
                let pts: Vec<[f64; 2]> = s
                    .timeline
                    .iter()
                    .filter(|p| p.samples > 0)
                    .map(|p| [p.t_s.0 / 3600.0, p.p99_ms.0])
                    .collect();
                plot.line(
                    Line::new(format!("{} p99", s.label), PlotPoints::from(pts))
                        .color(s.color)
                        .width(2.0),
                );
            }
            plot.hline(
                HLine::new("p99 target", target_ms)
                    .color(Color32::from_rgb(200, 60, 60))
                    .style(LineStyle::dotted_dense()),
            );
        });
    let mut items: Vec<(String, Color32, &str)> = series
        .iter()
        .map(|s| (format!("{} p99", s.label), s.color, "━"))
        .collect();
    items.push(("p99 target".into(), Color32::from_rgb(200, 60, 60), "┈"));
    legend(ui, &items);
}
