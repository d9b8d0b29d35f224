//! Beside the stack, what an architect checks before signing it: the design review's findings
//! (blockers, risks with their mitigations and what they cost, notes), requirements no stack meets
//! with the answers that would relax them (a button applies one), answers that contradict each
//! other, a close call with its runner-up, and the Region the advice is for.

use egui::{RichText, Ui};

use super::Command;
use crate::domain::knowledge::{Knowledge, Severity};
use crate::domain::rules::Advice;

/// Answers that contradict each other, shown above the recommendation: the advice reads them as
/// given, and the founder should know before reading on.
pub fn conflicts_ui(ui: &mut Ui, k: &Knowledge, advice: &Advice) {
    if advice.conflicts.is_empty() {
        return;
    }
    let question = |id: &str| k.question(id).map_or(id, |q| q.text.as_str()).to_string();
    egui::Frame::group(ui.style())
        .fill(ui.visuals().faint_bg_color)
        .show(ui, |ui| {
            ui.label(
                RichText::new("Some answers contradict each other")
                    .strong()
                    .color(ui.visuals().warn_fg_color),
            );
            for c in &advice.conflicts {
                ui.add(egui::Label::new(format!("⚠ {}", c.text)).wrap())
                    .on_hover_text(format!(
                        "The questions involved: {}",
                        c.questions
                            .iter()
                            .map(|q| question(q))
                            .collect::<Vec<_>>()
                            .join(" · ")
                    ));
            }
        });
    ui.add_space(4.0);
}

/// One line under the headline: how far ahead the recommendation is, in words that are true
/// whether points or a requirement decided it.
pub fn margin_line(advice: &Advice) -> String {
    if let Some(d) = advice
        .decisive
        .iter()
        .find(|d| d.outvoted != advice.recommendation)
    {
        return format!(
            "decided by a requirement ({}), though {} has more points",
            d.text.trim_end_matches('.'),
            d.outvoted
        );
    }
    match &advice.close_call {
        Some(c) if c.margin == 0 => format!(
            "a tie with {} on points: a close call",
            c.runner_up.archetype
        ),
        Some(c) => format!(
            "leads {} by {} point{}: a close call",
            c.runner_up.archetype,
            c.margin,
            if c.margin == 1 { "" } else { "s" }
        ),
        None => points_line(advice),
    }
}

/// The recommendation's own lead on points over the best other archetype — never the points
/// winner's margin, which belongs to another archetype when the recommendation is not the winner.
fn points_line(advice: &Advice) -> String {
    let mine = advice.scores.get(advice.recommendation);
    let Some((other, theirs)) = crate::domain::knowledge::Archetype::ALL
        .iter()
        .filter(|&&a| a != advice.recommendation)
        .map(|&a| (a, advice.scores.get(a)))
        .max_by_key(|(_, points)| *points)
    else {
        return String::new();
    };
    let lead = mine - theirs;
    match lead {
        1.. => format!("leads by {lead} point{}", if lead == 1 { "" } else { "s" }),
        0 => format!("a tie with {other} on points"),
        _ => format!(
            "decided by the requirements, though {other} has {} more point{}",
            -lead,
            if lead == -1 { "" } else { "s" }
        ),
    }
}

/// The Region, the close call, the design review and what no stack meets.
pub fn review_ui(ui: &mut Ui, k: &Knowledge, advice: &Advice, commands: &mut Vec<Command>) {
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Region:").strong());
        ui.label(format!("{} ({})", advice.region.name, advice.region.code));
        if advice.region.because.is_empty() {
            ui.label(RichText::new("the default: no Region was answered").weak());
        } else {
            ui.label(
                RichText::new("where the data stays (the data-residency question); priced there")
                    .weak(),
            );
        }
    });
    if let Some(c) = &advice.close_call {
        egui::CollapsingHeader::new(RichText::new(format!(
            "A close call: the runner-up is {}",
            c.runner_up.archetype
        )))
        .id_salt("close_call")
        .default_open(true)
        .show(ui, |ui| {
            let name = k
                .stack(&c.runner_up.stack)
                .map_or(c.runner_up.stack.as_str(), |s| s.name.as_str());
            ui.add(egui::Label::new(format!("Runner-up stack: {name}")).wrap());
            for d in &c.differences {
                ui.add(egui::Label::new(format!("• {d}")).wrap());
            }
        });
    }
    if !advice.unmet.is_empty() {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.label(
                RichText::new("Not met by any stack with these answers")
                    .strong()
                    .color(ui.visuals().error_fg_color),
            );
            for u in &advice.unmet {
                ui.add(egui::Label::new(format!("✖ {}", u.why)).wrap());
                for r in &u.relax {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(RichText::new("relaxed by:").weak());
                        if ui
                            .button(&r.label)
                            .on_hover_text("Apply this answer (Undo takes it back)")
                            .clicked()
                        {
                            commands.push(Command::ApplyAnswer {
                                question: r.question.to_string(),
                                value: Some(r.to.clone()),
                            });
                        }
                    });
                }
            }
        });
    }
    let blockers = advice
        .review
        .iter()
        .filter(|f| f.severity == Severity::Blocker)
        .count();
    let risks = advice
        .review
        .iter()
        .filter(|f| f.severity == Severity::Risk)
        .count();
    let title = if advice.review.is_empty() {
        "Design review: nothing found".to_string()
    } else {
        format!(
            "Design review: {blockers} blocker{}, {risks} risk{}, {} note{}",
            plural(blockers),
            plural(risks),
            advice.review.len() - blockers - risks,
            plural(advice.review.len() - blockers - risks)
        )
    };
    egui::CollapsingHeader::new(RichText::new(title).strong())
        .id_salt("design_review")
        .default_open(blockers + risks > 0)
        .show(ui, |ui| {
            ui.add(
                egui::Label::new(RichText::new(crate::domain::glossary::DESIGN_REVIEW).weak())
                    .wrap(),
            );
            if advice.review.is_empty() {
                ui.label("No check of the design review applies to this stack and these answers.");
            }
            for f in &advice.review {
                let color = match f.severity {
                    Severity::Blocker => ui.visuals().error_fg_color,
                    Severity::Risk => ui.visuals().warn_fg_color,
                    Severity::Note => ui.visuals().weak_text_color(),
                };
                let service = f
                    .service
                    .as_deref()
                    .and_then(|s| k.service(s))
                    .map_or(String::new(), |s| format!("{}: ", s.name));
                ui.add(
                    egui::Label::new(
                        RichText::new(format!("{} — {service}{}", f.severity, f.text)).color(color),
                    )
                    .wrap(),
                )
                .on_hover_text(format!(
                    "Check `{}`; source: {} ({})",
                    f.check, f.source, f.as_of
                ));
                if let Some(m) = &f.mitigation {
                    ui.add(egui::Label::new(format!("    Mitigation: {m}")).wrap());
                }
            }
        });
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
