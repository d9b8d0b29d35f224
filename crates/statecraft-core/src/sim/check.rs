//! The limits of a scenario, checked all at once with the place of each problem. Caps on rates,
//! horizons and request counts keep every run bounded in time and memory; within them nothing panics.

mod run;
mod settings;

use run::{check_chaos, check_sampling};
use settings::{check_billing, check_compute, check_stores};

use crate::answers::Answers;
use crate::diagnostic::{Diagnostics, JsonPath};
use crate::format;
use crate::json_source::SourceText;
use crate::knowledge::{Knowledge, SessionPlacement, Stack};
use crate::rules;

use super::scenario::{ChaosEvent, Estimate, Scenario};
use super::traffic::{DAY_S, Profile};

pub const MAX_PEAK_RPS: f64 = 1_000_000.0;
/// The largest instance group a scenario (or a sweep that grows one) may have.
pub const MAX_GROUP: u32 = 10_000;
pub const MAX_HORIZON_S: f64 = 7.0 * DAY_S;
// The caps below keep every command within seconds on a two-core machine (measured on a debug
// build with others' builds running): each says so in its message, so a user knows why.
/// Requests walked one by one in a sampled run (a week at 1,000,000 requests/s: about 3 s).
pub const MAX_SAMPLE_REQUESTS: u64 = 2_000_000;
/// Requests in a run that walks every request (`sampling.full`, or a population of users): 20
/// million took 22 s over a week-long horizon, 5 million about 5 s.
pub const MAX_FULL_REQUESTS: f64 = 5_000_000.0;
/// Simulated users: each carries a session and a cart through the whole horizon, so the cost grows
/// with users × horizon as well as with requests (100,000 users over a week took 16 s for 5 million
/// requests; 20,000 about 4 s).
pub const MAX_POPULATION: u32 = 20_000;
pub const MAX_CHAOS_EVENTS: usize = 1_000;
pub const MAX_TIMELINE_POINTS: f64 = 10_000.0;
/// Monte Carlo runs: 100,000 runs took about four minutes; 2,000 runs of 4,000 requests about 2 s.
pub const MAX_RUNS: u32 = 2_000;
/// Monte Carlo runs × requests per run (2,000 runs × 20,000 requests took 14 s; this is ~5 s).
pub const MAX_MONTE_CARLO_REQUESTS: f64 = 8_000_000.0;
/// Why the caps are where they are, for the messages.
pub const WHY_CAPPED: &str = "the cap keeps a run within seconds";

struct Checker<'a> {
    src: &'a SourceText,
    problems: Diagnostics,
}

impl Checker<'_> {
    fn fail(&mut self, path: &JsonPath, message: String, fix: String) {
        self.problems
            .push(self.src.diagnostic_at(path, message, fix));
    }

    /// `lo <= v <= hi` (NaN fails too).
    fn range(&mut self, path: &JsonPath, v: f64, lo: f64, hi: f64, unit: &str) {
        if !(v >= lo && v <= hi) {
            let unit = if unit.is_empty() {
                String::new()
            } else {
                format!(" {unit}")
            };
            self.fail(
                path,
                format!(
                    "`{path}` is {}; expected a number from {} to {}{unit}",
                    show(v),
                    format::number(lo),
                    format::number(hi)
                ),
                format!(
                    "set it to a value from {} to {}",
                    format::number(lo),
                    format::number(hi)
                ),
            );
        }
    }

    /// `lo < v <= hi`.
    fn positive(&mut self, path: &JsonPath, v: f64, hi: f64, unit: &str) {
        if !(v > 0.0 && v <= hi) {
            self.fail(
                path,
                format!(
                    "`{path}` is {}; expected a number above 0 and at most {} {unit}",
                    show(v),
                    format::number(hi)
                ),
                format!(
                    "set it to a value above 0 and at most {}",
                    format::number(hi)
                ),
            );
        }
    }

    fn estimate(
        &mut self,
        path: &JsonPath,
        e: &Estimate,
        lo: f64,
        hi: f64,
        unit: &str,
        strict: bool,
    ) {
        match *e {
            Estimate::Exact(v) => self.bound(path, v, lo, hi, unit, strict),
            Estimate::Range { low, likely, high } => {
                self.bound(&path.key("low"), low, lo, hi, unit, strict);
                self.bound(&path.key("likely"), likely, lo, hi, unit, strict);
                self.bound(&path.key("high"), high, lo, hi, unit, strict);
                if !(low <= likely && likely <= high) {
                    self.fail(
                        path,
                        format!(
                            "`{path}` has low {}, likely {}, high {}; expected low ≤ likely ≤ high",
                            show(low),
                            show(likely),
                            show(high)
                        ),
                        "order the three values from low to high".to_string(),
                    );
                }
            }
        }
    }

    fn bound(&mut self, path: &JsonPath, v: f64, lo: f64, hi: f64, unit: &str, strict: bool) {
        if strict {
            self.positive(path, v, hi, unit);
        } else {
            self.range(path, v, lo, hi, unit);
        }
    }
}

