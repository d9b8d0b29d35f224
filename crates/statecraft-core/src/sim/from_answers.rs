//! What the team's answers say the system must carry (peak traffic, latency target, session size),
//! the scenario those answers describe, and where a team's own scenario disagrees with them.
//!
//! Every question id read here is declared in `knowledge::catalogue::QUESTIONS`: loading refuses a
//! knowledge base without it, or with another kind of answer than the one read here.

use crate::ids::QuestionId;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::answers::Answers;
use crate::format;
use crate::knowledge::profiles::{Profile, ProfileFigure};
use crate::knowledge::{AnswerValue, Knowledge};
use crate::sim::Scenario;
use crate::sim::scenario::Estimate;
use crate::sim::traffic::Shape;

/// The questions whose answers become scenario fields.
pub const PEAK_RPS: &str = "peak-rps";
pub const LATENCY_P99_MS: &str = "latency-p99-ms";
pub const SESSION_SIZE_KB: &str = "session-size-kb";
pub const BURSTINESS: &str = "burstiness";
/// Its options are AWS Region codes; loading checks each has a price pack.
pub use crate::knowledge::catalogue::DATA_RESIDENCY;
/// How many sessions are live at the busiest moment.
pub const SESSIONS_AT_PEAK: &str = "sessions-at-peak";
/// The name of the scenario a record simulates when the team gave none.
pub const FROM_ANSWERS: &str = "From the answers";

/// Without a peak answer or default (a pack that drops the question): the peak question's shipped
/// default, so a scenario is never simulated at a figure nobody declared.
const FALLBACK_PEAK_RPS: f64 = 100.0;

/// Whether the team's files are kept in S3 (a `file-uploads` answer).
const FILE_UPLOADS: &str = "file-uploads";
/// Whether the product keeps sessions at all.
const KEEPS_SESSIONS: &str = "keeps-sessions";
/// What founders know beside the peak: users a month and data kept (their usual answers are the
/// request profile's), and the advanced step's measurements that replace the profile's figures.
pub const MONTHLY_USERS: &str = "monthly-users";
pub const DATA_GB: &str = "data-gb";
pub const REQUEST_MS: &str = "request-ms";
pub const RESPONSE_KB: &str = "response-kb";
/// The share of requests a CDN in front of the compute tier can answer from its caches (%).
pub const CACHEABLE_SHARE: &str = "cacheable-share";
pub const MESSAGES_PER_SECOND: &str = "messages-per-second";
/// How long a session lasts (minutes).
const SESSION_LIFETIME_MIN: &str = "session-lifetime-min";
/// The media meters: minutes of video uploaded a month, hours broadcast live a month, and hours of
/// live video each of the month's users watches.
pub const VIDEO_MINUTES: &str = "video-minutes-month";
pub const LIVE_HOURS: &str = "live-hours-month";
pub const VIEWER_HOURS: &str = "viewer-hours-per-user";

/// What the answers expect of the system.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Expectations {
    pub peak_rps: Option<f64>,
    pub latency_target_ms: Option<f64>,
    pub session_kb: Option<f64>,
}

impl Expectations {
    pub fn of(answers: &Answers) -> Expectations {
        let number = |id: &str| match answers.get(id) {
            Some(AnswerValue::Number(n)) if n.is_finite() && *n > 0.0 => Some(*n),
            _ => None,
        };
        Expectations {
            peak_rps: number(PEAK_RPS),
            latency_target_ms: number(LATENCY_P99_MS),
            session_kb: number(SESSION_SIZE_KB),
        }
    }
}

/// Where a value of the scenario the answers describe came from.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "from", rename_all = "kebab-case")]
pub enum Origin {
    /// The team answered this question.
    Answered { question: QuestionId },
    /// The question was not answered: its default, the same one the wizard shows.
    Default { question: QuestionId },
    /// The request profile of the answered (or default) workload, with its basis and source.
    Profile {
        workload: String,
        figure: String,
        basis: String,
        source: String,
        as_of: String,
        estimate: bool,
    },
    /// A formula over the answers and the profile.
    Derived { how: String },
}

