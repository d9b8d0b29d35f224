//! The plots the simulator and compare screens share: cost against traffic (log–log, with crossover
//! markers and the Monte Carlo band), latency against load, the simulated day, and the decision-region
//! map. Each takes results from `domain::sim` and only draws them.

mod day;
mod map;

pub use day::{DaySeries, day_instances, day_latency, day_rps};
pub use map::decision_map;

use egui::{Color32, RichText, Ui};
use egui_plot::{
    AxisHints, GridMark, HLine, HoverPosition, Line, LineStyle, MarkerShape, Plot, PlotPoint,
    PlotPoints, Points, Polygon, Text, VLine,
};

use crate::domain::format;
use crate::domain::sim::CostCurve;
use crate::domain::sim::explore::{LatencyCurve, crossings};
use crate::domain::sim::stats::Band;

/// Plot height on the screens.
pub const PLOT_HEIGHT: f32 = 250.0;

/// `10^v` as a short number: 1, 30, 1k, 25k, 1M.
pub fn log_label(v: f64) -> String {
    short(10f64.powf(v))
}

/// 1,500 → "1.5k", 2,000,000 → "2M".
pub fn short(n: f64) -> String {
    let (value, suffix) = if n.abs() >= 1e6 {
        (n / 1e6, "M")
    } else if n.abs() >= 1e3 {
        (n / 1e3, "k")
    } else {
        (n, "")
    };
    let text = if value.abs() >= 10.0 || value.fract().abs() < 1e-9 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    };
    format!("{text}{suffix}")
}

/// Points with both coordinates in log10, dropping what a log axis cannot show.
pub fn log_log(points: impl IntoIterator<Item = (f64, f64)>) -> Vec<[f64; 2]> {
    points
        .into_iter()
        .filter(|(x, y)| *x > 0.0 && *y > 0.0 && x.is_finite() && y.is_finite())
        .map(|(x, y)| [x.log10(), y.log10()])
        .collect()
}

/// A titled card holding one plot.
pub fn card(ui: &mut Ui, title: &str, note: &str, add: impl FnOnce(&mut Ui)) {
    egui::Frame::group(ui.style())
        .inner_margin(8.0)
        .show(ui, |ui| {
            ui.label(RichText::new(title).strong());
            if !note.is_empty() {
                ui.label(RichText::new(note).small().weak());
            }
            add(ui);
        });
}

/// Grid marks on a log10 axis: thick at each decade, thin at 3 times it (finer marks would crowd
/// out the labels on a plot half a window wide).
fn log_marks(input: egui_plot::GridInput) -> Vec<GridMark> {
    let (lo, hi) = input.bounds;
    let mut marks = Vec::new();
    let first = lo.floor() as i32;
    let last = hi.ceil() as i32;
    if last - first > 40 {
        return marks;
    }
    for d in first..=last {
        let d = f64::from(d);
        marks.push(GridMark {
            value: d,
            step_size: 1.0,
        });
        marks.push(GridMark {
            value: d + 3f64.log10(),
            step_size: 0.5,
        });
    }
    marks.retain(|m| m.value >= lo && m.value <= hi);
    marks
}

/// A legend under a plot: a coloured mark and the name of each series, wrapped to the width
/// between entries, never inside one unless an entry is wider than the whole row ("Direct to the
/// game session + GameLift + sessions in server memory + RDS PostgreSQL" beside a half-width plot):
/// that one wraps, rather than widen the card past the window.
pub fn legend(ui: &mut Ui, items: &[(String, Color32, &str)]) {
    ui.horizontal_wrapped(|ui| {
        let row = ui.available_width();
        ui.spacing_mut().item_spacing.x = 12.0;
        for (name, color, mark) in items {
            let mut job = egui::text::LayoutJob::default();
            let small = egui::TextStyle::Small.resolve(ui.style());
            job.append(
                mark,
                0.0,
                egui::TextFormat::simple(egui::TextStyle::Body.resolve(ui.style()), *color),
            );
            job.append(
                name,
                4.0,
                egui::TextFormat::simple(small, ui.visuals().text_color()),
            );
            let natural = ui.ctx().fonts_mut(|f| f.layout_job(job.clone())).size().x;
            if natural > row {
                ui.add(egui::Label::new(job).wrap());
            } else {
                ui.add(egui::Label::new(job).extend());
            }
        }
    });
}

