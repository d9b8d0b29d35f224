//! The decision-region map: which stack is cheapest while meeting the latency target in each cell
//! of peak traffic × a second input, each stack in a colour it keeps from map to map.

use egui::{Color32, Ui};
use egui_plot::{PlotPoints, Polygon, VLine};

use super::super::widgets::{SERIES_COLORS, series_color};
use super::{PLOT_HEIGHT, base, legend, log_axis_formatter, log_marks, short, ui_text_color};
use crate::domain::ids::StackId;
use crate::domain::sim::explore::DecisionRegions;

/// The stacks a decision map shows (those that win a cell) and the colour index of each. A stack keeps
/// its colour from map to map (a first answer and the exact one, one slider position and the next):
/// its place among the candidates, unless a winner with the same colour came first, then the first
/// colour free.
fn map_colours(regions: &DecisionRegions) -> (Vec<StackId>, Vec<usize>) {
    let mut stacks: Vec<StackId> = Vec::new();
    for cell in &regions.cells {
        if let Some(b) = &cell.best
            && !stacks.contains(b)
        {
            stacks.push(b.clone());
        }
    }
    let candidates: Vec<&str> = regions
        .cells
        .first()
        .map(|c| c.candidates.iter().map(|x| x.stack.as_str()).collect())
        .unwrap_or_default();
    let place = |id: &str| {
        candidates
            .iter()
            .position(|c| *c == id)
            .unwrap_or(usize::MAX)
    };
    stacks.sort_by_key(|id| place(id));
    let mut colour_of: Vec<usize> = Vec::with_capacity(stacks.len());
    for id in &stacks {
        let preferred = place(id) % SERIES_COLORS.len();
        let k = if colour_of.contains(&preferred) {
            (0..SERIES_COLORS.len())
                .find(|k| !colour_of.contains(k))
                .unwrap_or(preferred)
        } else {
            preferred
        };
        colour_of.push(k);
    }
    (stacks, colour_of)
}

