//! A record beside the team's real bill: per service, the predicted band (P10 to P90) as a bar and
//! what was billed as a point, the usage the bill implies, and the scenario at that usage to save.

use egui::{RichText, Ui};
use egui_plot::{Bar, BarChart, Corner, Legend, Plot, PlotPoints, Points};

use crate::domain::review::RecordReview;
use crate::ui::Command;

pub fn observed_ui(ui: &mut Ui, r: &RecordReview, commands: &mut Vec<Command>) {
    let Some(lines) = &r.observed else {
        for note in &r.notes {
            ui.label(RichText::new(note).weak());
        }
        return;
    };
    let outside = lines.iter().filter(|l| l.outside).count();
    ui.label(format!(
        "Against the bill: {} service{}, {} outside {} band",
        lines.len(),
        if lines.len() == 1 { "" } else { "s" },
        outside,
        if outside == 1 { "its" } else { "their" }
    ));
    // the axis from 0 to above the highest figure, so that a line billed far above its band is
    // seen, with room over it for the legend
    let top = lines
        .iter()
        .map(|l| l.predicted.p90.max(l.observed))
        .fold(0.0_f64, f64::max)
        .max(1.0);
    // a band of one point (a scenario with no ranges) still shows, as a sliver at the prediction
    let sliver = top * 0.015;
    let bars: Vec<Bar> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let (low, high) = if l.predicted.p90 - l.predicted.p10 < sliver {
                (
                    l.predicted.p50 - sliver / 2.0,
                    l.predicted.p50 + sliver / 2.0,
                )
            } else {
                (l.predicted.p10, l.predicted.p90)
            };
            Bar::new(i as f64, high - low)
                .base_offset(low)
                .width(0.5)
                .name(format!(
                    "{}: predicted {} to {}",
                    l.service,
                    crate::domain::format::usd(l.predicted.p10),
                    crate::domain::format::usd(l.predicted.p90)
                ))
        })
        .collect();
    let billed: Vec<[f64; 2]> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| [i as f64, l.observed])
        .collect();
    let names: Vec<String> = lines.iter().map(|l| l.service.clone()).collect();
    Plot::new(format!("observed_{}", r.file))
        .height(180.0)
        // inside the scrolled log: the wheel scrolls the log, never the plot away from its data
        .allow_scroll(false)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_boxed_zoom(false)
        .include_y(0.0)
        .include_y(top * 1.35)
        .legend(Legend::default().position(Corner::LeftTop))
        .x_axis_formatter(move |mark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() < 1e-6 && i >= 0.0 {
                names.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_axis_label("USD a month")
        .show(ui, |plot| {
            // blue beside the billed points' red: the two are told apart at a glance
            plot.bar_chart(
                BarChart::new("predicted P10–P90", bars)
                    .color(egui::Color32::from_rgb(0x15, 0x65, 0xc0)),
            );
            plot.points(
                Points::new("billed", PlotPoints::from(billed))
                    .radius(5.0)
                    .color(egui::Color32::from_rgb(0xc6, 0x28, 0x28)),
            );
        });
    for l in lines.iter().filter(|l| l.outside) {
        ui.label(format!(
            "• {} billed {}, outside {} to {}",
            l.service,
            crate::domain::format::usd(l.observed),
            crate::domain::format::usd(l.predicted.p10),
            crate::domain::format::usd(l.predicted.p90)
        ));
    }
    if let Some(implied) = &r.implied
        && !implied.is_empty()
    {
        let parts: Vec<String> = implied.iter().map(|(k, v)| implied_text(k, *v)).collect();
        ui.label(format!("Implied by the bill: {}", parts.join(", ")));
    }
    if let Some(at) = &r.at_observed {
        ui.label(format!(
            "At that usage: {} a month, p99 {} ms; the cheapest option is {}{}",
            crate::domain::format::usd(at.monthly_usd),
            crate::domain::format::number(at.p99_ms),
            at.cheapest_name
                .as_deref()
                .or(at.cheapest.as_deref())
                .unwrap_or("none"),
            if at.holds {
                " — the decision holds"
            } else {
                " — the decision no longer holds"
            }
        ));
    }
    for note in &r.notes {
        ui.label(RichText::new(note).weak());
    }
    if let Some(c) = &r.calibrated
        && ui
            .button("Save calibrated scenario")
            .on_hover_text("Save the scenario at the observed usage among the project's scenarios")
            .clicked()
    {
        commands.push(Command::SaveScenario {
            name: c.scenario.name.clone(),
            scenario: Box::new(c.scenario.clone()),
        });
    }
}

/// One figure the bill implies, in words (`peak_rps` 900 is "a peak of 900 requests/s").
fn implied_text(key: &str, v: f64) -> String {
    let n = crate::domain::format::number(v);
    match key {
        "peak_rps" => format!("a peak of {n} requests/s"),
        "requests_per_month" => format!("{n} requests a month"),
        "response_kb" => format!("{n} KB per response"),
        "instance_hours" => format!("{n} instance-hours"),
        "average_instances" => format!("{n} instances on average"),
        "p99_ms" => format!("a p99 of {n} ms"),
        other => format!("{} {n}", other.replace('_', " ")),
    }
}
