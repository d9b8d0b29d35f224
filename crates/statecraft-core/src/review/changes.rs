//! What changed between a record and its re-export from its own evidence: the recommendation, the
//! stack, each scenario's figures (drift past the threshold), prices older than a year, and edits
//! to the record's prose. Each change says whether it is drift or a note.

use serde::Serialize;

use super::{Change, ReviewOptions, STALE_AFTER_DAYS};
use crate::export::{self, Figures};
use crate::format;

impl Change {
    /// The change as one line: what changed, then the old and the new value where they differ
    /// (a stale price's date has not changed: the line says how old it is instead).
    pub fn line(&self) -> String {
        if self.was == self.now {
            self.what.clone()
        } else {
            format!("{}: was {}, now {}", self.what, self.was, self.now)
        }
    }
}

/// What was edited in a record's prose (its text hash no longer matches): its title and chosen
/// option set against the text its own evidence gives, or, when neither differs, that the text was
/// edited. Each is drift: the record no longer says what was decided.
pub(super) fn prose_changes(text: &str, again: &str) -> Vec<Change> {
    let title = |t: &str| -> Option<String> {
        body_lines(t)
            .into_iter()
            .find_map(|l| l.strip_prefix("# ").map(|s| s.trim().to_string()))
    };
    let chosen = |t: &str| -> Option<String> {
        body_lines(t)
            .into_iter()
            .find(|l| l.starts_with("Chosen option:") || l.starts_with("We will use "))
            .map(|l| l.trim().to_string())
    };
    let mut out = Vec::new();
    for (what, now, was) in [
        ("the title", title(text), title(again)),
        ("the chosen option", chosen(text), chosen(again)),
    ] {
        if now != was && was.is_some() {
            out.push(change(
                format!("{what} was edited after `statecraft export` wrote the record; its evidence says otherwise"),
                was,
                now,
                true,
            ));
        }
    }
    if out.is_empty() {
        out.push(change(
            "the record's text was edited after `statecraft export` wrote it (its text hash no longer matches); export it again to bring the text back in line".into(),
            "as exported",
            "edited",
            true,
        ));
    }
    out
}

/// A record's body lines: after its front matter, before its evidence block.
fn body_lines(text: &str) -> Vec<&str> {
    let start = export::front_matter::human_fields(text).map_or(0, |h| h.body_line);
    text.split('\n')
        .skip(start)
        .take_while(|l| !l.starts_with("<!-- statecraft-evidence:"))
        .collect()
}

pub(crate) fn change(
    what: String,
    was: impl Serialize,
    now: impl Serialize,
    drift: bool,
) -> Change {
    Change {
        what,
        was: serde_json::to_value(was).unwrap_or_default(),
        now: serde_json::to_value(now).unwrap_or_default(),
        drift,
    }
}

/// What differs between a record's provenance and its re-run's.
pub(super) fn changes(
    was: &export::Provenance,
    now: &export::Provenance,
    o: &ReviewOptions,
    record_date: &str,
) -> Vec<Change> {
    let mut out = Vec::new();
    if was.knowledge_version != now.knowledge_version {
        out.push(change(
            "the knowledge version".into(),
            &was.knowledge_version,
            &now.knowledge_version,
            false,
        ));
    }
    if was.recommendation != now.recommendation {
        out.push(change(
            "the recommendation".into(),
            &was.recommendation,
            &now.recommendation,
            true,
        ));
    }
    if was.stack != now.stack {
        out.push(change("the stack".into(), &was.stack, &now.stack, true));
    }
    for (w, n) in was.figures.iter().zip(&now.figures) {
        out.extend(figure_changes(w, n, o));
    }
    if was.figures.len() != now.figures.len() {
        out.push(change(
            "the number of simulated scenarios".into(),
            was.figures.len(),
            now.figures.len(),
            true,
        ));
    }
    out.extend(stale_prices(now, &o.today, record_date));
    out
}

