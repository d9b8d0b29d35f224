//! The explained recommendation: the archetype with its score bars, the stack drawn as a diagram of
//! its services, the rules that fired with their rationale and source, and the tipping points — each
//! a button that applies the change and shows the new result (with Undo).

use egui::{RichText, Ui};

use super::widgets::{self, archetype_color};
use super::{Command, ScreenId, design_review, diagram};
use crate::domain::glossary;
use crate::domain::knowledge::{AnswerValue, Archetype, Knowledge};
use crate::domain::rules::{Advice, TippingPoint};

#[derive(Clone, Debug, Default)]
pub struct ResultsUi {
    /// The tipping point applied last, to say what changed and to undo it.
    pub applied: Option<Applied>,
    /// Scroll back to the top on the next frame (a tipping point was just applied, and the new
    /// recommendation is up there).
    pub scroll_to_top: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Applied {
    pub question: String,
    pub sentence: String,
    /// The answer before (None: the question was unanswered).
    pub previous: Option<AnswerValue>,
    pub before: Archetype,
}

impl ResultsUi {
    /// `given` counts the questions the team answered; `assumed` the shown questions left
    /// unanswered, whose defaults the advice assumed.
    pub fn results_ui(
        &mut self,
        ui: &mut Ui,
        k: &Knowledge,
        advice: &Advice,
        given: usize,
        assumed: usize,
        commands: &mut Vec<Command>,
    ) {
        let mut area = egui::ScrollArea::vertical()
            .id_salt("results_scroll")
            .auto_shrink([false, false]);
        if std::mem::take(&mut self.scroll_to_top) {
            area = area.vertical_scroll_offset(0.0);
        }
        area.show(ui, |ui| {
            self.body_ui(ui, k, advice, given, assumed, commands);
        });
    }

