//! The decision map: over peak traffic × a second input, the cheapest candidate stack in each cell
//! whose p99 meets the scenario's target, with a first answer drawn from fewer runs while the
//! exact one computes.

use super::*;

/// The second input of a decision-region sweep (the first is always the peak rate).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SweepInput {
    SessionKb,
    RequestMs,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cell {
    pub peak_rps: f64,
    pub y: f64,
    /// The cheapest stack whose p99 meets the target and that drops under 0.1% of requests (None: none does).
    pub best: Option<StackId>,
    pub best_usd: Option<Usd>,
    /// Every candidate stack's figures in the cell.
    pub candidates: Vec<Candidate>,
}

/// A candidate stack's figures in one cell of the decision map.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Candidate {
    pub stack: StackId,
    pub monthly_usd: Usd,
    pub p99_ms: Millis,
    /// Its p99 meets the target and it drops under 0.1% of requests.
    pub meets_target: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DecisionRegions {
    pub y_input: SweepInput,
    pub peak_rps: Vec<f64>,
    pub y: Vec<f64>,
    pub latency_target_ms: Millis,
    /// Row-major: `cells[iy * peak_rps.len() + ix]`.
    pub cells: Vec<Cell>,
    pub crossover: Option<Crossover>,
    /// A first answer says how it was made (the exact map has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisional: Option<String>,
}

/// Whether a stack (reference or composed) is worth comparing for dynamic traffic: it has compute
/// and every service priced.
pub fn comparable(k: &Knowledge, id: &str) -> bool {
    k.stack(id).is_some_and(|st| {
        st.topology.compute != ComputeKind::None && st.services.iter().all(|sv| sv.service != "msk")
    })
}

/// The reference stacks worth comparing for dynamic traffic.
pub fn default_candidates(k: &Knowledge) -> Vec<String> {
    k.stacks
        .iter()
        .filter(|st| comparable(k, &st.id))
        .map(|st| st.id.clone())
        .collect()
}

/// Sweeps peak rate × `y_input`; in each cell, the cheapest candidate that meets the scenario's latency
/// target. Also finds where Lambda stops being cheaper than instances.
pub fn decision_regions(
    k: &Knowledge,
    s: &Scenario,
    peak_rps: &[f64],
    y_input: SweepInput,
    y: &[f64],
    candidates: &[String],
) -> Result<DecisionRegions, Diagnostics> {
    // the scenario is checked before the crossover, run beside the cells, reads it
    s.validate(k)?;
    let (regions, crossover) = rayon::join(
        || decision_rows(k, s, peak_rps, y_input, y, candidates, Pass::Exact),
        || lambda_crossover(k, s),
    );
    let mut regions = regions?;
    regions.crossover = crossover;
    Ok(regions)
}