impl Origin {
    /// A figure of a workload's request profile, with its basis, source and date.
    pub fn of_profile(profile: &Profile, field: &str, f: &ProfileFigure) -> Origin {
        Origin::Profile {
            workload: profile.id.clone(),
            figure: field.into(),
            basis: f.basis.clone(),
            source: f.source.clone(),
            as_of: f.as_of.clone(),
            estimate: f.estimate,
        }
    }

    /// The contract's one word: `answered`, `default`, `profile` or `derived`.
    pub fn word(&self) -> &'static str {
        match self {
            Origin::Answered { .. } => "answered",
            Origin::Default { .. } => "default",
            Origin::Profile { .. } => "profile",
            Origin::Derived { .. } => "derived",
        }
    }

    /// One line for a reader: where the value came from.
    pub fn sentence(&self) -> String {
        match self {
            Origin::Answered { question } => format!("answered (`{question}`)"),
            Origin::Default { question } => {
                format!("`{question}` not answered: the question's default")
            }
            Origin::Profile {
                workload,
                basis,
                source,
                as_of,
                estimate,
                ..
            } => format!(
                "the `{workload}` request profile{}: {basis} ({source}, {as_of})",
                if *estimate { " (an estimate)" } else { "" }
            ),
            Origin::Derived { how } => format!("derived: {how}"),
        }
    }
}

/// The scenario the answers describe, and where each of its values came from (keyed by the
/// scenario file's field path, e.g. `traffic.peak_rps`).
#[derive(Clone, Debug, PartialEq)]
pub struct Described {
    pub scenario: Scenario,
    pub origins: BTreeMap<&'static str, Origin>,
}

/// The team's answer to `id`, or, unanswered, the question's default (the one the wizard shows).
fn given(k: &Knowledge, answers: &Answers, id: &str) -> Option<AnswerValue> {
    answers
        .get(id)
        .cloned()
        .or_else(|| k.question(id).and_then(|q| q.default.clone()))
}

/// The answer the wizard shows for an unanswered question: its default, or, for a question whose usual
/// answer is a request profile's figure, that figure for the answered workload (monthly users: the
/// profile's users per request/s times the peak), with the sentence that says where it comes from.
pub fn usual_answer(
    knowledge: &Knowledge,
    answers: &Answers,
    question: &crate::knowledge::Question,
) -> Option<(AnswerValue, Option<String>)> {
    let Some(field) = &question.profile_default else {
        return question.default.clone().map(|d| (d, None));
    };
    let Some(AnswerValue::Choice(workload)) =
        given(knowledge, answers, crate::knowledge::profiles::WORKLOAD)
    else {
        return None;
    };
    let profile = knowledge.profile(&workload)?;
    let spec = crate::knowledge::profiles::FIELDS
        .iter()
        .find(|f| f.name == field)?;
    let figure = (spec.get)(profile);
    let mut value = figure.value;
    let mut how = Origin::of_profile(profile, field, figure).sentence();
    if field == "users_per_peak_rps" {
        let Some(AnswerValue::Number(peak)) = given(knowledge, answers, PEAK_RPS) else {
            return None;
        };
        value = (value * peak).round();
        how = format!(
            "{} users per request/s of the peak × {} requests/s, from {how}",
            crate::format::number(figure.value),
            crate::format::number(peak)
        );
    }
    Some((AnswerValue::Number(value), Some(how)))
}

/// The scenario the answers describe for `stack`; the seed is the project's.
pub fn scenario_from_answers(k: &Knowledge, stack: &str, answers: &Answers, seed: u64) -> Scenario {
    describe(k, stack, answers, seed).scenario
}