fn show(v: f64) -> String {
    if v.is_finite() {
        format::number(v)
    } else {
        v.to_string()
    }
}

/// The traffic's figures: each in the range the questions that set it allow.
fn check_traffic(c: &mut Checker, scenario: &Scenario) {
    let root = JsonPath::root();
    let t = &scenario.traffic;
    let tp = root.key("traffic");
    c.estimate(
        &tp.key("peak_rps"),
        &t.peak_rps,
        0.0,
        MAX_PEAK_RPS,
        "requests/s",
        false,
    );
    c.estimate(
        &tp.key("request_ms"),
        &t.request_ms,
        0.0,
        900_000.0,
        "ms",
        true,
    );
    c.estimate(
        &tp.key("payload_kb"),
        &t.payload_kb,
        0.0,
        100_000.0,
        "KB",
        false,
    );
    c.range(&tp.key("request_kb"), t.request_kb, 0.0, 100_000.0, "KB");
    c.estimate(
        &tp.key("session_kb"),
        &t.session_kb,
        0.0,
        100_000.0,
        "KB",
        false,
    );
    c.estimate(
        &tp.key("cacheable_pct"),
        &t.cacheable_pct,
        0.0,
        100.0,
        "%",
        false,
    );
    if let Some(rate) = t.live_messages_rps {
        c.range(
            &tp.key("live_messages_rps"),
            rate,
            0.0,
            100_000_000.0,
            "messages/s",
        );
    }
    // the media meters: the same ranges as the questions that set them
    c.range(
        &tp.key("video_minutes"),
        t.video_minutes,
        0.0,
        100_000_000.0,
        "minutes/month",
    );
    c.range(
        &tp.key("live_hours"),
        t.live_hours,
        0.0,
        1_000_000.0,
        "hours/month",
    );
    c.range(
        &tp.key("viewer_hours_per_user"),
        t.viewer_hours_per_user,
        0.0,
        744.0,
        "hours/user/month",
    );
    c.positive(&tp.key("request_cv"), t.request_cv, 10.0, "");
    c.range(
        &tp.key("state_reads"),
        t.state_reads,
        0.0,
        100.0,
        "per request",
    );
    c.range(
        &tp.key("state_writes"),
        t.state_writes,
        0.0,
        100.0,
        "per request",
    );
    c.range(
        &tp.key("db_queries"),
        t.db_queries,
        0.0,
        100.0,
        "per request",
    );
    c.range(
        &tp.key("db_writes"),
        t.db_writes,
        0.0,
        t.db_queries.clamp(0.0, 100.0),
        "per request (at most `db_queries`)",
    );
    c.range(&tp.key("stored_gb"), t.stored_gb, 0.0, 1_000_000.0, "GB");
    c.range(&tp.key("files_gb"), t.files_gb, 0.0, 10_000_000.0, "GB");
    c.range(&tp.key("users"), t.users, 0.0, 1e9, "users");
    c.range(&tp.key("sessions"), t.sessions, 0.0, 1e8, "sessions");
    c.range(
        &tp.key("session_minutes"),
        t.session_minutes,
        1.0,
        1_000_000.0,
        "minutes",
    );
    let bp = tp.key("burst");
    c.range(&bp.key("at_s"), t.burst.at_s, 0.0, DAY_S, "s");
    c.positive(&bp.key("duration_s"), t.burst.duration_s, DAY_S, "s");
    c.range(&bp.key("multiplier"), t.burst.multiplier, 1.0, 1000.0, "");
}

