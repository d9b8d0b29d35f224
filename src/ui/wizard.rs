//! The decision wizard: one question at a time with why it matters, progress, Back/Next, branching,
//! answers kept when going back, and a live "leaning" from the engine as answers come in.
//!
//! Keyboard: Enter goes to the next question, the up and down arrows move between the options of a
//! choice, and Space ticks the highlighted option of a multiple choice.
//!
//! Here: the page (progress, the question and why it matters, Back/Next, the keys). `answer.rs`
//! draws the answer widgets, `leaning.rs` the live leaning beside them.

mod answer;
mod leaning;

use egui::{Key, Modifiers, RichText, Ui};

pub use answer::{on_step, toggle_choice};
pub use leaning::fired_from;

use super::widgets;
use super::{Command, ScreenId};
use crate::domain::answers::Answers;
use crate::domain::knowledge::{AnswerValue, Knowledge, Question, QuestionKind};
use crate::domain::wizard;

/// What the wizard remembers between frames (not saved: the answers are the document).
#[derive(Clone, Debug, Default)]
pub struct WizardUi {
    /// Index (in the knowledge) of the question on screen.
    pub current: Option<usize>,
    /// The highlighted option of a multiple-choice question, for the keyboard.
    cursor: usize,
    /// The question drawn last frame.
    shown: Option<usize>,
    /// Give the number field the keyboard (a number question just came on screen).
    focus_field: bool,
}

/// The question on screen, and what it is drawn from.
struct Page<'a> {
    k: &'a Knowledge,
    answers: &'a Answers,
    /// The questions the answers show, in order.
    shown: &'a [usize],
    /// The question on screen (its index in the knowledge).
    qi: usize,
}

/// Where the wizard is: "Question 3 of 12", a bar, and how many are answered.
fn progress_ui(ui: &mut Ui, k: &Knowledge, answers: &Answers, shown: &[usize], qi: usize) {
    let position = shown.iter().position(|&i| i == qi).unwrap_or(0);
    let (answered, total) = wizard::progress(k, answers);
    ui.horizontal_wrapped(|ui| {
        // the words beside the bar, not on it: the bar's fill would cover their first letter
        ui.label(RichText::new(format!("Question {} of {}", position + 1, shown.len())).strong());
        ui.add(
            egui::ProgressBar::new((position + 1) as f32 / shown.len().max(1) as f32)
                .desired_width((ui.available_width() - 160.0).clamp(80.0, 220.0)),
        );
        ui.label(RichText::new(format!("{answered} of {total} answered")).weak());
    });
}

/// What the keyboard asked for this frame.
#[derive(Default)]
struct Keys {
    enter: bool,
    up: bool,
    down: bool,
    space: bool,
}

impl WizardUi {
    /// Starts at the first question (or keeps the place when it is still shown).
    pub fn reset(&mut self) {
        self.current = None;
        self.cursor = 0;
    }

    pub fn wizard_ui(
        &mut self,
        ui: &mut Ui,
        k: &Knowledge,
        answers: &Answers,
        commands: &mut Vec<Command>,
    ) {
        let shown = wizard::visible(k, answers);
        let Some((qi, new_question)) = self.place(&shown) else {
            ui.label("The knowledge base has no questions.");
            return;
        };
        let page = Page {
            k,
            answers,
            shown: &shown,
            qi,
        };
        let keys = self.read_keys(ui);

        // side by side when there is room; below the question on a narrow window
        let narrow = ui.available_width() < NARROW;
        if !narrow {
            egui::Panel::right("wizard_leaning")
                .resizable(false)
                .exact_size(LEANING_WIDTH)
                .show(ui, |ui| {
                    self.leaning_ui(ui, k, answers, &shown, qi, new_question);
                });
        }

        egui::CentralPanel::default().show(ui, |ui| {
            let mut area = egui::ScrollArea::vertical()
                .id_salt("wizard_scroll")
                .auto_shrink([false, false]);
            if new_question {
                area = area.vertical_scroll_offset(0.0);
            }
            area.show(ui, |ui| {
                self.page_ui(ui, &page, &keys, commands);
                if narrow {
                    ui.separator();
                    self.leaning_ui(ui, k, answers, &shown, qi, new_question);
                }
            });
        });
    }

