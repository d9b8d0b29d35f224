//! What the team's answers say the system must carry (peak traffic, latency target, session size),
//! the scenario those answers describe, and where a team's own scenario disagrees with them.
//!
//! The question ids read here are declared in `QUESTION_IDS`; a test checks the shipped questions
//! have them, with numbers where numbers are read.

use serde::Serialize;

use crate::answers::Answers;
use crate::format;
use crate::knowledge::AnswerValue;
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
pub const QUESTION_IDS: [&str; 6] = [
    PEAK_RPS,
    LATENCY_P99_MS,
    SESSION_SIZE_KB,
    BURSTINESS,
    DATA_RESIDENCY,
    SESSIONS_AT_PEAK,
];

/// The name of the scenario a record simulates when the team gave none.
pub const FROM_ANSWERS: &str = "From the answers";

/// Without a peak answer (a pack that drops the question), the scenario's own default peak.
const FALLBACK_PEAK_RPS: f64 = 600.0;

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

/// The scenario the answers describe for `stack`: their peak traffic, daily shape, latency target and
/// session size; every other setting the simulator's default. The seed is the project's.
pub fn scenario_from_answers(stack: &str, answers: &Answers, seed: u64) -> Scenario {
    let expect = Expectations::of(answers);
    let mut s = Scenario::new(stack, expect.peak_rps.unwrap_or(FALLBACK_PEAK_RPS));
    s.name = FROM_ANSWERS.to_string();
    s.seed = seed;
    if let Some(ms) = expect.latency_target_ms {
        s.latency_target_ms = ms;
    }
    if let Some(kb) = expect.session_kb {
        s.traffic.session_kb = Estimate::Exact(kb);
    }
    if let Some(AnswerValue::Choice(region)) = answers.get(DATA_RESIDENCY) {
        s.billing.region = region.clone();
    }
    if let Some(AnswerValue::Number(n)) = answers.get(SESSIONS_AT_PEAK)
        && n.is_finite()
        && *n > 0.0
    {
        s.traffic.sessions = *n;
    }
    size_for_peak(&mut s);
    s.traffic.shape = match answers.get(BURSTINESS) {
        Some(AnswerValue::Choice(c)) if c == "steady" => Shape::Flat,
        Some(AnswerValue::Choice(c)) if c == "spiky" => Shape::Spiky,
        _ => Shape::BusinessHours,
    };
    s
}

/// Lets the group grow to what the peak needs at its target utilisation, with half again as
/// headroom, as an architect sizing the Auto Scaling group for the team's peak would (the simulator's
/// default `max` of 20 would leave a 20,000 requests/s peak mostly unserved). Sized for the smaller
/// of an instance's and a task's vCPUs, so it holds for either.
fn size_for_peak(s: &mut Scenario) {
    let c = &mut s.compute;
    let vcpus = c.vcpus_per_instance.min(c.fargate_task_vcpu).max(0.25);
    let busy = s.traffic.peak_rps.likely() * s.traffic.request_ms.likely() / 1000.0;
    let needed = busy / (vcpus * c.target_utilisation.max(0.05));
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
        let s = scenario_from_answers("alb-fargate-jwt", &a, 7);
        assert_eq!(s.traffic.peak_rps.likely(), 1500.0);
        assert_eq!(s.latency_target_ms, 20.0);
        assert_eq!(s.traffic.session_kb.likely(), 12.0);
        assert_eq!(s.traffic.shape, Shape::Spiky);
        assert_eq!(s.seed, 7);
        assert_eq!(s.name, FROM_ANSWERS);
        assert!(disagreements(&Expectations::of(&a), &s).is_empty());
        // 1,500 requests/s of 50 ms on 1 vCPU at 50 % utilisation need 150 servers; 1.5x headroom
        assert_eq!(s.compute.max, 225);
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
        let s = scenario_from_answers("alb-ec2-elasticache-rds", &a, 42);
        assert_eq!(s.billing.region, "eu-central-1");
        assert_eq!(s.traffic.sessions, 25_000.0);
        // without an answer, the default region and session count stand
        let plain = scenario_from_answers("alb-ec2-elasticache-rds", &Answers::default(), 42);
        assert_eq!(plain.billing.region, "us-east-1");
        assert_eq!(
            plain.traffic.sessions,
            Scenario::new("alb-ec2-elasticache-rds", 1.0)
                .traffic
                .sessions
        );
    }
}