/// Crossings closer than this (in decades of traffic) to one already marked are not marked again:
/// curves that run together would otherwise wear a string of diamonds.
const CROSSING_MIN_GAP: f64 = 0.25;
/// At most this many crossings are labelled with their traffic.
const CROSSING_LABELS: usize = 3;

/// The crossings worth marking: `(rps, usd, other stack)`, in order of traffic, none closer to the
/// previous than [`CROSSING_MIN_GAP`] decades.
pub fn spaced_crossings(mut marks: Vec<(f64, f64, String)>) -> Vec<(f64, f64, String)> {
    marks.retain(|(r, u, _)| *r > 0.0 && *u > 0.0);
    marks.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut kept: Vec<(f64, f64, String)> = Vec::new();
    for m in marks {
        if kept
            .last()
            .is_none_or(|k| m.0.log10() - k.0.log10() >= CROSSING_MIN_GAP)
        {
            kept.push(m);
        }
    }
    kept
}

fn log_axis_formatter(
    unit: &'static str,
) -> impl Fn(GridMark, &std::ops::RangeInclusive<f64>) -> String {
    move |mark, _| {
        // label only the decades and their halves (log10(3) ≈ 0.477)
        let frac = mark.value - mark.value.floor();
        if frac.abs() < 1e-6 {
            format!("{}{unit}", log_label(mark.value))
        } else {
            String::new()
        }
    }
}

/// A plot with the screens' settings: fixed height, no zoom or pan (the axes are chosen for the
/// data), and an x axis whose tick labels show from 28 points apart (egui_plot's default of 60 hides
/// them on a plot half a window wide).
fn base(
    id: &str,
    x: &str,
    y: &str,
    x_ticks: impl Fn(GridMark, &std::ops::RangeInclusive<f64>) -> String + 'static,
) -> Plot<'static> {
    Plot::new(id.to_string())
        .height(PLOT_HEIGHT)
        .custom_x_axes(vec![
            AxisHints::new_x()
                .label(x.to_string())
                .formatter(x_ticks)
                .label_spacing(28.0..=40.0),
        ])
        .y_axis_label(y.to_string())
        .allow_scroll(false)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_boxed_zoom(false)
}

/// One stack's cost curve to draw.
pub struct CostSeries<'a> {
    pub label: String,
    pub color: Color32,
    pub curve: &'a CostCurve,
    /// Drawn thicker, with its crossings marked.
    pub focus: bool,
}