    /// The question on screen among those `shown`, and whether it just came on screen; none when
    /// the knowledge has no questions.
    fn place(&mut self, shown: &[usize]) -> Option<(usize, bool)> {
        let &first = shown.first()?;
        // the question on screen may have been hidden by an answer given elsewhere (a tipping point)
        let qi = match self.current {
            Some(c) if shown.contains(&c) => c,
            Some(c) => shown.iter().copied().rfind(|&i| i < c).unwrap_or(first),
            None => first,
        };
        if self.current != Some(qi) {
            self.current = Some(qi);
            self.cursor = 0;
        }
        // a new question starts at the top of the page
        let new_question = self.shown != Some(qi);
        self.shown = Some(qi);
        if new_question {
            self.focus_field = true;
        }
        Some((qi, new_question))
    }

    /// The page of one question: where the wizard is, the question and its answer, why it
    /// matters, and Back and Next.
    fn page_ui(&mut self, ui: &mut Ui, page: &Page<'_>, keys: &Keys, commands: &mut Vec<Command>) {
        let (k, answers, shown, qi) = (page.k, page.answers, page.shown, page.qi);
        let q = &k.questions[qi];
        widgets::screen_header(
            ui,
            "Decision wizard",
            "Answer for the system you are building; each answer moves the leaning on the right.",
        );
        progress_ui(ui, k, answers, shown, qi);
        ui.add_space(14.0);
        // not selectable: keyboard use would otherwise leave the heading highlighted
        ui.add(
            egui::Label::new(RichText::new(&q.text).size(19.0).strong())
                .wrap()
                .selectable(false),
        );
        ui.add_space(8.0);
        let (value, invalid) = self.question_ui(ui, page, keys, commands);
        ui.add_space(12.0);
        why_it_matters(ui, k, q);
        ui.add_space(14.0);
        self.navigation_ui(ui, page, value, invalid.as_deref(), keys, commands);
        ui.add_space(6.0);
        ui.label(
            RichText::new("Enter: next · ↑ ↓: choose an option · Space: tick a box")
                .small()
                .weak(),
        );
    }

    /// The answer's widgets, with the usual answer shown until the team answers: the value on
    /// screen, and why a typed number is not valid.
    fn question_ui(
        &mut self,
        ui: &mut Ui,
        page: &Page<'_>,
        keys: &Keys,
        commands: &mut Vec<Command>,
    ) -> (Option<AnswerValue>, Option<String>) {
        let (k, answers) = (page.k, page.answers);
        let q = &k.questions[page.qi];
        let answered_here = answers.get(&q.id).is_some();
        let usual = crate::domain::sim::from_answers::usual_answer(k, answers, q);
        let mut value = answers
            .get(&q.id)
            .cloned()
            .or_else(|| usual.as_ref().map(|(v, _)| v.clone()));
        // each question's widgets have their own ids, so no typed text carries over
        let changed = ui
            .push_id(("question", &q.id), |ui| {
                self.answer_ui(ui, q, &mut value, keys)
            })
            .inner;
        if changed && let Some(v) = &value {
            commands.push(Command::SetAnswer {
                question: q.id.clone(),
                value: Some(v.clone()),
            });
        }
        let invalid = if q.kind == QuestionKind::Number {
            ui.push_id(("question", &q.id), |ui| {
                widgets::number_field_error(ui, ANSWER_FIELD)
            })
            .inner
        } else {
            None
        };
        if !answered_here && !changed && usual.is_some() {
            ui.label(
                RichText::new("Not answered yet: the usual answer is shown; Next accepts it.")
                    .weak(),
            );
        }
        if let Some((_, Some(from))) = &usual {
            ui.label(
                RichText::new(format!("The usual answer is {from}."))
                    .weak()
                    .small(),
            );
        }
        (value, invalid)
    }