/// Every problem of `scenario`, placed in `src` (the file, or the scenario's own JSON for one built in memory).
pub fn check(scenario: &Scenario, src: &SourceText, k: &Knowledge) -> Result<(), Diagnostics> {
    let mut c = Checker {
        src,
        problems: Diagnostics::default(),
    };
    let root = JsonPath::root();
    // a file's version is checked before its shape (`Scenario::parse`); this catches one held inside
    // a project, or built in memory
    if let Some((message, fix)) =
        super::scenario::version_problem(u64::from(scenario.schema_version))
    {
        c.fail(&root.key("schema_version"), message, fix);
    }
    let stack = resolve_stack_checked(scenario, src, k, &mut c.problems);

    check_traffic(&mut c, scenario);

    c.positive(
        &root.key("horizon_s"),
        scenario.horizon_s,
        MAX_HORIZON_S,
        "s (a week)",
    );
    c.positive(
        &root.key("latency_target_ms"),
        scenario.latency_target_ms,
        600_000.0,
        "ms",
    );
    let bl = root.key("billing");
    c.positive(
        &bl.key("month_hours"),
        scenario.billing.month_hours,
        744.0,
        "hours (31 days)",
    );

    check_compute(&mut c, scenario, k);
    check_stores(&mut c, scenario, k);
    check_sampling(&mut c, scenario);
    check_billing(&mut c, scenario, k);
    if let Some(stack) = stack {
        check_chaos(&mut c, scenario, stack);
    }
    c.problems.into_result(())
}

/// The stack a scenario names, or the one advised for its answers; problems go to `problems`.
fn resolve_stack_checked<'k>(
    scenario: &Scenario,
    src: &SourceText,
    k: &'k Knowledge,
    problems: &mut Diagnostics,
) -> Option<&'k Stack> {
    let root = JsonPath::root();
    if let Some(id) = &scenario.stack {
        return match k.stack(id) {
            Some(stack) => Some(stack),
            None => {
                let ids: Vec<&str> = k.stacks.iter().map(|s| s.id.as_str()).collect();
                let hint = ids
                    .iter()
                    // the distance is at least the difference in length: a huge id costs nothing
                    .filter(|c| c.chars().count().abs_diff(id.chars().count()) <= 4)
                    .map(|c| (strsim::levenshtein(id, c), *c))
                    .filter(|(d, _)| *d <= 4)
                    .min()
                    .map(|(_, c)| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                problems.push(src.diagnostic_at(
                    &root.key("stack"),
                    format!("there is no stack `{id}` in the knowledge base{hint}"),
                    format!("use one of: {}", ids.join(", ")),
                ));
                None
            }
        };
    }
    if scenario.answers.is_some() {
        let value: serde_json::Value = serde_json::from_str(&src.text).unwrap_or_default();
        return match Answers::from_json(&value, src, &root.key("answers"), k) {
            Ok(answers) => k.stack(&rules::advise(k, &answers).stack.id),
            Err(more) => {
                problems.0.extend(more.0);
                None
            }
        };
    }
    problems.push(src.diagnostic_at(
        &root,
        "the scenario names no `stack` and has no `answers` to choose one".to_string(),
        "add \"stack\": \"<stack id>\" (see `statecraft check-knowledge`) or the wizard's \"answers\"".to_string(),
    ));
    None
}

/// The stack to simulate: the named one, or the advised one for the answers.
pub fn resolve_stack<'k>(scenario: &Scenario, k: &'k Knowledge) -> Option<&'k Stack> {
    if let Some(id) = &scenario.stack {
        return k.stack(id);
    }
    let answers = Answers {
        answers: scenario.answers.clone()?,
    };
    k.stack(&rules::advise(k, &answers).stack.id)
}