/// The scenario the answers describe for `stack`: the answered workload's request profile (compute,
/// sizes, store operations, logs, data kept), then the team's answers over it (peak, shape, latency
/// target, session size and count, Region). An unanswered question takes its default, the same one
/// the wizard shows, so the Simulator and the record simulate the same traffic.
pub fn describe(k: &Knowledge, stack: &str, answers: &Answers, seed: u64) -> Described {
    let mut origins = BTreeMap::new();
    // the answer, or the question's default, with its origin
    let mut read = |field: &'static str, id: &str| -> Option<AnswerValue> {
        let value = given(k, answers, id)?;
        let question = id.into();
        let origin = if answers.get(id).is_some() {
            Origin::Answered { question }
        } else {
            Origin::Default { question }
        };
        origins.insert(field, origin);
        Some(value)
    };
    let number = |v: Option<AnswerValue>| match v {
        Some(AnswerValue::Number(n)) if n.is_finite() && n >= 0.0 => Some(n),
        _ => None,
    };
    let peak = number(read("traffic.peak_rps", PEAK_RPS))
        .filter(|n| *n > 0.0)
        .unwrap_or(FALLBACK_PEAK_RPS);
    let mut s = Scenario::new(stack, peak);
    s.name = FROM_ANSWERS.to_string();
    s.seed = seed;
    if let Some(ms) = number(read("latency_target_ms", LATENCY_P99_MS)).filter(|n| *n > 0.0) {
        s.latency_target_ms = ms;
    }
    if let Some(kb) = number(read("traffic.session_kb", SESSION_SIZE_KB)) {
        s.traffic.session_kb = Estimate::Exact(kb);
    }
    if let Some(AnswerValue::Choice(region)) = read("billing.region", DATA_RESIDENCY) {
        s.billing.region = region;
    }
    if let Some(n) = number(read("traffic.sessions", SESSIONS_AT_PEAK)) {
        s.traffic.sessions = n;
    }
    if let Some(n) =
        number(read("traffic.session_minutes", SESSION_LIFETIME_MIN)).filter(|n| *n > 0.0)
    {
        s.traffic.session_minutes = n;
    }
    // a second door for the live connections meters their messages, not the requests
    if crate::knowledge::stack_ids::live_door(k, stack).is_some() {
        s.traffic.live_messages_rps =
            number(read("traffic.live_messages_rps", MESSAGES_PER_SECOND));
    }
    // the media meters, read only where the stack has the service that bills them
    let has = |service: &str| {
        k.stack(stack)
            .is_some_and(|st| st.services.iter().any(|svc| svc.service == service))
    };
    if has("mediaconvert") {
        s.traffic.video_minutes =
            number(read("traffic.video_minutes", VIDEO_MINUTES)).unwrap_or(0.0);
    }
    if has("ivs") {
        s.traffic.live_hours = number(read("traffic.live_hours", LIVE_HOURS)).unwrap_or(0.0);
        s.traffic.viewer_hours_per_user =
            number(read("traffic.viewer_hours_per_user", VIEWER_HOURS)).unwrap_or(0.0);
    }
    s.traffic.shape = match read("traffic.shape", BURSTINESS) {
        Some(AnswerValue::Choice(c)) if c == "steady" => Shape::Flat,
        Some(AnswerValue::Choice(c)) if c == "spiky" => Shape::Spiky,
        _ => Shape::BusinessHours,
    };
    // questions that choose the profile and what of it applies (not scenario fields themselves)
    let workload = match given(k, answers, crate::knowledge::profiles::WORKLOAD) {
        Some(AnswerValue::Choice(w)) => Some(w),
        _ => None,
    };
    let keeps_sessions = !matches!(
        given(k, answers, KEEPS_SESSIONS),
        Some(AnswerValue::Bool(false))
    );
    let uploads = matches!(
        given(k, answers, FILE_UPLOADS),
        Some(AnswerValue::Bool(true))
    );
    let profile = workload.as_deref().and_then(|w| k.profile(w));
    if let Some(p) = profile {
        apply_profile(k, stack, p, keeps_sessions, uploads, &mut s, &mut origins);
    }
    // the advanced answers a team measured replace the profile's figures
    // (only answered: unanswered, their usual answers are the profile's figures set above)
    let mut answered = |field: &'static str, id: &str| {
        let n = number(answers.get(id).cloned())?;
        origins.insert(
            field,
            Origin::Answered {
                question: id.into(),
            },
        );
        Some(n)
    };
    if let Some(n) = answered("traffic.users", MONTHLY_USERS) {
        s.traffic.users = n;
    }
    if let Some(n) = answered("traffic.stored_gb", DATA_GB) {
        s.traffic.stored_gb = n;
    }
    if has_edge_cache(k, stack)
        && let Some(n) = answered("traffic.cacheable_pct", CACHEABLE_SHARE)
    {
        s.traffic.cacheable_pct = Estimate::Exact(n.clamp(0.0, 100.0));
    }
    if let Some(n) = answered("traffic.payload_kb", RESPONSE_KB) {
        s.traffic.payload_kb = Estimate::Exact(n);
    }
    // a zero CPU time is no measurement: the profile's stays
    if let Some(n) = number(answers.get(REQUEST_MS).cloned()).filter(|n| *n > 0.0) {
        s.traffic.request_ms = Estimate::Exact(n);
        origins.insert(
            "traffic.request_ms",
            Origin::Answered {
                question: REQUEST_MS.into(),
            },
        );
    }
    if let Some(st) = k.stack(stack) {
        let mut sized = Vec::new();
        super::sizing::size(k, st, &mut s, &mut sized);
        super::mitigations::apply(k, st, &mut s, &mut sized);
        origins.extend(sized);
    }
    size_for_peak(&mut s);
    origins.insert(
        "compute.max",
        Origin::Derived {
            how: format!(
                "enough servers for the peak at {} % CPU, with half again as headroom",
                format::number(s.compute.target_utilisation * 100.0)
            ),
        },
    );
    Described {
        scenario: s,
        origins,
    }
}

