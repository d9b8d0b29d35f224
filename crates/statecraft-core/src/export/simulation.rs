//! A simulated scenario as the record shows it: the bill line by line (formula, price, its source and
//! date), the latency percentiles against the target, and what the chaos events did. Every figure
//! comes from the decision's findings (a `findings::Run`); nothing is computed here but its wording.

use crate::ids::StackId;
use serde::Serialize;

use super::super::findings::Run;
use super::super::format;
use super::super::knowledge::Knowledge;
use super::super::sim::SimReport;
use super::super::sim::from_answers::Expectations;
use super::super::sim::units::Millis;

/// One simulated scenario.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SimulationView {
    /// The scenario's name, or "Scenario 1".
    pub scenario: String,
    pub stack_id: StackId,
    pub stack_name: String,
    /// Whether it simulates the recommended stack.
    pub chosen_stack: bool,
    pub seed: u64,
    pub monthly_usd: String,
    /// "P10 $1.00 · P50 $2.00 · P90 $3.00", or why there is no band.
    pub bands: String,
    /// The band's upper end, for the confirmation ("a bill above $3.00").
    pub bands_high: String,
    /// "p50 12 ms, p95 30 ms, p99 45 ms".
    pub latency: String,
    pub p99: String,
    /// The team's p99 target where they answered one, else the scenario's.
    pub latency_target: String,
    /// p99 within `latency_target`, with no more than 1 % of the requests failed.
    pub meets_target: bool,
    /// `Good`, `Neutral` or `Bad`: the simulated month judged against the team's target, its band
    /// and its failed requests (the record's consequence for the chosen stack).
    pub verdict_kind: String,
    /// The sentence after "because".
    pub verdict: String,
    pub cost_rows: Vec<CostRow>,
    pub assumptions: Vec<String>,
    /// One sentence per chaos event.
    pub chaos: Vec<String>,
    pub sessions_lost: u64,
    /// Of `sessions_lost`, those the scenario's server kills lost (what a kill in production is
    /// checked against), and those scaling in lost (a kill does not cause them).
    pub sessions_lost_to_kills: u64,
    pub sessions_lost_to_scale_in: u64,
    pub requests_failed: u64,
    pub requests_total: u64,
    /// "0 of 16,848,000 requests failed and 0 sessions were lost".
    pub outcome: String,
    /// Whether some input was a range (so `bands` is a real band).
    pub has_band: bool,
    pub plots: Vec<PlotView>,
    /// The scenario was derived from the team's answers (no scenario of theirs was given).
    pub from_answers: bool,
    /// Where the scenario's figures differ from the team's answers, one sentence each ("simulated
    /// at a peak of 600 requests/s; the team expects 1,500").
    pub disagreements: Vec<String>,
    /// What the record predicts, one sentence each (cost per service and in all, requests, p99,
    /// instances, sessions lost), and how the predictions are checked against a real bill.
    pub predictions: Vec<String>,
    pub how_checked: String,
    /// For the scenario the answers describe: where each of its figures came from, one line each
    /// ("`traffic.request_ms` 0.2 ms: the `routing` request profile: …"), unanswered defaults marked.
    pub origins: Vec<String>,
}

/// A line of the bill.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CostRow {
    /// The service's name.
    pub service: String,
    pub item: String,
    pub monthly_usd: String,
    pub formula: String,
    /// The id in `knowledge/prices.json`.
    pub price_id: String,
    /// The price's page as written in the knowledge base, and as a link.
    pub price_source: String,
    pub price_link: Option<String>,
    pub price_as_of: String,
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlotView {
    pub title: String,
    /// The SVG file beside the record.
    pub file: String,
}