fn figure_changes(was: &Figures, now: &Figures, o: &ReviewOptions) -> Vec<Change> {
    let mut out = Vec::new();
    let name = &was.scenario;
    let moved = |a: f64, b: f64| (b - a).abs() > o.threshold * a.abs().max(0.01);
    if moved(was.monthly_usd, now.monthly_usd) {
        let mut what = format!(
            "the monthly cost of “{name}” moved by {} (more than {} %)",
            percent(was.monthly_usd, now.monthly_usd),
            format::number(o.threshold * 100.0)
        );
        let lines: Vec<String> = now
            .prices
            .iter()
            .filter_map(|(id, n)| {
                let w = was.prices.get(id).map_or(0.0, |p| p.monthly_usd);
                moved(w, n.monthly_usd)
                    .then(|| format!("`{id}` {} → {}", format::usd(w), format::usd(n.monthly_usd)))
            })
            .chain(
                was.prices
                    .keys()
                    .filter(|id| !now.prices.contains_key(*id))
                    .map(|id| format!("`{id}` no longer billed")),
            )
            .collect();
        if !lines.is_empty() {
            what += &format!(": {}", lines.join(", "));
        }
        out.push(change(
            what,
            round_cents(was.monthly_usd),
            round_cents(now.monthly_usd),
            true,
        ));
    }
    if was.meets_target && !now.meets_target {
        out.push(change(
            format!(
                "“{name}” now misses the p99 target of {} ms (a limit reached)",
                format::number(now.target_ms)
            ),
            was.p99_ms,
            now.p99_ms,
            true,
        ));
    }
    if was.cheapest != now.cheapest {
        out.push(change(
            format!("the cheapest option at the peak of “{name}” (a cost crossover passed)"),
            &was.cheapest,
            &now.cheapest,
            true,
        ));
    }
    out
}

/// Prices the re-run used that are dated more than a year before the review. A stale price is a
/// note while the record itself is less than a year old (a team adopting Statecraft today must not
/// fail its CI on AWS's publication dates); once the record is older than that, it is drift: the
/// decision and its prices are both due for a look.
fn stale_prices(now: &export::Provenance, today: &str, record_date: &str) -> Vec<Change> {
    let Some(today) = days(today) else {
        return Vec::new();
    };
    let record_is_old = days(record_date).is_some_and(|d| today - d > STALE_AFTER_DAYS);
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for f in &now.figures {
        for (id, p) in &f.prices {
            let Some(day) = days(&p.as_of) else {
                continue;
            };
            let age = today - day;
            if age > STALE_AFTER_DAYS && seen.insert(id.clone()) {
                let what = if record_is_old {
                    format!(
                        "the price `{id}` is dated {} ({age} days before this review) and the record, of {record_date}, is more than a year old too: refresh the prices (`statecraft prices import`) and review the decision",
                        p.as_of
                    )
                } else {
                    format!(
                        "the price `{id}` is dated {} ({age} days before this review, more than a year): refresh it when you can (`statecraft prices import`)",
                        p.as_of
                    )
                };
                out.push(change(what, &p.as_of, &p.as_of, record_is_old));
            }
        }
    }
    out
}

/// Days since 1970 of `YYYY-MM-DD` or `YYYY-MM` (the first of the month).
pub(super) fn days(date: &str) -> Option<i64> {
    let mut parts = date.split('-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u8 = parts.next()?.parse().ok()?;
    let d: u8 = parts.next().map_or(Some(1), |d| d.parse().ok())?;
    let date = time::Date::from_calendar_date(y, time::Month::try_from(m).ok()?, d).ok()?;
    Some(i64::from(date.to_julian_day()))
}

fn percent(was: f64, now: f64) -> String {
    let p = if was.abs() < f64::EPSILON {
        100.0
    } else {
        (now - was) / was * 100.0
    };
    format!(
        "{}{} %",
        if p >= 0.0 { "+" } else { "−" },
        format::number(p.abs().round())
    )
}

fn round_cents(usd: f64) -> f64 {
    (usd * 100.0).round() / 100.0
}