/// Monthly cost against peak traffic, log–log; crossings of the focused curve with the others
/// marked; a vertical line at `marker_rps`; the Monte Carlo P10–P90 cost band at that rate.
pub fn cost_vs_traffic(
    ui: &mut Ui,
    id: &str,
    series: &[CostSeries<'_>],
    marker_rps: Option<f64>,
    band: Option<Band>,
) {
    let focus: Vec<&CostSeries<'_>> = series.iter().filter(|s| s.focus).collect();
    base(
        id,
        "peak traffic (requests/s)",
        "monthly cost (USD)",
        log_axis_formatter(""),
    )
    .y_axis_formatter(log_axis_formatter(""))
    .x_grid_spacer(log_marks)
    .y_grid_spacer(log_marks)
    .label_formatter(|pos| {
        let (name, p) = hovered(pos);
        Some(format!(
            "{name}{} requests/s\n{} a month",
            format::number(10f64.powf(p.x).round()),
            format::usd(10f64.powf(p.y))
        ))
    })
    .show(ui, |plot| {
        for s in series {
            let pts = log_log(s.curve.points.iter().map(|(r, u)| (r.0, u.0)));
            plot.line(
                Line::new(s.label.clone(), PlotPoints::from(pts))
                    .color(s.color)
                    .width(if s.focus { 3.0 } else { 1.5 }),
            );
        }
        let mut marks = Vec::new();
        for f in &focus {
            // a crossover is where one stack becomes cheaper than another: the same stack in two
            // scenarios (the same curve but for rounding, or one shifted by a setting) crosses
            // itself at random points, none of them a choice between stacks
            for other in series.iter().filter(|o| {
                !o.focus && o.curve.stack != f.curve.stack && o.curve.points != f.curve.points
            }) {
                for r in crossings(f.curve, other.curve) {
                    if let Some(usd) = cost_at(f.curve, r.0) {
                        marks.push((r.0, usd, other.label.clone()));
                    }
                }
            }
        }
        let marks = spaced_crossings(marks);
        if !marks.is_empty() {
            let pts = log_log(marks.iter().map(|(r, u, _)| (*r, *u)));
            plot.points(
                Points::new("", PlotPoints::from(pts))
                    .shape(MarkerShape::Diamond)
                    .radius(6.0)
                    .color(ui_text_color()),
            );
            let mut last_label: Option<f64> = None;
            let mut labelled = 0;
            for (r, u, _) in &marks {
                // labels need more room than diamonds: at least half a decade apart
                if labelled >= CROSSING_LABELS || last_label.is_some_and(|l| r.log10() - l < 0.5) {
                    continue;
                }
                plot.text(
                    Text::new(
                        "",
                        PlotPoint::new(r.log10(), u.log10()),
                        RichText::new(format!("  {}/s", short(*r))).small(),
                    )
                    .anchor(egui::Align2::LEFT_TOP),
                );
                last_label = Some(r.log10());
                labelled += 1;
            }
        }
        if let Some(r) = marker_rps.filter(|r| *r > 0.0) {
            plot.vline(VLine::new("", r.log10()).style(LineStyle::dashed_loose()));
            if let Some(b) = band.filter(|b| b.p10 > 0.0 && b.p90 > 0.0) {
                // the P10–P90 band of the monthly cost at your peak, from the Monte Carlo runs
                let x = r.log10();
                let w = 0.06;
                plot.polygon(
                    Polygon::new(
                        "P10–P90 cost",
                        PlotPoints::from(vec![
                            [x - w, b.p10.log10()],
                            [x + w, b.p10.log10()],
                            [x + w, b.p90.log10()],
                            [x - w, b.p90.log10()],
                        ]),
                    )
                    .fill_color(Color32::from_rgba_unmultiplied(0, 114, 178, 70))
                    .stroke(egui::Stroke::new(1.0, Color32::from_rgb(0, 114, 178))),
                );
            }
        }
    });
    let mut items: Vec<(String, Color32, &str)> = series
        .iter()
        .map(|s| (s.label.clone(), s.color, if s.focus { "━" } else { "─" }))
        .collect();
    if !focus.is_empty() && series.len() > 1 {
        items.push(("crossover".into(), ui_text_color(), "◆"));
    }
    if marker_rps.is_some() {
        items.push(("your peak".into(), ui.visuals().text_color(), "┆"));
    }
    if band.is_some() {
        items.push((
            "P10–P90 monthly cost (Monte Carlo)".into(),
            Color32::from_rgb(0, 114, 178),
            "■",
        ));
    }
    legend(ui, &items);
}

/// The hovered series' name (with a line break) and the point, for hover labels on log axes.
fn hovered(pos: &HoverPosition<'_>) -> (String, PlotPoint) {
    match pos {
        HoverPosition::NearDataPoint {
            plot_name,
            position,
            ..
        } => (format!("{plot_name}\n"), *position),
        HoverPosition::Elsewhere { position } => (String::new(), *position),
    }
}

fn ui_text_color() -> Color32 {
    Color32::from_rgb(200, 60, 60)
}

/// The curve's cost at `rps` by linear interpolation between its points.
fn cost_at(curve: &CostCurve, rps: f64) -> Option<f64> {
    curve.points.windows(2).find_map(|w| {
        let (r0, u0) = (w[0].0.0, w[0].1.0);
        let (r1, u1) = (w[1].0.0, w[1].1.0);
        (rps >= r0 && rps <= r1 && r1 > r0).then(|| u0 + (u1 - u0) * (rps - r0) / (r1 - r0))
    })
}

/// One latency curve to draw.
pub struct LatencySeries<'a> {
    pub label: String,
    pub color: Color32,
    pub curve: &'a LatencyCurve,
}

