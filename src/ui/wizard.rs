//! The decision wizard: one question at a time with why it matters, progress, Back/Next, branching,
//! answers kept when going back, and a live "leaning" from the engine as answers come in.

use crate::domain::answers::Answers;
use crate::domain::knowledge::{AnswerValue, Archetype, Knowledge, QuestionKind};
use crate::domain::rules::Engine;
use crate::domain::wizard;

#[derive(Clone, Debug, Default)]
pub struct WizardState {
    pub answers: Answers,
    /// Index of the question on screen; `None` once the wizard is finished.
    pub current: Option<usize>,
}

impl WizardState {
    pub fn new(k: &Knowledge, answers: Answers) -> Self {
        let answers = wizard::with_defaults(k, &answers);
        let current = wizard::visible(k, &answers).first().copied();
        WizardState { answers, current }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, k: &Knowledge) {
        let advice = Engine::new(k).evaluate_only(&self.answers);
        let (answered, total) = wizard::progress(k, &self.answers);
        ui.horizontal(|ui| {
            ui.heading("Decision wizard");
            ui.add(
                egui::ProgressBar::new(answered as f32 / total.max(1) as f32)
                    .text(format!("{answered} of {total} answered"))
                    .desired_width(220.0),
            );
        });
        ui.horizontal(|ui| {
            ui.label("Leaning:");
            for a in Archetype::ALL {
                let text = format!("{a} {}", advice.scores.get(a));
                if a == advice.recommendation {
                    ui.strong(text);
                } else {
                    ui.label(text);
                }
            }
        });
        ui.separator();
        let Some(qi) = self.current else {
            ui.heading(format!("Recommendation: {}", advice.recommendation));
            ui.label(format!("Stack: {}", advice.stack.name));
            if ui.button("Back to the questions").clicked() {
                self.current = wizard::visible(k, &self.answers).last().copied();
            }
            return;
        };
        let q = &k.questions[qi];
        ui.heading(&q.text);
        ui.label(&q.help);
        ui.add_space(8.0);
        let mut value = self.answers.get(&q.id).cloned();
        match q.kind {
            QuestionKind::Bool => {
                let mut b = matches!(value, Some(AnswerValue::Bool(true)));
                ui.horizontal(|ui| {
                    if ui.radio(b, "Yes").clicked() {
                        b = true;
                        value = Some(AnswerValue::Bool(true));
                    }
                    if ui.radio(!b && value.is_some(), "No").clicked() {
                        value = Some(AnswerValue::Bool(false));
                    }
                });
            }
            QuestionKind::Single => {
                for o in &q.options {
                    let selected = matches!(&value, Some(AnswerValue::Choice(id)) if *id == o.id);
                    if ui.radio(selected, &o.label).clicked() {
                        value = Some(AnswerValue::Choice(o.id.clone()));
                    }
                }
            }
            QuestionKind::Multi => {
                let mut chosen = match &value {
                    Some(AnswerValue::Choices(ids)) => ids.clone(),
                    _ => Vec::new(),
                };
                for o in &q.options {
                    let mut on = chosen.contains(&o.id);
                    if ui.checkbox(&mut on, &o.label).changed() {
                        chosen.retain(|id| *id != o.id);
                        if on {
                            chosen.push(o.id.clone());
                            chosen.sort_by_key(|id| q.option_index(id));
                        }
                        value = Some(AnswerValue::Choices(chosen.clone()));
                    }
                }
            }
            QuestionKind::Number => {
                let (min, max) = (q.min.unwrap_or(0.0), q.max.unwrap_or(1.0));
                let mut n = match value {
                    Some(AnswerValue::Number(n)) => n,
                    _ => min,
                };
                let mut drag = egui::DragValue::new(&mut n).range(min..=max);
                if let Some(unit) = &q.unit {
                    drag = drag.suffix(format!(" {unit}"));
                }
                if ui.add(drag).changed() {
                    value = Some(AnswerValue::Number(n));
                }
            }
        }
        if let Some(v) = value {
            self.answers.set(q.id.clone(), v);
        }
        ui.add_space(12.0);
        ui.horizontal(|ui| {
            let back = wizard::previous(k, &self.answers, qi);
            if ui
                .add_enabled(back.is_some(), egui::Button::new("Back"))
                .clicked()
            {
                self.current = back;
            }
            let next_clicked =
                ui.button("Next").clicked() || ui.input(|i| i.key_pressed(egui::Key::Enter));
            if next_clicked {
                self.current = wizard::next(k, &self.answers, qi);
            }
        });
    }
}