    /// The tipping point the user just applied, what it did to the recommendation, and its undo.
    fn applied_ui(&mut self, ui: &mut Ui, a: Archetype, commands: &mut Vec<Command>) {
        if let Some(applied) = &self.applied {
            let mut undo = false;
            egui::Frame::group(ui.style())
                .fill(ui.visuals().faint_bg_color)
                .show(ui, |ui| {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(RichText::new("Applied:").strong());
                        ui.label(&applied.sentence);
                        let now = if applied.before == a {
                            format!("The recommendation stays {a}.")
                        } else {
                            format!("The recommendation is now {a} (was {}).", applied.before)
                        };
                        ui.label(RichText::new(now).strong().color(archetype_color(a)));
                        undo = ui.button("Undo").clicked();
                    });
                });
            if undo {
                commands.push(Command::ApplyAnswer {
                    question: applied.question.clone(),
                    value: applied.previous.clone(),
                });
                self.applied = None;
            }
            ui.add_space(6.0);
        }
    }

    fn body_ui(
        &mut self,
        ui: &mut Ui,
        k: &Knowledge,
        advice: &Advice,
        given: usize,
        assumed: usize,
        commands: &mut Vec<Command>,
    ) {
        let a = advice.recommendation;
        widgets::screen_header(
            ui,
            "Recommendation",
            &format!(
                "From {}, with the knowledge base {}.",
                answers_and_defaults(given, assumed),
                advice.knowledge_version
            ),
        );
        self.applied_ui(ui, a, commands);
        if assumed > 0 {
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(format!(
                        "{assumed} question{} not answered yet: {} default{} assumed.",
                        if assumed == 1 { " is" } else { "s are" },
                        if assumed == 1 { "its" } else { "their" },
                        if assumed == 1 { " is" } else { "s are" },
                    ))
                    .weak(),
                );
                if ui.link("Answer them in the wizard").clicked() {
                    commands.push(Command::Goto(ScreenId::Wizard));
                }
            });
        }
        ui.add_space(4.0);
        design_review::conflicts_ui(ui, k, advice);
        ui.horizontal_wrapped(|ui| {
            ui.vertical(|ui| {
                ui.label(
                    RichText::new(format!(
                        "Go {}",
                        crate::domain::format::capitalised(a.as_str())
                    ))
                    .size(28.0)
                    .strong()
                    .color(archetype_color(a)),
                );
                ui.label(RichText::new(design_review::margin_line(advice)).weak());
            })
            .response
            .on_hover_text(glossary::ARCHETYPE);
            ui.add_space(24.0);
            widgets::score_bars(
                ui,
                &advice.scores,
                (ui.available_width() - 140.0).clamp(80.0, 220.0),
            );
        });

        ui.add(egui::Label::new(RichText::new(glossary::archetype(a)).weak()).wrap());

        widgets::section(ui, &format!("The stack: {}", advice.stack.name));
        if let Some(stack) = k.stack(&advice.stack.id) {
            ui.label(&stack.summary);
            ui.add_space(6.0);
            // the diagram keeps its drawing size; on a narrow window it scrolls sideways
            let room = ui.available_width();
            widgets::sideways(ui, "stack_diagram_scroll", |ui| {
                diagram::stack_diagram(ui, k, &stack.id, &advice.stack.services, room)
            });
            if !stack.pros.is_empty() || !stack.cons.is_empty() {
                ui.add_space(4.0);
                widgets::two_up(ui, |ui, i| {
                    let (title, sign, items) = if i == 0 {
                        ("For", "+", &stack.pros)
                    } else {
                        ("Against", "−", &stack.cons)
                    };
                    ui.label(RichText::new(title).strong());
                    for item in items {
                        ui.add(egui::Label::new(format!("{sign} {item}")).wrap());
                    }
                });
            }
        }
        stack_explained_ui(ui, k, advice);
        design_review::review_ui(ui, k, advice, commands);
        ui.horizontal(|ui| {
            if ui.button("Simulate this stack").clicked() {
                commands.push(Command::Goto(ScreenId::Simulator));
            }
            if ui.button("Write the decision record").clicked() {
                commands.push(Command::Goto(ScreenId::Export));
            }
        });

        widgets::section(ui, "Why: the rules that fired");
        fired_rules_ui(ui, k, advice);

        widgets::section(ui, "Tipping points: what would change the recommendation");
        ui.label(RichText::new(glossary::TIPPING_POINT).weak());
        if advice.tipping_points.is_empty() {
            ui.label(
                "No single answer changes the recommendation: it is robust to any one change.",
            );
        } else {
            ui.label(RichText::new("Click one to apply it and see the new result.").weak());
            for tp in &advice.tipping_points {
                if tipping_button(ui, tp).clicked() {
                    self.applied = Some(Applied {
                        question: tp.question.to_string(),
                        // said once it is done: the answer now, and what it was
                        sentence: format!(
                            "Answered “{}” to “{}” (was “{}”).",
                            tp.to_label, tp.question_text, tp.from_label
                        ),
                        previous: advice.answers.get(&tp.question).cloned(),
                        before: a,
                    });
                    commands.push(Command::ApplyAnswer {
                        question: tp.question.to_string(),
                        value: Some(tp.to.clone()),
                    });
                }
            }
        }
    }
}