/// Whether the stack `stack` names has a CDN in front of a compute tier.
fn has_edge_cache(k: &Knowledge, stack: &str) -> bool {
    k.stack(stack).is_some_and(super::model::has_edge_cache)
}

/// Sets the traffic figures the workload's profile gives, recording each one's basis and source.
fn apply_profile(
    k: &Knowledge,
    stack: &str,
    p: &Profile,
    keeps_sessions: bool,
    uploads: bool,
    s: &mut Scenario,
    origins: &mut BTreeMap<&'static str, Origin>,
) {
    let from = |field: &str, f: &ProfileFigure| Origin::of_profile(p, field, f);
    let range = |f: &ProfileFigure| {
        if f.low() < f.high() {
            Estimate::Range {
                low: f.low(),
                likely: f.value,
                high: f.high(),
            }
        } else {
            Estimate::Exact(f.value)
        }
    };
    let t = &mut s.traffic;
    t.request_ms = range(&p.request_ms);
    origins.insert("traffic.request_ms", from("request_ms", &p.request_ms));
    t.payload_kb = range(&p.response_kb);
    origins.insert("traffic.payload_kb", from("response_kb", &p.response_kb));
    t.request_kb = p.request_kb.value;
    origins.insert("traffic.request_kb", from("request_kb", &p.request_kb));
    if keeps_sessions {
        t.state_reads = p.state_reads.value;
        t.state_writes = p.state_writes.value;
        origins.insert("traffic.state_reads", from("state_reads", &p.state_reads));
        origins.insert(
            "traffic.state_writes",
            from("state_writes", &p.state_writes),
        );
    } else {
        t.state_reads = 0.0;
        t.state_writes = 0.0;
        for field in ["traffic.state_reads", "traffic.state_writes"] {
            origins.insert(
                field,
                Origin::Derived {
                    how: "`keeps-sessions` is no: no session is read or written".into(),
                },
            );
        }
    }
    t.db_queries = p.db_queries.value;
    origins.insert("traffic.db_queries", from("db_queries", &p.db_queries));
    t.db_writes = p.db_writes.value.min(t.db_queries);
    origins.insert("traffic.db_writes", from("db_writes", &p.db_writes));
    t.stored_gb = p.stored_gb.value;
    origins.insert("traffic.stored_gb", from("stored_gb", &p.stored_gb));
    t.users = (t.peak_rps.likely() * p.users_per_peak_rps.value)
        .round()
        .max(1.0);
    origins.insert(
        "traffic.users",
        Origin::Derived {
            how: format!(
                "the peak of {} requests/s × {} monthly users per request/s ({})",
                format::number(t.peak_rps.likely()),
                format::number(p.users_per_peak_rps.value),
                p.users_per_peak_rps.basis
            ),
        },
    );
    let has_s3 = k
        .stack(stack)
        .is_some_and(|st| st.services.iter().any(|svc| svc.service == "s3"));
    if uploads || has_s3 {
        t.files_gb = p.files_gb.value;
        origins.insert("traffic.files_gb", from("files_gb", &p.files_gb));
    } else {
        t.files_gb = 0.0;
        origins.insert(
            "traffic.files_gb",
            Origin::Derived {
                how: "no file uploads answered and no S3 in the stack: no files kept".into(),
            },
        );
    }
    if has_edge_cache(k, stack) {
        t.cacheable_pct = range(&p.edge_cacheable_pct);
        origins.insert(
            "traffic.cacheable_pct",
            from("edge_cacheable_pct", &p.edge_cacheable_pct),
        );
    }
    s.billing.lines.log_kb_per_request = p.log_kb.value;
    origins.insert(
        "billing.lines.log_kb_per_request",
        from("log_kb", &p.log_kb),
    );
}