    /// Back and Next (or "See recommendation" on the last question); Next, or Enter, confirms the
    /// answer on screen, the usual one included.
    fn navigation_ui(
        &mut self,
        ui: &mut Ui,
        page: &Page<'_>,
        value: Option<AnswerValue>,
        invalid: Option<&str>,
        keys: &Keys,
        commands: &mut Vec<Command>,
    ) {
        let (k, answers, qi) = (page.k, page.answers, page.qi);
        let q = &k.questions[qi];
        let back = wizard::previous(k, answers, qi);
        let mut go_next = keys.enter;
        if let Some(why) = invalid {
            ui.label(
                RichText::new(format!("Correct the answer before going on: {why}"))
                    .color(widgets::error_color(ui)),
            );
        }
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    back.is_some(),
                    egui::Button::new("Back").min_size(egui::vec2(90.0, 30.0)),
                )
                .on_hover_text("The previous question; your answers are kept")
                .clicked()
            {
                self.current = back;
                self.cursor = 0;
            }
            let last = wizard::next(k, answers, qi).is_none()
                && value
                    .as_ref()
                    .is_none_or(|v| wizard::next(k, &answers.with(&q.id, v.clone()), qi).is_none());
            let label = if last { "See recommendation" } else { "Next" };
            if ui
                .add_enabled(
                    invalid.is_none(),
                    egui::Button::new(RichText::new(label).strong())
                        .min_size(egui::vec2(90.0, 30.0)),
                )
                .on_hover_text("Enter")
                .on_disabled_hover_text("The answer is not a valid number")
                .clicked()
            {
                go_next = true;
            }
        });
        if go_next && invalid.is_none() {
            // Next confirms what is on screen, the question's default included
            let mut after = answers.clone();
            if let Some(v) = value
                && answers.get(&q.id) != Some(&v)
            {
                after.set(q.id.clone(), v.clone());
                commands.push(Command::SetAnswer {
                    question: q.id.clone(),
                    value: Some(v),
                });
            }
            match wizard::next(k, &after, qi) {
                Some(n) => {
                    self.current = Some(n);
                    self.cursor = 0;
                }
                None => commands.push(Command::Goto(ScreenId::Recommendation)),
            }
        }
    }

    /// Takes the wizard's keys out of the input so that a focused button does not also act on them.
    /// In a text field Enter is only read, not taken: the field needs it to finish the typing, so
    /// that the number typed is the one Next accepts.
    fn read_keys(&self, ui: &mut Ui) -> Keys {
        if ui.ctx().text_edit_focused() {
            return Keys {
                enter: ui.input(|i| i.key_pressed(Key::Enter) && i.modifiers.is_none()),
                ..Keys::default()
            };
        }
        ui.input_mut(|i| Keys {
            enter: i.consume_key(Modifiers::NONE, Key::Enter),
            up: i.consume_key(Modifiers::NONE, Key::ArrowUp),
            down: i.consume_key(Modifiers::NONE, Key::ArrowDown),
            space: i.consume_key(Modifiers::NONE, Key::Space),
        })
    }
}

/// The help text under a "Why it matters" heading, with the question's source when it has one.
fn why_it_matters(ui: &mut Ui, k: &Knowledge, q: &Question) {
    let help = q
        .help
        .strip_prefix("Why it matters:")
        .map_or(q.help.as_str(), str::trim_start);
    // it was the second half of "Why it matters: …": as a text of its own it starts a sentence
    let help = crate::domain::format::capitalised(help);
    egui::Frame::group(ui.style())
        .fill(ui.visuals().faint_bg_color)
        .inner_margin(10.0)
        .show(ui, |ui| {
            ui.set_max_width(ui.available_width().min(680.0));
            ui.label(RichText::new("Why it matters").strong());
            ui.label(help);
            if let Some(source) = &q.source {
                ui.label(
                    RichText::new(format!("Source: {}", widgets::cite(k, source)))
                        .small()
                        .weak(),
                );
            }
        });
}

/// Below this width the leaning goes under the question instead of beside it.
const NARROW: f32 = 760.0;
const LEANING_WIDTH: f32 = 280.0;
/// The label of a number question's field.
const ANSWER_FIELD: &str = "Your answer";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_count_agrees_with_its_numbers() {
        assert_eq!(fired_from(1, 0), "1 rule fired from 0 answers");
        assert_eq!(fired_from(3, 1), "3 rules fired from 1 answer");
        assert_eq!(fired_from(0, 2), "0 rules fired from 2 answers");
    }

    #[test]
    fn the_slider_lands_on_whole_steps_not_on_steps_from_the_minimum() {
        // the p99 question starts at 0.1 ms with a step of 1 ms
        assert_eq!(on_step(300.4, 1.0, 0.1, 10_000.0), 300.0);
        assert_eq!(on_step(199.6, 1.0, 0.1, 10_000.0), 200.0);
        assert_eq!(on_step(0.2, 1.0, 0.1, 10_000.0), 0.1);
        assert_eq!(on_step(0.31, 0.1, 0.0, 1.0), 0.3);
    }

    #[test]
    fn none_and_the_other_choices_exclude_each_other() {
        let k = Knowledge::shipped().expect("the shipped knowledge");
        let q = k
            .questions
            .iter()
            .find(|q| q.id == "compliance")
            .expect("the compliance question");
        let mut chosen = vec!["none".to_string()];
        toggle_choice(&mut chosen, "gdpr", q);
        assert_eq!(chosen, ["gdpr"]);
        toggle_choice(&mut chosen, "pci-dss", q);
        assert_eq!(chosen, ["gdpr", "pci-dss"]);
        toggle_choice(&mut chosen, "none", q);
        assert_eq!(chosen, ["none"]);
        toggle_choice(&mut chosen, "none", q);
        assert!(chosen.is_empty(), "ticking None again unticks it");
    }
}
