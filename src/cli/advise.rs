//! What `questions`, `advise` and `knowledge` print: the wizard's questions, the advice (as the
//! contract's JSON or as text) and a summary of the knowledge loaded.

use super::{Format, json};
use crate::domain::knowledge::{Knowledge, KnowledgeFile};
use crate::domain::rules::Advice;

/// The contract's `questions --format json` array (or a readable list).
pub fn questions_output(k: &Knowledge, format: Format) -> String {
    match format {
        Format::Json => {
            let list: Vec<serde_json::Value> = k
                .questions
                .iter()
                .map(|q| {
                    serde_json::json!({
                        "id": q.id,
                        "text": q.text,
                        "help": q.help,
                        "kind": q.kind,
                        "options": q.options,
                        "min": q.min,
                        "max": q.max,
                        "step": q.step,
                        "unit": q.unit,
                        "default": q.default,
                        "show_if": q.show_if,
                        "source": q.source,
                    })
                })
                .collect();
            json(&serde_json::Value::Array(list))
        }
        Format::Text => {
            let mut s = String::new();
            for (i, q) in k.questions.iter().enumerate() {
                s += &format!("{}. {} [{}]\n   {}\n", i + 1, q.text, q.id, q.help);
                for o in &q.options {
                    s += &format!("   - {} ({})\n", o.label, o.id);
                }
                if let (Some(min), Some(max)) = (q.min, q.max) {
                    s += &format!(
                        "   a number from {min} to {max} {}\n",
                        q.unit.as_deref().unwrap_or("")
                    );
                }
                if q.show_if.is_some() {
                    s += "   (asked only when earlier answers call for it)\n";
                }
            }
            s
        }
    }
}

/// The contract's `advise --format json` object, plus explanation fields.
pub fn advice_json(advice: &Advice) -> serde_json::Value {
    serde_json::to_value(advice).unwrap_or_default()
}

/// A readable explanation: archetype, scores, stack, the rules that drove it and what would change it.
pub fn advice_text(k: &Knowledge, advice: &Advice) -> String {
    let mut s = String::new();
    if !advice.conflicts.is_empty() {
        s += "Answers that contradict each other (the advice below reads them as given):\n";
        for c in &advice.conflicts {
            s += &format!("  - {} [{}]\n", c.text, c.questions.join(", "));
        }
        s += "\n";
    }
    let sc = &advice.scores;
    s += &format!(
        "Recommendation: {} (scores: stateless {}, stateful {}, hybrid {})\n",
        advice.recommendation, sc.stateless, sc.stateful, sc.hybrid
    );
    s += &format!(
        "Region: {} ({}){}\n",
        advice.region.name,
        advice.region.code,
        if advice.region.because.is_empty() {
            " — the default: no Region was answered"
        } else {
            ""
        }
    );
    if let Some(c) = &advice.close_call {
        s += &format!(
            "A close call: the runner-up is {} ({}).\n",
            c.runner_up.archetype, c.runner_up.stack
        );
        for d in &c.differences {
            s += &format!("  - {d}\n");
        }
    }
    for d in &advice.decisive {
        let out: Vec<&str> = d.rules_out.iter().map(|a| a.as_str()).collect();
        s += &if d.outvoted == advice.recommendation {
            format!(
                "A requirement rules out {}: {} (from {}).\n",
                out.join(" and "),
                d.text,
                d.because.join(", ")
            )
        } else {
            format!(
                "Decided by a requirement: {} (from {}); it rules out {}, whatever the points (which alone said {}).\n",
                d.text,
                d.because.join(", "),
                out.join(" and "),
                d.outvoted
            )
        };
    }
    s += &format!(
        "Stack: {} [{}]{}\n",
        advice.stack.name,
        advice.stack.id,
        if advice.stack.composed {
            " — composed tier by tier from the answers"
        } else {
            ""
        }
    );
    for service in &advice.stack.services {
        s += &format!(
            "  - {}: {}\n      because of: {}\n",
            service.name,
            service.why,
            service.because.join(", ")
        );
    }
    if !advice.requirements.is_empty() {
        s += "\nRequirements (hard constraints from the answers; no points outvote them):\n";
        for r in &advice.requirements {
            s += &format!(
                "  - {}{} [{}; from {}]\n",
                r.text,
                if r.met {
                    ""
                } else {
                    " — NOT MET: nothing in the catalogue meets it with the others"
                },
                r.tier.label(),
                r.because.join(", ")
            );
        }
    }
    if !advice.review.is_empty() {
        s += "\nDesign review (what an architect checks before signing the stack):\n";
        for f in &advice.review {
            s += &format!(
                "  - [{}] {}\n      source: {} ({})\n",
                f.check,
                f.sentence(),
                f.source,
                f.as_of
            );
        }
    }
    if !advice.unmet.is_empty() {
        s += "\nNot met by any stack with these answers:\n";
        for u in &advice.unmet {
            s += &format!("  - {} [{}]\n", u.why, u.requirement);
            for r in &u.relax {
                s += &format!("      relaxed by: {}\n", r.label);
            }
        }
    }
    if !advice.excluded.is_empty() {
        s += "\nRuled out:\n";
        for e in &advice.excluded {
            s += &format!("  - {} [{}]\n", e.why, e.requirement);
        }
    }
    s += "\nWhy (rules that fired, with the points they gave stateless/stateful/hybrid, and stacks):\n";
    for r in &advice.fired_rules {
        let stacks: Vec<String> = r
            .stacks
            .iter()
            .map(|(id, p)| format!("{id} {p:+}"))
            .collect();
        let stacks = if stacks.is_empty() {
            String::new()
        } else {
            format!(" [stacks: {}]", stacks.join(", "))
        };
        s += &format!(
            "  [{:+}/{:+}/{:+}] {}: {}{stacks}\n      source: {}\n",
            r.scores.stateless, r.scores.stateful, r.scores.hybrid, r.id, r.rationale, r.citation
        );
    }
    s += "\nWhat would change it:\n";
    if advice.tipping_points.is_empty() {
        s += "  No single answer changes the recommendation.\n";
    }
    for t in &advice.tipping_points {
        let stack = k
            .stack(&t.stack)
            .map_or(t.stack.as_str(), |st| st.name.as_str());
        s += &format!("  - {} (stack: {stack})\n", t.sentence());
    }
    s += &format!("\nKnowledge: {}\n", advice.knowledge_version);
    s
}

pub(super) fn knowledge_summary(k: &Knowledge) -> String {
    let files: Vec<String> = KnowledgeFile::ALL
        .iter()
        .map(|f| f.file_name().to_string())
        .collect();
    format!(
        "ok: {} — {} questions, {} rules, {} services, {} stacks, {} prices, {} figures, {} sources ({})\n",
        crate::domain::diagnostic::shown(&k.version()),
        k.questions.len(),
        k.rules.len(),
        k.services.len(),
        k.stacks.len(),
        k.prices.len(),
        k.figures.len(),
        k.sources.len(),
        files.join(", ")
    )
}
