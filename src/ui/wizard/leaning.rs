//! The live leaning beside the question: the archetype the engine leans to as answers come in, the
//! scores, how many rules fired, and the questions to jump back to.

use egui::{RichText, Ui};

use super::super::widgets::{self, archetype_color};
use super::WizardUi;
use crate::domain::answers::Answers;
use crate::domain::knowledge::Knowledge;
use crate::domain::rules::Engine;

impl WizardUi {
    /// The live leaning, and the list of questions to jump back to.
    pub(super) fn leaning_ui(
        &mut self,
        ui: &mut Ui,
        k: &Knowledge,
        answers: &Answers,
        shown: &[usize],
        qi: usize,
        new_question: bool,
    ) {
        let advice = Engine::new(k).evaluate_only(answers);
        ui.add_space(6.0);
        ui.label(RichText::new("Leaning").strong().size(16.0));
        let lead = advice.recommendation;
        // as the recommendation screen says it: the recommendation's own lead, or the requirement
        // that decided it against the points
        ui.label(
            RichText::new(format!(
                "{lead}: {}",
                super::super::design_review::margin_line(&advice)
            ))
            .color(archetype_color(lead))
            .strong(),
        );
        ui.add_space(4.0);
        widgets::score_bars(ui, &advice.scores, 140.0);
        ui.add_space(4.0);
        ui.label(RichText::new(format!("Stack so far: {}", advice.stack.name)).weak());
        // contradictions are named as soon as the answers make them, before any stack is read
        for c in &advice.conflicts {
            ui.add(
                egui::Label::new(
                    RichText::new(format!("⚠ {}", c.text))
                        .small()
                        .color(ui.visuals().warn_fg_color),
                )
                .wrap(),
            );
        }
        ui.label(
            RichText::new(fired_from(advice.fired_rules.len(), answers.len()))
                .small()
                .weak(),
        );
        ui.separator();
        ui.label(RichText::new("Questions").strong());
        egui::ScrollArea::vertical()
            .id_salt("wizard_questions")
            .show(ui, |ui| {
                for (n, &i) in shown.iter().enumerate() {
                    let q = &k.questions[i];
                    let mark = if answers.get(&q.id).is_some() {
                        "●"
                    } else {
                        "○"
                    };
                    let text = format!("{mark} {}. {}", n + 1, q.text);
                    // as much of the question as the column holds, one line each; all of it on hover
                    let response = ui
                        .add(egui::Button::selectable(i == qi, text).truncate())
                        .on_hover_text(&q.text);
                    if i == qi && new_question {
                        // the list follows the wizard down to questions 26, 27, 28
                        response.scroll_to_me(None);
                    }
                    if response.clicked() {
                        self.current = Some(i);
                        self.cursor = 0;
                    }
                }
            });
    }
}

/// "1 rule fired from 1 answer", "3 rules fired from 0 answers".
pub fn fired_from(rules: usize, answers: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{} fired from {}",
        plural(rules, "rule"),
        plural(answers, "answer")
    )
}