/// Lets the group grow to what the peak needs at its target utilisation, with half again as
/// headroom, as an architect sizing the Auto Scaling group for the team's peak would (the simulator's
/// default `max` of 20 would leave a 20,000 requests/s peak mostly unserved). Sized for the smaller
/// of an instance's and a task's vCPUs, so it holds for either.
fn size_for_peak(s: &mut Scenario) {
    let vcpus = s
        .compute
        .vcpus_per_instance
        .min(s.compute.fargate_task_vcpu)
        .max(0.25);
    let needed = super::sizing::instances_for(s, s.traffic.peak_rps.likely(), vcpus);
    let c = &mut s.compute;
    let max = (needed * 1.5)
        .ceil()
        .min(f64::from(crate::sim::check::MAX_GROUP));
    if max.is_finite() && max > f64::from(c.max) {
        c.max = max as u32;
    }
}

/// The scenario with every range replaced by its likely value: one run, no Monte Carlo.
pub fn likely_only(scenario: &Scenario) -> Scenario {
    let mut s = scenario.clone();
    let t = &mut s.traffic;
    for e in [
        &mut t.peak_rps,
        &mut t.request_ms,
        &mut t.payload_kb,
        &mut t.session_kb,
        &mut t.cacheable_pct,
    ] {
        *e = Estimate::Exact(e.likely());
    }
    s
}

/// A scenario figure that differs from the team's answer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Disagreement {
    /// `peak-rps`, `latency-p99-ms` or `session-size-kb`: the question the team answered.
    pub question: String,
    pub simulated: f64,
    pub expected: f64,
    /// "simulated at 600 requests/s; the team expects 1,500".
    pub sentence: String,
}