/// Why each service is in the stack, the requirements it meets, and what they ruled out.
fn stack_explained_ui(ui: &mut Ui, k: &Knowledge, advice: &Advice) {
    let question = |id: &str| k.question(id).map_or(id, |q| q.text.as_str()).to_string();
    ui.add_space(4.0);
    egui::CollapsingHeader::new(RichText::new("Why each service is there").strong())
        .id_salt("why_each_service")
        .default_open(true)
        .show(ui, |ui| {
            for s in &advice.stack.services {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(&s.name).strong());
                    ui.add(egui::Label::new(&s.why).wrap());
                })
                .response
                .on_hover_text(format!(
                    "Because of your answers to: {}",
                    s.because
                        .iter()
                        .map(|b| question(b))
                        .collect::<Vec<_>>()
                        .join(" · ")
                ));
            }
        });
    for d in &advice.decisive {
        let out: Vec<&str> = d.rules_out.iter().map(|a| a.as_str()).collect();
        let answers = d
            .because
            .iter()
            .map(|b| question(b))
            .collect::<Vec<_>>()
            .join("”, “");
        let text = if d.outvoted == advice.recommendation {
            format!(
                "A requirement rules out {}: {} (your answer to “{answers}”).",
                out.join(" and "),
                d.text
            )
        } else {
            format!(
                "Decided by a requirement: {} (your answer to “{answers}”). It rules out {}; no amount of points outvotes a requirement (the points alone said {}).",
                d.text,
                out.join(" and "),
                d.outvoted
            )
        };
        let color = if d.outvoted == advice.recommendation {
            ui.visuals().text_color()
        } else {
            ui.visuals().warn_fg_color
        };
        ui.add(egui::Label::new(RichText::new(text).color(color)).wrap());
    }
    if !advice.requirements.is_empty() {
        egui::CollapsingHeader::new(format!(
            "Requirements your answers set ({})",
            advice.requirements.len()
        ))
        .id_salt("requirements")
        .show(ui, |ui| {
            for r in &advice.requirements {
                let mark = if r.met { "✔" } else { "✖ not met:" };
                ui.add(egui::Label::new(format!("{mark} {} ({})", r.text, r.tier.label())).wrap())
                    .on_hover_text(format!(
                        "From your answers to: {}",
                        r.because
                            .iter()
                            .map(|b| question(b))
                            .collect::<Vec<_>>()
                            .join(" · ")
                    ));
            }
        });
    }
    if !advice.excluded.is_empty() {
        egui::CollapsingHeader::new(format!("Ruled out ({})", advice.excluded.len()))
            .id_salt("ruled_out")
            .show(ui, |ui| {
                for e in &advice.excluded {
                    ui.add(egui::Label::new(format!("✖ {}", e.why)).wrap());
                }
            });
    }
}

fn tipping_button(ui: &mut Ui, tp: &TippingPoint) -> egui::Response {
    let text = RichText::new(format!("→ {}", tp.sentence()));
    ui.add(egui::Button::new(text).wrap())
        .on_hover_text(format!(
            "Scores after the change: stateless {}, stateful {}, hybrid {}; stack {}",
            tp.scores.stateless, tp.scores.stateful, tp.scores.hybrid, tp.stack
        ))
}

/// The fired rules, those that pushed the recommendation first, each with its points and source.
fn fired_rules_ui(ui: &mut Ui, k: &Knowledge, advice: &Advice) {
    let a = advice.recommendation;
    let mut rules: Vec<_> = advice.fired_rules.iter().collect();
    rules.sort_by_key(|r| std::cmp::Reverse(r.scores.get(a)));
    let small = egui::TextStyle::Small.resolve(ui.style());
    let body = egui::TextStyle::Body.resolve(ui.style());
    let weak = ui.visuals().weak_text_color();
    let text = ui.visuals().text_color();
    let rows: Vec<Vec<egui::WidgetText>> = rules
        .iter()
        .map(|r| {
            let points: Vec<String> = Archetype::ALL
                .iter()
                .filter(|&&x| r.scores.get(x) != 0)
                .map(|&x| format!("{:+} {}", r.scores.get(x), x))
                .collect();
            let drives = r.scores.get(a) > 0;
            // a rule that only shapes the stack (a quota, a price) moves no archetype: say so,
            // rather than leave a blank cell that reads as a missing figure
            let points = if points.is_empty() {
                RichText::new("no points").monospace().weak()
            } else {
                RichText::new(points.join("\n")).monospace()
            };
            let points = if drives {
                points.color(archetype_color(a))
            } else {
                points
            };
            // the rule's id above its rationale, in one cell
            let mut why = egui::text::LayoutJob::default();
            why.append(&r.id, 0.0, egui::TextFormat::simple(small.clone(), weak));
            why.append("\n", 0.0, egui::TextFormat::simple(small.clone(), weak));
            why.append(
                &r.rationale,
                0.0,
                egui::TextFormat::simple(body.clone(), text),
            );
            vec![
                points.into(),
                why.into(),
                RichText::new(widgets::cite(k, &r.source)).small().into(),
            ]
        })
        .collect();
    widgets::table(
        ui,
        &[0.16, 0.56, 0.28],
        &["Points", "Rationale", "Source"],
        &rows,
    );
}

/// "3 answers and 12 defaults", or "your 15 answers" when nothing was assumed.
fn answers_and_defaults(given: usize, assumed: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if assumed == 0 {
        format!("your {}", plural(given, "answer"))
    } else {
        format!(
            "{} and {}",
            plural(given, "answer"),
            plural(assumed, "default")
        )
    }
}
