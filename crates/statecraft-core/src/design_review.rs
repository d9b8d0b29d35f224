//! The design review: what a principal architect checks of a stack before signing it, run on every
//! stack the advice gives. The checks are data (rules.json's `checks`): quotas against the answered
//! load, each store's durability against the answered loss tolerance, the protocol path end to end.
//! A finding is a blocker (the composer avoids the stack where any other can), a risk with its
//! mitigation and what that costs, or a note.

use serde::Serialize;

use crate::condition::{Compiled, Slot};
use crate::knowledge::{Check, Knowledge, Severity, StackTier, Threshold};

/// One finding of the review, as the advice, the app and the record show it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// The check's id.
    pub check: String,
    pub severity: Severity,
    /// The service of the stack it is about.
    pub service: Option<String>,
    pub text: String,
    /// What to do about it, with what it costs ("…; adds the price `dynamodb-write-units`").
    pub mitigation: Option<String>,
    /// The mitigation's action alone, without its cost (what a record's Confirmation checks).
    pub mitigation_action: Option<String>,
    /// The price the mitigation adds to the bill (prices.json), where it has one.
    pub mitigation_price: Option<String>,
    /// The source as a reader can follow it.
    pub source: String,
    /// The source's id in sources.json (a record cites it).
    pub source_id: Option<String>,
    /// When the check's figures were read.
    pub as_of: String,
}

impl Finding {
    /// "Risk — API Gateway …: … Mitigation: …", one line for the command line and the record.
    pub fn sentence(&self) -> String {
        let head = match self.severity {
            Severity::Blocker => "Blocker",
            Severity::Risk => "Risk",
            Severity::Note => "Note",
        };
        match &self.mitigation {
            Some(m) => format!("{head}: {} Mitigation: {m}", self.text),
            None => format!("{head}: {}", self.text),
        }
    }
}

/// The checks with their conditions compiled, and which warning rules carry each.
pub struct Reviewer {
    when: Vec<Option<Compiled>>,
    /// Per check: the question index and figure value of `exceeds` / `under`.
    exceeds: Vec<Option<(usize, f64)>>,
    under: Vec<Option<(usize, f64)>>,
    /// Per check: the rules (by index) that name it in `review`.
    named_by: Vec<Vec<usize>>,
}

fn threshold(k: &Knowledge, t: &Option<Threshold>) -> Option<(usize, f64)> {
    let t = t.as_ref()?;
    let q = k.question_index(&t.answer)?;
    let f = k.figure(&t.figure)?;
    Some((q, f.value * t.factor))
}

/// "$0.016 per node-hour", "$0.20 per M": written as the bill writes a unit price.
fn rate(p: &crate::knowledge::Price) -> String {
    format!(
        "{} {}",
        crate::bill::formula::price_usd(p.usd),
        crate::bill::formula::per(p.per, &p.unit)
    )
}

fn number(slots: &[Option<Slot>], q: usize) -> Option<f64> {
    match slots.get(q).copied().flatten() {
        Some(Slot::Number(n)) => Some(n),
        _ => None,
    }
}

impl Reviewer {
    pub fn new(k: &Knowledge) -> Reviewer {
        Reviewer {
            when: k
                .checks
                .iter()
                .map(|c| c.when.as_ref().map(|w| Compiled::new(w, k)))
                .collect(),
            exceeds: k.checks.iter().map(|c| threshold(k, &c.exceeds)).collect(),
            under: k.checks.iter().map(|c| threshold(k, &c.under)).collect(),
            named_by: k
                .checks
                .iter()
                .map(|c| {
                    k.rules
                        .iter()
                        .enumerate()
                        .filter(|(_, r)| r.review.contains(&c.id))
                        .map(|(i, _)| i)
                        .collect()
                })
                .collect(),
        }
    }

    /// Whether check `c`'s conditions hold for these answers (whatever the stack), or a warning
    /// rule that names it fired.
    fn holds(&self, c: usize, slots: &[Option<Slot>], fired: &[bool]) -> bool {
        if self.named_by[c]
            .iter()
            .any(|&r| fired.get(r) == Some(&true))
        {
            return true;
        }
        let mut any = false;
        if let Some(w) = &self.when[c] {
            if !w.holds(slots, None) {
                return false;
            }
            any = true;
        }
        if let Some((q, limit)) = self.exceeds[c] {
            if number(slots, q).is_none_or(|n| n <= limit) {
                return false;
            }
            any = true;
        }
        if let Some((q, limit)) = self.under[c] {
            if number(slots, q).is_none_or(|n| n >= limit) {
                return false;
            }
            any = true;
        }
        any
    }