/// Words for a report.
pub fn view(
    k: &Knowledge,
    run: &Run,
    index: usize,
    chosen_stack: &str,
    expect: &Expectations,
) -> SimulationView {
    let (scenario, report) = (&run.scenario, &run.report);
    let name = if scenario.name.trim().is_empty() {
        format!("Scenario {}", index + 1)
    } else {
        scenario.name.trim().to_string()
    };
    let b = &report.cost.bands;
    let (bands, bands_high) = if report.monte_carlo_runs > 0 {
        (
            format!(
                "P10 {} · P50 {} · P90 {} over {} runs",
                format::usd(b.p10),
                format::usd(b.p50),
                format::usd(b.p90),
                format::number(f64::from(report.monte_carlo_runs))
            ),
            format::usd(b.p90),
        )
    } else {
        (
            "a single run: no input is a range, so there is no band".to_string(),
            format::usd(report.cost.monthly_usd.0),
        )
    };
    let l = &report.latency;
    // The team's target is the one a record checks; a scenario's own may have been left at its default.
    let target = expect.latency_target_ms.map_or(l.target_ms, Millis);
    let meets_target =
        !l.nothing_answered() && l.p99_ms.0 <= target.0 && l.missed_because.is_none();
    let (verdict_kind, verdict) = verdict(&name, report, target.0, meets_target);
    let cost_rows = report
        .cost
        .by_service
        .iter()
        .map(|line| CostRow {
            service: k
                .service(&line.service)
                .map_or_else(|| charge_name(&line.service), |s| s.name.clone()),
            item: line.item.clone(),
            monthly_usd: format::usd(line.monthly_usd.0),
            formula: line.formula.clone(),
            price_id: line.price_id.clone(),
            price_link: looks_like_url(&line.price_source).then(|| link(&line.price_source)),
            price_source: line.price_source.clone(),
            price_as_of: line.price_as_of.clone(),
            note: line.note.clone(),
        })
        .collect();
    let chaos = report
        .chaos
        .iter()
        .map(|c| {
            format!(
                "At {} s, {}: {} ({} sessions lost, {} requests failed).",
                format::number(c.at_s.0),
                c.event,
                c.effect,
                format::number(c.sessions_lost as f64),
                format::number(c.requests_failed as f64)
            )
        })
        .collect();
    SimulationView {
        scenario: name,
        stack_id: report.stack.id.clone().into(),
        stack_name: report.stack.name.clone(),
        chosen_stack: report.stack.id == chosen_stack,
        seed: report.seed,
        monthly_usd: format::usd(report.cost.monthly_usd.0),
        bands,
        bands_high,
        latency: format!("p50 {}, p95 {}, p99 {}", l.p50_ms, l.p95_ms, l.p99_ms),
        p99: l.p99_ms.to_string(),
        latency_target: target.to_string(),
        meets_target,
        verdict_kind: verdict_kind.to_string(),
        verdict,
        cost_rows,
        // the record escapes markdown in data, so code quotes would show as backslashes and
        // backticks: the field names read as plain words
        assumptions: report
            .cost
            .assumptions
            .iter()
            .map(|a| a.replace('`', ""))
            .collect(),
        chaos,
        sessions_lost: report.sessions_lost,
        sessions_lost_to_kills: run.sessions_lost_to_kills,
        sessions_lost_to_scale_in: report.sessions_lost_to_scale_in,
        requests_failed: report.requests_failed,
        requests_total: report.requests_total,
        outcome: format!(
            "{} of {} requests failed and {} sessions were lost",
            format::number(report.requests_failed as f64),
            format::number(report.requests_total as f64),
            format::number(report.sessions_lost as f64)
        ),
        has_band: report.monte_carlo_runs > 0,
        plots: Vec::new(),
        from_answers: false,
        disagreements: run
            .disagreements
            .iter()
            .map(|d| d.sentence.clone())
            .collect(),
        predictions: Vec::new(),
        how_checked: super::predictions::HOW_CHECKED.to_string(),
        origins: Vec::new(),
    }
}

/// The simulated month as a consequence: Bad when it misses the team's p99 target or fails requests
/// (the advice must not pass over what its own simulation refuses), Neutral when the likely run meets
/// the target but the band's upper end does not, Good when the band meets it too.
fn verdict(name: &str, report: &SimReport, target: f64, meets: bool) -> (&'static str, String) {
    let l = &report.latency;
    let month = format!(
        "the simulated scenario “{name}” costs {} a month",
        format::usd(report.cost.monthly_usd.0)
    );
    if l.nothing_answered() {
        return (
            "Bad",
            format!(
                "{month} and answers no request at all: {}",
                l.missed_because
                    .as_deref()
                    .unwrap_or("every request failed")
            ),
        );
    }
    let answers = format!(
        "answers in p50 {}, p95 {}, p99 {}",
        l.p50_ms, l.p95_ms, l.p99_ms
    );
    let failed = if report.requests_failed > 0 {
        format!(
            "; {} of {} requests failed",
            format::number(report.requests_failed as f64),
            format::number(report.requests_total as f64)
        )
    } else {
        String::new()
    };
    let target_text = format!("{} ms", format::number(target));
    if !meets {
        let why = l
            .missed_because
            .clone()
            .unwrap_or_else(|| format!("its p99 is over the team's target of {target_text}"));
        return ("Bad", format!("{month} and {answers}{failed}: {why}"));
    }
    if report.monte_carlo_runs > 0 && l.p99_bands.p90 > target {
        return (
            "Neutral",
            format!(
                "{month} and {answers}, within the team's p99 target of {target_text}{failed}, but over the uncertain inputs' ranges the p99 reaches {} ms at P90 (P10 {} · P50 {} ms over {} runs): the target holds only if the likely figures do",
                format::number(l.p99_bands.p90),
                format::number(l.p99_bands.p10),
                format::number(l.p99_bands.p50),
                format::number(f64::from(report.monte_carlo_runs))
            ),
        );
    }
    let band = if report.monte_carlo_runs > 0 {
        format!(
            " (P90 {} ms over {} runs)",
            format::number(l.p99_bands.p90),
            format::number(f64::from(report.monte_carlo_runs))
        )
    } else {
        String::new()
    };
    (
        "Good",
        format!(
            "{month} and {answers}, within the team's p99 target of {target_text}{band}{failed}"
        ),
    )
}

/// The name of a charge that is not a service in the knowledge base (`nat-gateway` → `NAT gateway`),
/// from the catalogue of bill-only services; an id it lacks reads as words.
pub fn charge_name(id: &str) -> String {
    if let Some((_, name)) = super::super::knowledge::prices::BILL_ONLY_SERVICES
        .iter()
        .find(|(known, _)| *known == id)
    {
        return (*name).to_string();
    }
    crate::format::capitalised(&id.replace('-', " "))
}

/// `aws.amazon.com/lambda/pricing` is a page; "AWS docs / blog" is not.
fn looks_like_url(text: &str) -> bool {
    !text.is_empty() && !text.contains(char::is_whitespace) && text.contains('.')
}

/// `aws.amazon.com/lambda/pricing` → `https://aws.amazon.com/lambda/pricing`, without the characters
/// that would end a markdown autolink early.
pub fn link(url: &str) -> String {
    let clean: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control() && !matches!(c, '<' | '>'))
        .collect();
    if clean.starts_with("https://") || clean.starts_with("http://") {
        clean
    } else {
        format!("https://{clean}")
    }
}
