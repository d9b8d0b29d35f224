//! Whether a value is a possible answer to a question: the one check the answers files, the
//! knowledge's own defaults and conditions, and the app's answers share.

use super::{AnswerValue, Question, QuestionKind};
use crate::diagnostic::nearest;
use crate::format;

/// What a question of `kind` takes, in words.
pub fn expected_kind(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Bool => "true or false",
        QuestionKind::Number => "a number",
        QuestionKind::Single => "an option id (a string)",
        QuestionKind::Multi => "a list of option ids",
    }
}

fn unknown_option(question: &Question, id: &str) -> String {
    let near = nearest(id, question.options.iter().map(|o| o.id.as_str()))
        .map(|o| format!(" (did you mean \"{o}\"?)"))
        .unwrap_or_default();
    format!("there is no option \"{id}\"{near}")
}

/// Whether `value` is a possible answer to `question`; the error says why not.
pub fn check_value(question: &Question, value: &AnswerValue) -> Result<(), String> {
    match (question.kind, value) {
        (QuestionKind::Bool, AnswerValue::Bool(_)) => Ok(()),
        (QuestionKind::Number, AnswerValue::Number(n)) => {
            let (min, max) = (
                question.min.unwrap_or(f64::MIN),
                question.max.unwrap_or(f64::MAX),
            );
            if !n.is_finite() {
                Err(format!("{n} is not a finite number"))
            } else if *n < min || *n > max {
                Err(format!(
                    "{} is outside {}..{}{}",
                    format::number(*n),
                    format::number(min),
                    format::number(max),
                    question
                        .unit
                        .as_deref()
                        .map(|u| format!(" {u}"))
                        .unwrap_or_default()
                ))
            } else {
                Ok(())
            }
        }
        (QuestionKind::Single, AnswerValue::Choice(id)) => {
            if question.option(id).is_some() {
                Ok(())
            } else {
                Err(unknown_option(question, id))
            }
        }
        (QuestionKind::Multi, AnswerValue::Choices(ids)) => {
            for (i, id) in ids.iter().enumerate() {
                if question.option(id).is_none() {
                    return Err(unknown_option(question, id));
                }
                if ids[..i].contains(id) {
                    return Err(format!("option \"{id}\" is listed twice"));
                }
            }
            if ids.len() > 1
                && let Some(alone) = ids
                    .iter()
                    .find(|id| question.option(id).is_some_and(|o| o.exclusive))
            {
                return Err(format!(
                    "option \"{alone}\" means none of the others, so it cannot be listed with them: give [\"{alone}\"] alone, or leave it out"
                ));
            }
            Ok(())
        }
        (kind, other) => Err(format!(
            "expected {}, found {}",
            expected_kind(kind),
            other.kind_name()
        )),
    }
}
