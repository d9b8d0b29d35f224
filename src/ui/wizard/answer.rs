//! The answer widgets of one question: a choice, a multiple choice (with its "none of these"
//! option standing alone), a number with its field and a slider on the question's step.

use egui::{RichText, Ui};

use super::super::number_field;
use super::super::widgets;
use super::{ANSWER_FIELD, Keys, WizardUi};
use crate::domain::knowledge::{AnswerValue, Question, QuestionKind};

impl WizardUi {
    /// The answer widgets for `q`; true when the user changed `value`.
    pub(super) fn answer_ui(
        &mut self,
        ui: &mut Ui,
        q: &Question,
        value: &mut Option<AnswerValue>,
        keys: &Keys,
    ) -> bool {
        let mut changed = false;
        match q.kind {
            QuestionKind::Bool => {
                if keys.up {
                    *value = Some(AnswerValue::Bool(true));
                    changed = true;
                }
                if keys.down {
                    *value = Some(AnswerValue::Bool(false));
                    changed = true;
                }
                ui.vertical(|ui| {
                    for (b, label) in [(true, "Yes"), (false, "No")] {
                        let selected = *value == Some(AnswerValue::Bool(b));
                        if ui.radio(selected, label).clicked() && !selected {
                            *value = Some(AnswerValue::Bool(b));
                            changed = true;
                        }
                    }
                });
            }
            QuestionKind::Single => {
                let at = match value {
                    Some(AnswerValue::Choice(id)) => q.option_index(id),
                    _ => None,
                };
                let last = q.options.len().saturating_sub(1);
                let moved = match (at, keys.up, keys.down) {
                    (Some(i), true, _) => Some(i.saturating_sub(1)),
                    (Some(i), _, true) => Some((i + 1).min(last)),
                    (None, true, _) | (None, _, true) => Some(0),
                    _ => None,
                };
                if let Some(i) = moved.filter(|&i| Some(i) != at)
                    && let Some(o) = q.options.get(i)
                {
                    *value = Some(AnswerValue::Choice(o.id.clone()));
                    changed = true;
                }
                ui.vertical(|ui| {
                    for o in &q.options {
                        let selected =
                            matches!(value, Some(AnswerValue::Choice(id)) if *id == o.id);
                        if ui.radio(selected, &o.label).clicked() && !selected {
                            *value = Some(AnswerValue::Choice(o.id.clone()));
                            changed = true;
                        }
                    }
                });
            }
            QuestionKind::Multi => {
                let mut chosen = match value {
                    Some(AnswerValue::Choices(ids)) => ids.clone(),
                    _ => Vec::new(),
                };
                let last = q.options.len().saturating_sub(1);
                if keys.up {
                    self.cursor = self.cursor.saturating_sub(1);
                }
                if keys.down {
                    self.cursor = (self.cursor + 1).min(last);
                }
                let mut toggle = keys.space.then_some(self.cursor);
                ui.vertical(|ui| {
                    for (i, o) in q.options.iter().enumerate() {
                        let mut on = chosen.contains(&o.id);
                        let text = if i == self.cursor {
                            RichText::new(&o.label).underline()
                        } else {
                            RichText::new(&o.label)
                        };
                        // the toggle is applied to `chosen` below, once, for the mouse and Space alike
                        if ui.checkbox(&mut on, text).changed() {
                            self.cursor = i;
                            toggle = Some(i);
                        }
                    }
                });
                if let Some(i) = toggle
                    && let Some(o) = q.options.get(i)
                {
                    toggle_choice(&mut chosen, &o.id, q);
                    *value = Some(AnswerValue::Choices(chosen));
                    changed = true;
                }
            }
            QuestionKind::Number => {
                let (min, max) = (q.min.unwrap_or(0.0), q.max.unwrap_or(f64::MAX));
                let mut n = match value {
                    Some(AnswerValue::Number(n)) => *n,
                    _ => min,
                };
                let unit = q.unit.as_deref();
                if self.focus_field {
                    // a number question is answered by typing: the field takes the keyboard
                    number_field::request_focus(ui, ANSWER_FIELD);
                    self.focus_field = false;
                }
                if widgets::number_field(ui, ANSWER_FIELD, &mut n, min..=max, unit) {
                    changed = true;
                }
                let logarithmic = max / min.max(1.0) > 1_000.0;
                // The slider works on a copy and writes only when moved, on the question's step:
                // egui's own step grid starts at the minimum (0.1 ms for the p99 target), and its
                // default clamping re-rounds the shown value every frame, which turned 300 into
                // 300.1 and answered the question on arrival.
                let mut handle = n;
                // a log slider from 0 would otherwise spend half its length below 1
                let slider = egui::Slider::new(&mut handle, min..=max)
                    .clamping(egui::SliderClamping::Edits)
                    .logarithmic(logarithmic)
                    .smallest_positive(1.0)
                    .show_value(false)
                    .text(unit.unwrap_or("value"));
                ui.spacing_mut().slider_width = (ui.available_width() - 120.0).clamp(120.0, 420.0);
                if ui.add(slider).changed() {
                    let stepped = on_step(handle, q.step(), min, max);
                    if stepped != n {
                        n = stepped;
                        changed = true;
                    }
                }
                if changed {
                    *value = Some(AnswerValue::Number(n));
                }
            }
        }
        changed
    }
}

/// Ticks or unticks `id` in `chosen`. An option the knowledge marks `exclusive` ("none of these")
/// stands alone: ticking it clears the others, and ticking another clears it.
pub fn toggle_choice(chosen: &mut Vec<String>, id: &str, q: &Question) {
    if chosen.iter().any(|c| c == id) {
        chosen.retain(|c| c != id);
        return;
    }
    let exclusive = |id: &str| q.option(id).is_some_and(|o| o.exclusive);
    if exclusive(id) {
        chosen.clear();
    } else {
        chosen.retain(|c| !exclusive(c));
    }
    chosen.push(id.to_string());
    chosen.sort_by_key(|c| q.option_index(c));
}

/// A slider position on the question's step (multiples of `step`), within `min..=max`.
pub fn on_step(v: f64, step: f64, min: f64, max: f64) -> f64 {
    let stepped = (v / step).round() * step;
    // no float noise from the multiplication (0.1 × 3 = 0.30000000000000004)
    let tidy = (stepped * 1e9).round() / 1e9;
    tidy.clamp(min, max)
}