/// p50 (thin) and p99 (thick) against steady load, the target as a horizontal line, the P10–P90
/// band of the p99 at `marker_rps` shaded.
pub fn latency_vs_load(
    ui: &mut Ui,
    id: &str,
    series: &[LatencySeries<'_>],
    target_ms: f64,
    marker_rps: Option<f64>,
    band: Option<Band>,
) {
    base(
        id,
        "steady load (requests/s)",
        "latency (ms)",
        log_axis_formatter(""),
    )
    .y_axis_formatter(log_axis_formatter(""))
    .x_grid_spacer(log_marks)
    .y_grid_spacer(log_marks)
    .label_formatter(|pos| {
        let (name, p) = hovered(pos);
        Some(format!(
            "{name}{} requests/s\n{:.1} ms",
            format::number(10f64.powf(p.x).round()),
            10f64.powf(p.y)
        ))
    })
    .show(ui, |plot| {
        for s in series {
            let p99 = log_log(s.curve.points.iter().map(|p| (p.rps.0, p.p99_ms.0)));
            let p50 = log_log(s.curve.points.iter().map(|p| (p.rps.0, p.p50_ms.0)));
            plot.line(
                Line::new(format!("{} p99", s.label), PlotPoints::from(p99))
                    .color(s.color)
                    .width(2.5),
            );
            plot.line(
                Line::new(format!("{} p50", s.label), PlotPoints::from(p50))
                    .color(s.color)
                    .width(1.2)
                    .style(LineStyle::dashed_dense()),
            );
        }
        if target_ms > 0.0 {
            plot.hline(
                HLine::new("p99 target", target_ms.log10())
                    .color(Color32::from_rgb(200, 60, 60))
                    .style(LineStyle::dotted_dense()),
            );
        }
        if let Some(r) = marker_rps.filter(|r| *r > 0.0) {
            plot.vline(VLine::new("", r.log10()).style(LineStyle::dashed_loose()));
            if let Some(b) = band.filter(|b| b.p90 > b.p10 && b.p10 > 0.0) {
                let x = r.log10();
                let w = 0.06;
                plot.polygon(
                    Polygon::new(
                        "P10–P90 p99",
                        PlotPoints::from(vec![
                            [x - w, b.p10.log10()],
                            [x + w, b.p10.log10()],
                            [x + w, b.p90.log10()],
                            [x - w, b.p90.log10()],
                        ]),
                    )
                    .fill_color(Color32::from_rgba_unmultiplied(213, 94, 0, 70))
                    .stroke(egui::Stroke::new(1.0, Color32::from_rgb(213, 94, 0))),
                );
            }
        }
    });
    let mut items: Vec<(String, Color32, &str)> = Vec::new();
    for s in series {
        items.push((format!("{} p99", s.label), s.color, "━"));
        items.push(("p50".into(), s.color, "╌"));
    }
    items.push(("p99 target".into(), Color32::from_rgb(200, 60, 60), "┈"));
    if band.is_some() {
        items.push((
            "P10–P90 p99 (Monte Carlo)".into(),
            Color32::from_rgb(213, 94, 0),
            "■",
        ));
    }
    legend(ui, &items);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crossings_closer_than_a_quarter_decade_are_marked_once() {
        let mark = |rps: f64| (rps, 100.0, "other".to_string());
        let kept = spaced_crossings(vec![
            mark(1_000.0),
            mark(10.0),
            mark(11.0),
            mark(1_200.0),
            mark(0.0),
        ]);
        let at: Vec<f64> = kept.iter().map(|m| m.0).collect();
        assert_eq!(at, [10.0, 1_000.0]);
    }
}
