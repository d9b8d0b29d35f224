//! A record beside the team's real bill: per service, the predicted band (P10 to P90) as a bar and
//! what was billed as a point, the usage the bill implies, and the scenario at that usage to save.

use egui::{RichText, Ui};
use egui_plot::{Bar, BarChart, Legend, Plot, PlotPoints, Points};

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
    let bars: Vec<Bar> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            Bar::new(i as f64, (l.predicted.p90 - l.predicted.p10).max(0.01))
                .base_offset(l.predicted.p10)
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
        .legend(Legend::default())
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
            plot.bar_chart(BarChart::new("predicted P10–P90", bars));
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
        let parts: Vec<String> = implied
            .iter()
            .map(|(k, v)| format!("{k} {}", crate::domain::format::number(*v)))
            .collect();
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
