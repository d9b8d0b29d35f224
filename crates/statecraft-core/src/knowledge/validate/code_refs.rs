//! Checks of what the code depends on by name (the catalogue): every question id, stack id, price
//! and figure the code reads is declared in the knowledge, of the kind the code reads it as.

use super::super::KnowledgeFile;
use super::super::catalogue;
use super::questions::kind_name;
use super::{Validator, suggest};
use crate::diagnostic::JsonPath;

impl Validator<'_> {
    /// Every figure and question the code reads is there, of the kind the code expects.
    pub(super) fn catalogue(&mut self) {
        for spec in catalogue::FIGURES {
            if self.k.figure(spec.id).is_none() {
                let origin = self.list_origin(KnowledgeFile::Figures);
                self.report(
                    origin,
                    &JsonPath::root().key("figures"),
                    format!(
                        "there is no figure `{}`; the simulator reads it for {}",
                        spec.id, spec.used_for
                    ),
                    format!("keep figure `{}` (with its value, unit, date and source), or take it from the shipped knowledge with \"mode\": \"overlay\"", spec.id),
                );
            }
        }
        for id in catalogue::PRICES {
            if self.k.price(id).is_none() {
                let origin = self.list_origin(KnowledgeFile::Prices);
                self.report(
                    origin,
                    &JsonPath::root().key("prices"),
                    format!("there is no price `{id}`; the cost model reads it"),
                    format!("keep price `{id}` (with its amount, unit, date and source), or take it from the shipped knowledge with \"mode\": \"overlay\""),
                );
            }
        }
        for (id, used_for) in catalogue::STACKS {
            if self.k.stack(id).is_none() {
                let origin = self.list_origin(KnowledgeFile::Stacks);
                self.report(
                    origin,
                    &JsonPath::root().key("stacks"),
                    format!("there is no stack `{id}`; it is read for {used_for}"),
                    format!("keep stack `{id}`, or take it from the shipped knowledge with \"mode\": \"overlay\""),
                );
            }
        }
        if let Some(at) = self.k.question_index(catalogue::PIN_STACK) {
            let origin = self.k.origins.questions[at];
            for (i, option) in self.k.questions[at].options.iter().enumerate() {
                if option.id != catalogue::COMPOSE
                    && self.k.stacks.iter().all(|s| s.id != option.id)
                {
                    let hint = suggest(&option.id, self.k.stacks.iter().map(|s| s.id.as_str()));
                    self.report(
                        origin,
                        &self
                            .item_path(KnowledgeFile::Questions, origin)
                            .key("options")
                            .index(i)
                            .key("id"),
                        format!(
                            "`{}` offers to pin `{}`, which is not a stack of stacks.json{hint}",
                            catalogue::PIN_STACK,
                            option.id
                        ),
                        "name a reference stack's id, or `compose`",
                    );
                }
            }
        }
        for spec in catalogue::QUESTIONS {
            let origin = self.list_origin(KnowledgeFile::Questions);
            let Some(question) = self.k.question(spec.id) else {
                self.report(
                    origin,
                    &JsonPath::root().key("questions"),
                    format!(
                        "there is no question `{}`; it is read for {}",
                        spec.id, spec.used_for
                    ),
                    format!("keep question `{}`, or take it from the shipped knowledge with \"mode\": \"overlay\"", spec.id),
                );
                continue;
            };
            let at = self
                .k
                .question_index(spec.id)
                .and_then(|i| self.k.origins.questions.get(i).copied())
                .unwrap_or(origin);
            let path = self.item_path(KnowledgeFile::Questions, at);
            if question.kind != spec.kind {
                self.report(
                    at,
                    &path.key("kind"),
                    format!(
                        "question `{}` is a {} question; it is read for {} as a {} question",
                        spec.id,
                        kind_name(question.kind),
                        spec.used_for,
                        kind_name(spec.kind)
                    ),
                    format!("make `{}` a {} question", spec.id, kind_name(spec.kind)),
                );
            }
            for option in spec.options {
                if question.option(option).is_none() {
                    self.report(
                        at,
                        &path.key("options"),
                        format!(
                            "question `{}` has no option `{option}`; it is read for {}",
                            spec.id, spec.used_for
                        ),
                        format!("keep the option `{option}`"),
                    );
                }
            }
        }
    }
}
