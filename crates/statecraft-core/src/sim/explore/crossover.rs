//! Where Lambda stops being cheaper than instances: the peak rate at which the two stacks' monthly
//! costs cross.

use super::*;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Crossover {
    pub lambda_stack: StackId,
    pub instance_stack: StackId,
    /// The peak rate above which the instances stack is cheaper (None: no crossing up to the cap).
    pub peak_rps: Option<f64>,
    pub monthly_usd: Option<Usd>,
}

/// The peak rate where a Lambda stack and the matching instance stack cost the same, by bisection on
/// the cost difference (the scenario's other inputs kept). Pairs stacks with the same session store.
pub fn lambda_crossover(k: &Knowledge, s: &Scenario) -> Option<Crossover> {
    let lambda = k.stacks.iter().find(|st| {
        st.topology.compute == ComputeKind::Lambda && st.topology.front.starts_with("apigw-http")
    })?;
    let instances = k
        .stacks
        .iter()
        .find(|st| {
            st.topology.compute == ComputeKind::Ec2
                && st.topology.session == lambda.topology.session
        })
        .or_else(|| {
            k.stacks
                .iter()
                .find(|st| st.topology.compute == ComputeKind::Ec2)
        })?;
    crossover_between(k, s, lambda, instances)
}

/// The composed twin of a composed stack on the other side of the serverless-versus-instances
/// question (API Gateway HTTP + Lambda against ALB + EC2, every other tier kept), and the crossover
/// between them; for a reference stack, the reference pair's.
pub fn lambda_crossover_for(k: &Knowledge, s: &Scenario, chosen: &str) -> Option<Crossover> {
    let reference = lambda_crossover(k, s);
    if reference
        .as_ref()
        .is_some_and(|c| c.lambda_stack == chosen || c.instance_stack == chosen)
    {
        return reference;
    }
    let (archetype, picks) = crate::knowledge::stack_ids::parse_id(k, chosen).ok()?;
    let st = k.stack(chosen)?;
    let swap = |front: &str, compute: &str| {
        let mut p = picks.clone();
        for (tier, svc) in &mut p {
            match tier {
                crate::knowledge::StackTier::Front => *svc = front.to_string(),
                crate::knowledge::StackTier::Compute => *svc = compute.to_string(),
                _ => {}
            }
        }
        crate::knowledge::stack_ids::composed_id(archetype, &p)
    };
    let (lambda, instances) = match (st.topology.compute, st.topology.front.as_str()) {
        (ComputeKind::Lambda, "apigw-http") => (chosen.to_string(), swap("alb", "ec2")),
        (ComputeKind::Ec2, "alb") => (swap("apigw-http", "lambda"), chosen.to_string()),
        _ => return None,
    };
    crossover_between(k, s, k.stack(&lambda)?, k.stack(&instances)?)
}

/// Where two stacks' monthly costs cross, by bisection on their difference (Lambda cheaper below).
fn crossover_between(
    k: &Knowledge,
    s: &Scenario,
    lambda: &crate::knowledge::Stack,
    instances: &crate::knowledge::Stack,
) -> Option<Crossover> {
    let diff = |r: f64| {
        monthly_cost(k, lambda, &serving_variant(s, &lambda.id, r)).0
            - monthly_cost(k, instances, &serving_variant(s, &instances.id, r)).0
    };
    let (mut lo, mut hi) = (1.0, 1.0);
    // Lambda is cheaper at low traffic; find a rate where it no longer is
    if diff(lo) >= 0.0 {
        return Some(Crossover {
            lambda_stack: lambda.id.clone().into(),
            instance_stack: instances.id.clone().into(),
            peak_rps: None,
            monthly_usd: None,
        });
    }
    let mut found = false;
    while hi < super::super::check::MAX_PEAK_RPS {
        hi *= 2.0;
        if diff(hi) >= 0.0 {
            found = true;
            break;
        }
        lo = hi;
    }
    if !found {
        return Some(Crossover {
            lambda_stack: lambda.id.clone().into(),
            instance_stack: instances.id.clone().into(),
            peak_rps: None,
            monthly_usd: None,
        });
    }
    for _ in 0..30 {
        let mid = 0.5 * (lo + hi);
        if diff(mid) < 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo < 0.5 {
            break;
        }
    }
    let r = 0.5 * (lo + hi);
    Some(Crossover {
        lambda_stack: lambda.id.clone().into(),
        instance_stack: instances.id.clone().into(),
        peak_rps: Some(r),
        monthly_usd: Some(monthly_cost(k, lambda, &serving_variant(s, &lambda.id, r))),
    })
}