/// The cells of [`decision_regions`], without the crossover.
fn decision_rows(
    k: &Knowledge,
    s: &Scenario,
    peak_rps: &[f64],
    y_input: SweepInput,
    y: &[f64],
    candidates: &[String],
    pass: Pass,
) -> Result<DecisionRegions, Diagnostics> {
    s.validate(k)?;
    check_rates(peak_rps)?;
    if y.is_empty()
        || y.len() > 100
        || peak_rps.len() > 100
        || y.iter().any(|v| !(*v > 0.0 && *v <= 100_000.0))
    {
        return Err(Diagnostic::new(
            "(request)",
            "a sweep has 1 to 100 values per input, each above 0 and at most 100,000",
            "ask for fewer or smaller values",
        )
        .into());
    }
    let stacks: Vec<&Stack> = candidates
        .iter()
        .map(|id| checked_stack(k, id))
        .collect::<Result<_, _>>()?;
    let target = Millis(s.latency_target_ms);
    let grid: Vec<(f64, f64)> = y
        .iter()
        .flat_map(|&yv| peak_rps.iter().map(move |&r| (r, yv)))
        .collect();
    // every (cell, stack) asks for a day's cost and a steady latency; cells that differ only in what the
    // day does not read (the session size, for stacks without DynamoDB) share their runs
    let mut runs = Runs::new();
    let plans: Vec<Vec<CellPlan>> = grid
        .iter()
        .map(|&(r, yv)| {
            stacks
                .iter()
                .map(|st| {
                    let mut v = serving_variant(s, &st.id, r);
                    match y_input {
                        SweepInput::SessionKb => v.traffic.session_kb = Estimate::Exact(yv),
                        SweepInput::RequestMs => v.traffic.request_ms = Estimate::Exact(yv),
                    }
                    let inputs = Inputs::likely(&v);
                    let cost_run = runs.add(pass.model(Model::build(k, st, &v, inputs)), false);
                    let requests = pass.steady_requests(STEADY_REQUESTS / 2);
                    let (lat_model, lat_inputs) = steady_model(k, st, &v, requests);
                    let lat_run = runs.add(pass.model(lat_model), true);
                    CellPlan {
                        scenario: v,
                        inputs,
                        cost_run,
                        lat_inputs,
                        lat_run,
                    }
                })
                .collect()
        })
        .collect();
    let outcomes = runs.run();
    let cells = grid
        .par_iter()
        .zip(plans.par_iter())
        .map(|(&(r, yv), plan)| {
            let candidates: Vec<Candidate> = stacks
                .iter()
                .zip(plan)
                .map(|(st, p)| {
                    let usage = &outcomes[p.cost_run].usage;
                    let usd = cost::monthly(k, st, &p.scenario, &p.inputs, usage).monthly_usd;
                    let lat = steady_point(&p.lat_inputs, &outcomes[p.lat_run]);
                    let ok = lat.p99_ms <= target && lat.error_share < 0.001;
                    Candidate {
                        stack: st.id.clone().into(),
                        monthly_usd: usd,
                        p99_ms: lat.p99_ms,
                        meets_target: ok,
                    }
                })
                .collect();
            let best = candidates
                .iter()
                .filter(|c| c.meets_target)
                .min_by(|a, b| a.monthly_usd.0.total_cmp(&b.monthly_usd.0));
            Cell {
                peak_rps: r,
                y: yv,
                best: best.map(|b| b.stack.clone()),
                best_usd: best.map(|b| b.monthly_usd),
                candidates,
            }
        })
        .collect();
    Ok(DecisionRegions {
        y_input,
        peak_rps: peak_rps.to_vec(),
        y: y.to_vec(),
        latency_target_ms: target,
        cells,
        crossover: None,
        provisional: (pass == Pass::First).then(|| {
            "provisional: one-minute steps and a fifth of the walked requests in every cell, no Lambda crossover yet; refining…".to_string()
        }),
    })
}

/// The first of a decision map's first answers, in about a tenth of its time: the row of the middle
/// value of `y` computed as a first pass ([`Pass::First`]), every other row drawn as that row (its
/// cells' `y` set to theirs), and no crossover. Then [`decision_regions_first_pass`], then the exact
/// map; the GUI shows each, marked provisional, until the exact one replaces it.
pub fn decision_regions_first(
    k: &Knowledge,
    s: &Scenario,
    peak_rps: &[f64],
    y_input: SweepInput,
    y: &[f64],
    candidates: &[String],
) -> Result<DecisionRegions, Diagnostics> {
    let mid = y.get(y.len() / 2).copied().unwrap_or(1.0);
    let mut row = decision_rows(k, s, peak_rps, y_input, &[mid], candidates, Pass::First)?;
    let cells = y
        .iter()
        .flat_map(|&yv| row.cells.iter().map(move |c| Cell { y: yv, ..c.clone() }))
        .collect();
    row.y = y.to_vec();
    row.cells = cells;
    row.provisional = Some(
        "provisional: every row drawn as the middle session size's (one-minute steps, a fifth of the walked requests); refining…"
            .to_string(),
    );
    Ok(row)
}

/// The second first answer for [`decision_regions`], in about a third of its time: every cell
/// computed as a first pass ([`Pass::First`]: costs within 0.1% of the exact ones, percentiles from a
/// fifth of the walked requests), no crossover.
pub fn decision_regions_first_pass(
    k: &Knowledge,
    s: &Scenario,
    peak_rps: &[f64],
    y_input: SweepInput,
    y: &[f64],
    candidates: &[String],
) -> Result<DecisionRegions, Diagnostics> {
    decision_rows(k, s, peak_rps, y_input, y, candidates, Pass::First)
}