/// Which stack is cheapest (while meeting the latency target) in each cell of peak traffic × the
/// second input; the Lambda-versus-instances crossover as a vertical line. `names` gives display
/// names for stack ids.
pub fn decision_map(
    ui: &mut Ui,
    id: &str,
    regions: &DecisionRegions,
    name: &dyn Fn(&str) -> String,
) {
    let (stacks, colour_of) = map_colours(regions);
    let colour = |id: &str| {
        stacks
            .iter()
            .position(|s| s == id)
            .map_or(Color32::from_gray(150), |i| {
                series_color(colour_of[i]).gamma_multiply(0.8)
            })
    };
    let edges = |values: &[f64]| -> Vec<f64> {
        let logs: Vec<f64> = values.iter().map(|v| v.max(1e-9).log10()).collect();
        let mut e = Vec::with_capacity(logs.len() + 1);
        for i in 0..=logs.len() {
            let v = match i {
                0 => logs[0] - (logs.get(1).copied().unwrap_or(logs[0] + 1.0) - logs[0]) / 2.0,
                i if i == logs.len() => {
                    logs[i - 1]
                        + (logs[i - 1]
                            - logs
                                .get(i.wrapping_sub(2))
                                .copied()
                                .unwrap_or(logs[i - 1] - 1.0))
                            / 2.0
                }
                i => (logs[i - 1] + logs[i]) / 2.0,
            };
            e.push(v);
        }
        e
    };
    if regions.peak_rps.is_empty() || regions.y.is_empty() {
        return;
    }
    let xe = edges(&regions.peak_rps);
    let ye = edges(&regions.y);
    let y_label = match regions.y_input {
        crate::domain::sim::explore::SweepInput::SessionKb => "session size (KB)",
        crate::domain::sim::explore::SweepInput::RequestMs => "request compute time (ms)",
    };
    base(
        id,
        "peak traffic (requests/s)",
        y_label,
        log_axis_formatter(""),
    )
    .height(PLOT_HEIGHT + 40.0)
    .y_axis_formatter(log_axis_formatter(""))
    .x_grid_spacer(log_marks)
    .y_grid_spacer(log_marks)
    .show(ui, |plot| {
        let nx = regions.peak_rps.len();
        for (i, cell) in regions.cells.iter().enumerate() {
            let (ix, iy) = (i % nx, i / nx);
            let (x0, x1, y0, y1) = (xe[ix], xe[ix + 1], ye[iy], ye[iy + 1]);
            let (label, color) = match &cell.best {
                Some(b) => (name(b), colour(b)),
                None => (
                    "no stack meets the target".to_string(),
                    Color32::from_gray(150),
                ),
            };
            plot.polygon(
                Polygon::new(
                    label,
                    PlotPoints::from(vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1]]),
                )
                .fill_color(color)
                .stroke(egui::Stroke::new(0.5, Color32::from_gray(230))),
            );
        }
        if let Some(c) = &regions.crossover
            && let Some(r) = c.peak_rps.filter(|r| *r > 0.0)
        {
            plot.vline(
                VLine::new(
                    format!("Lambda stops being cheaper: {}/s", short(r)),
                    r.log10(),
                )
                .color(ui_text_color())
                .width(2.0),
            );
        }
    });
    let mut items: Vec<(String, Color32, &str)> = stacks
        .iter()
        .map(|id| (name(id), colour(id), "■"))
        .collect();
    if regions.cells.iter().any(|c| c.best.is_none()) {
        items.push((
            "no stack meets the target".into(),
            Color32::from_gray(150),
            "■",
        ));
    }
    if let Some(c) = &regions.crossover {
        let text = match c.peak_rps {
            Some(r) => format!(
                "{} stops being cheaper than {} at {}/s",
                name(&c.lambda_stack),
                name(&c.instance_stack),
                short(r)
            ),
            None => format!(
                "{} and {} do not cross below 1M/s",
                name(&c.lambda_stack),
                name(&c.instance_stack)
            ),
        };
        items.push((text, ui_text_color(), "┃"));
    }
    legend(ui, &items);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(winners: &[Option<&str>], candidates: &[&str]) -> DecisionRegions {
        use crate::domain::sim::explore::{Candidate, Cell, SweepInput};
        use crate::domain::sim::units::{Millis, Usd};
        DecisionRegions {
            y_input: SweepInput::SessionKb,
            peak_rps: (0..winners.len()).map(|i| i as f64 + 1.0).collect(),
            y: vec![1.0],
            latency_target_ms: Millis(300.0),
            cells: winners
                .iter()
                .enumerate()
                .map(|(i, w)| Cell {
                    peak_rps: i as f64 + 1.0,
                    y: 1.0,
                    best: w.map(StackId::from),
                    best_usd: None,
                    candidates: candidates
                        .iter()
                        .map(|c| Candidate {
                            stack: (*c).into(),
                            monthly_usd: Usd(1.0),
                            p99_ms: Millis(1.0),
                            meets_target: true,
                        })
                        .collect(),
                })
                .collect(),
            crossover: None,
            provisional: None,
        }
    }

    #[test]
    fn a_stack_keeps_its_colour_whichever_stacks_win_beside_it() {
        let candidates: Vec<String> = (0..10).map(|i| format!("s{i}")).collect();
        let c: Vec<&str> = candidates.iter().map(String::as_str).collect();
        let colour = |m: &DecisionRegions, id: &str| {
            let (stacks, colours) = map_colours(m);
            stacks.iter().position(|s| s == id).map(|i| colours[i])
        };
        let sketch = map(&[Some("s3"), Some("s1"), Some("s3")], &c);
        let exact = map(&[Some("s1"), None, Some("s5"), Some("s3")], &c);
        for id in ["s1", "s3"] {
            assert_eq!(colour(&sketch, id), colour(&exact, id), "{id}");
        }
        assert_eq!(colour(&exact, "s5"), Some(5));
        // s9 would share s1's colour (9 mod 8): it takes the first one free instead
        let clash = map(&[Some("s1"), Some("s9"), Some("s0")], &c);
        let (_, colours) = map_colours(&clash);
        assert_eq!(colours, [0, 1, 2]);
    }
}