/// Where `scenario` disagrees with what the answers expect (by more than 1 %).
pub fn disagreements(expect: &Expectations, scenario: &Scenario) -> Vec<Disagreement> {
    let differs = |a: f64, b: f64| (a - b).abs() > 0.01 * b.abs().max(f64::MIN_POSITIVE);
    let mut out = Vec::new();
    let t = &scenario.traffic;
    if let Some(expected) = expect.peak_rps
        && differs(t.peak_rps.likely(), expected)
    {
        out.push(Disagreement {
            question: PEAK_RPS.into(),
            simulated: t.peak_rps.likely(),
            expected,
            sentence: format!(
                "simulated at a peak of {} requests/s; the team expects {}",
                format::number(t.peak_rps.likely()),
                format::number(expected)
            ),
        });
    }
    if let Some(expected) = expect.latency_target_ms
        && differs(scenario.latency_target_ms, expected)
    {
        out.push(Disagreement {
            question: LATENCY_P99_MS.into(),
            simulated: scenario.latency_target_ms,
            expected,
            sentence: format!(
                "the scenario's p99 target is {} ms; the team's is {} ms, and that is the one checked here",
                format::number(scenario.latency_target_ms),
                format::number(expected)
            ),
        });
    }
    if let Some(expected) = expect.session_kb
        && differs(t.session_kb.likely(), expected)
    {
        out.push(Disagreement {
            question: SESSION_SIZE_KB.into(),
            simulated: t.session_kb.likely(),
            expected,
            sentence: format!(
                "simulated with sessions of {} KB; the team expects {} KB",
                format::number(t.session_kb.likely()),
                format::number(expected)
            ),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(pairs: &[(&str, AnswerValue)]) -> Answers {
        let mut a = Answers::default();
        for (id, v) in pairs {
            a.set(*id, v.clone());
        }
        a
    }

    #[test]
    fn the_answers_scenario_carries_peak_target_session_and_shape() {
        let a = answers(&[
            (PEAK_RPS, AnswerValue::Number(1500.0)),
            (LATENCY_P99_MS, AnswerValue::Number(20.0)),
            (SESSION_SIZE_KB, AnswerValue::Number(12.0)),
            (BURSTINESS, AnswerValue::Choice("spiky".into())),
        ]);
        let k = Knowledge::shipped().unwrap();
        let s = scenario_from_answers(&k, "alb-fargate-jwt", &a, 7);
        assert_eq!(s.traffic.peak_rps.likely(), 1500.0);
        assert_eq!(s.latency_target_ms, 20.0);
        assert_eq!(s.traffic.session_kb.likely(), 12.0);
        assert_eq!(s.traffic.shape, Shape::Spiky);
        assert_eq!(s.seed, 7);
        assert_eq!(s.name, FROM_ANSWERS);
        assert!(disagreements(&Expectations::of(&a), &s).is_empty());
        // the default workload (a web app) takes 20 ms of CPU a request: 1,500 requests/s on 1 vCPU
        // at 50 % utilisation need 60 servers; 1.5x headroom
        assert_eq!(s.traffic.request_ms.likely(), 20.0);
        assert_eq!(s.compute.max, 90);
    }

    #[test]
    fn a_scenario_at_another_peak_and_target_is_flagged_with_both_figures() {
        let a = answers(&[
            (PEAK_RPS, AnswerValue::Number(1500.0)),
            (LATENCY_P99_MS, AnswerValue::Number(20.0)),
        ]);
        let s = Scenario::new("alb-fargate-jwt", 600.0);
        let found = disagreements(&Expectations::of(&a), &s);
        let sentences: Vec<&str> = found.iter().map(|d| d.sentence.as_str()).collect();
        assert_eq!(
            sentences,
            [
                "simulated at a peak of 600 requests/s; the team expects 1,500",
                "the scenario's p99 target is 300 ms; the team's is 20 ms, and that is the one checked here",
            ]
        );
    }

    #[test]
    fn data_that_must_stay_in_frankfurt_is_priced_in_frankfurt_for_the_sessions_said() {
        let a = answers(&[
            (DATA_RESIDENCY, AnswerValue::Choice("eu-central-1".into())),
            (SESSIONS_AT_PEAK, AnswerValue::Number(25_000.0)),
        ]);
        let k = Knowledge::shipped().unwrap();
        let s = scenario_from_answers(&k, "alb-ec2-elasticache-rds", &a, 42);
        assert_eq!(s.billing.region, "eu-central-1");
        assert_eq!(s.traffic.sessions, 25_000.0);
        // without an answer, the default region and session count stand
        let plain = scenario_from_answers(&k, "alb-ec2-elasticache-rds", &Answers::default(), 42);
        assert_eq!(plain.billing.region, "us-east-1");
        assert_eq!(
            plain.traffic.sessions,
            Scenario::new("alb-ec2-elasticache-rds", 1.0)
                .traffic
                .sessions
        );
    }
}