    /// The service of `stack` that check `c` reviews, when the stack has it (and the `with`
    /// services beside it).
    fn reviewed<'s>(
        k: &Knowledge,
        check: &Check,
        stack: &'s [(StackTier, String)],
    ) -> Option<&'s str> {
        let has = |id: &str| stack.iter().any(|(_, s)| s == id);
        if !check.with.iter().all(|w| has(w))
            || check.without.iter().any(|w| has(w))
            || stack.iter().any(|(t, _)| check.without_tiers.contains(t))
        {
            return None;
        }
        if let Some(program) = &check.outside_scope {
            // the first service AWS does not list in the program's scope
            return stack
                .iter()
                .find(|(_, s)| {
                    k.service(s)
                        .and_then(|svc| svc.in_scope.as_ref())
                        .is_some_and(|scope| !scope.contains(program))
                })
                .map(|(_, s)| s.as_str());
        }
        stack
            .iter()
            .find(|(t, s)| check.services.contains(s) && check.tier.is_none_or(|ct| ct == *t))
            .map(|(_, s)| s.as_str())
    }

    /// Every finding on `stack` (tier, service id) for these answers, blockers first.
    pub fn review(
        &self,
        k: &Knowledge,
        slots: &[Option<Slot>],
        fired: &[bool],
        stack: &[(StackTier, String)],
    ) -> Vec<Finding> {
        let mut out: Vec<Finding> = Vec::new();
        for (c, check) in k.checks.iter().enumerate() {
            let Some(service) = Self::reviewed(k, check, stack) else {
                continue;
            };
            if !self.holds(c, slots, fired) {
                continue;
            }
            out.push(self.finding(k, c, service, slots));
        }
        out.sort_by_key(|f| f.severity);
        out
    }

    /// The blockers' check indices on `stack`, cheaply (no wording).
    pub fn blockers(
        &self,
        k: &Knowledge,
        slots: &[Option<Slot>],
        fired: &[bool],
        stack: &[(StackTier, String)],
    ) -> Vec<usize> {
        k.checks
            .iter()
            .enumerate()
            .filter(|(c, check)| {
                check.severity == Severity::Blocker
                    && Self::reviewed(k, check, stack).is_some()
                    && self.holds(*c, slots, fired)
            })
            .map(|(c, _)| c)
            .collect()
    }

    /// Whether check `c` would still apply to some stack with these answers (used to find the
    /// answers that relax it).
    pub fn applies(&self, c: usize, slots: &[Option<Slot>], fired: &[bool]) -> bool {
        self.holds(c, slots, fired)
    }

    fn finding(&self, k: &Knowledge, c: usize, service: &str, slots: &[Option<Slot>]) -> Finding {
        let check = &k.checks[c];
        let named = k
            .service(service)
            .map_or(service, |s| s.short.as_deref().unwrap_or(&s.name));
        let mut text = check.text.replace("{service}", named);
        if let Some((q, limit)) = self.exceeds[c].or(self.under[c]) {
            text = text.replace("{figure}", &crate::format::number(limit));
            if let Some(n) = number(slots, q) {
                text = text.replace("{answer}", &crate::format::number(n));
            }
        }
        let mitigation = check.mitigation.as_ref().map(|m| {
            let cost = match (&m.price, &m.no_charge) {
                (Some(p), _) => match k.price(p) {
                    Some(price) => format!(
                        " It adds to the bill: {} at {} (price `{p}`, as of {}).",
                        price.item,
                        rate(price),
                        price.as_of.as_deref().unwrap_or("an undated list")
                    ),
                    None => format!(" It adds the price `{p}` to the bill."),
                },
                (None, Some(why)) => format!(" No charge: {}.", why.trim_end_matches('.')),
                (None, None) => String::new(),
            };
            format!("{}{cost}", m.text.trim_end())
        });
        Finding {
            check: check.id.clone(),
            severity: check.severity,
            service: Some(service.to_string()),
            text,
            mitigation,
            mitigation_action: check
                .mitigation
                .as_ref()
                .map(|m| m.text.trim_end().to_string()),
            mitigation_price: check.mitigation.as_ref().and_then(|m| m.price.clone()),
            source: check
                .source
                .as_deref()
                .and_then(|s| k.source(s))
                .map(|s| s.citation())
                .unwrap_or_default(),
            source_id: check.source.clone(),
            as_of: check.as_of.clone(),
        }
    }
}
