//! What a record predicts, stated plainly and kept in the hashed evidence: the monthly cost per
//! service and in total (P10 / P50 / P90 over the scenario's ranges; one point when nothing is a
//! range), the month's usage per price, requests a month, the p99 against the team's target, the
//! peak of instances or Lambda concurrency, and the sessions a server kill loses. `statecraft review
//! DIR --observed FOCUS.csv` sets them against the team's real bill.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::format;
use crate::sim::SimReport;
use crate::sim::stats::Band;

/// A month's usage of one price, in the price's unit.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UsagePrediction {
    pub quantity: f64,
    pub unit: String,
}

/// One service's predicted month.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServicePrediction {
    pub monthly_usd: Band,
    /// By price id, at the likely inputs.
    pub usage: BTreeMap<String, UsagePrediction>,
}

/// What a record predicts for one scenario.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Predictions {
    /// The AWS region the bill is priced in.
    pub region: String,
    /// The hours of the predicted month (730 by AWS convention); a bill covering other hours is
    /// scaled to these before it is compared.
    pub month_hours: f64,
    pub monthly_usd: Band,
    /// By service id (`lambda`, `dynamodb`, …).
    pub services: BTreeMap<String, ServicePrediction>,
    pub requests_per_month: f64,
    /// The scenario's peak request rate (its likely value).
    pub peak_rps: f64,
    pub p99_ms: Band,
    pub target_ms: f64,
    /// Instances at the peak, or Lambda's concurrent executions.
    pub peak_instances: f64,
    /// Sessions lost to the scenario's server kills; `None` when it kills no server.
    #[serde(default)]
    pub sessions_lost_on_kill: Option<u64>,
}

impl Predictions {
    /// The predictions of a simulated scenario, against the team's p99 target `target_ms`.
    pub fn of(
        report: &SimReport,
        region: &str,
        peak_rps: f64,
        target_ms: f64,
        lost_to_kills: Option<u64>,
    ) -> Self {
        let mut services: BTreeMap<String, ServicePrediction> = report
            .cost
            .service_bands
            .iter()
            .map(|(id, band)| {
                (
                    id.clone(),
                    ServicePrediction {
                        monthly_usd: rounded(*band),
                        usage: BTreeMap::new(),
                    },
                )
            })
            .collect();
        for l in report
            .cost
            .by_service
            .iter()
            .filter(|l| !l.price_id.is_empty())
        {
            let service = services.entry(l.service.clone()).or_default();
            let u = service.usage.entry(l.price_id.clone()).or_default();
            u.quantity = round6(u.quantity + l.quantity);
            u.unit = l.unit.clone();
        }
        Predictions {
            region: region.to_string(),
            month_hours: report.cost.month_hours,
            monthly_usd: rounded(report.cost.bands),
            services,
            requests_per_month: (report.requests_total as f64 * report.cost.month_hours * 3600.0
                / report.horizon_s.max(1e-9))
            .round(),
            peak_rps,
            p99_ms: Band {
                p10: round2(report.latency.p99_bands.p10),
                p50: round2(report.latency.p99_bands.p50),
                p90: round2(report.latency.p99_bands.p90),
            },
            target_ms,
            peak_instances: round2(report.peak_instances),
            sessions_lost_on_kill: lost_to_kills,
        }
    }

    /// One sentence per prediction, for the record's prose.
    pub fn sentences(&self) -> Vec<String> {
        let band = |b: &Band| {
            if (b.p90 - b.p10).abs() < 0.005 {
                format::usd(b.p50)
            } else {
                // the band's median, which the seeded run quoted elsewhere in the record need not be
                format!(
                    "{} (the runs' median; P10 {} · P90 {})",
                    format::usd(b.p50),
                    format::usd(b.p10),
                    format::usd(b.p90)
                )
            }
        };
        let mut out = vec![format!(
            "The month ({} hours in {}) costs {} in all",
            format::number(self.month_hours),
            self.region,
            band(&self.monthly_usd)
        )];
        for (id, s) in &self.services {
            out.push(format!("{id} costs {} a month", band(&s.monthly_usd)));
        }
        out.push(format!(
            "{} requests a month (a peak of {} requests/s)",
            format::number(self.requests_per_month),
            format::number(self.peak_rps)
        ));
        let p99 = if (self.p99_ms.p90 - self.p99_ms.p10).abs() < 0.05 {
            format!("{} ms", format::number(self.p99_ms.p50))
        } else {
            format!(
                "{} ms (the runs' median; P10 {} · P90 {} ms)",
                format::number(self.p99_ms.p50),
                format::number(self.p99_ms.p10),
                format::number(self.p99_ms.p90)
            )
        };
        out.push(format!(
            "p99 {p99} against the team's target of {} ms",
            format::number(self.target_ms)
        ));
        out.push(scaling_sentence(self.peak_instances));
        if let Some(lost) = self.sessions_lost_on_kill {
            out.push(format!("{lost} sessions lost when a server is killed"));
        }
        out
    }
}

/// How the predictions are checked, said once per record.
pub const HOW_CHECKED: &str = "Tag the stack's resources statecraft-decision with this record's number (an AWS cost allocation tag), export the month's bill from AWS Data Exports as \"FOCUS 1.0 with AWS columns\" (CSV), and run statecraft review on the decisions folder with --observed and the bill, and --cloudwatch with a metrics export for the requests and the p99. Each service's billed cost, scaled to the predicted month, is compared with its band (10 % beyond either end is drift); the usage the bill implies (requests, response sizes, instance-hours) is simulated again, and the record drifts if the decision no longer holds there: another stack is cheaper, or the p99 target is missed. With --calibrate, that usage is written back as a new scenario and a record that supersedes this one";

/// The peak of instances or Lambda's concurrent executions, said as a reader would: a stack with
/// nothing to scale (CloudFront and S3 serving a static site) runs none at all, not "at most 0".
fn scaling_sentence(peak: f64) -> String {
    if peak <= 0.0 {
        "No instances or functions to scale: the stack serves the peak from managed services alone"
            .to_string()
    } else if peak == 1.0 {
        "At most 1 instance or concurrent execution at the peak".to_string()
    } else {
        format!(
            "At most {} instances or concurrent executions at the peak",
            format::number(peak)
        )
    }
}

fn rounded(b: Band) -> Band {
    Band {
        p10: round2(b.p10),
        p50: round2(b.p50),
        p90: round2(b.p90),
    }
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stack_with_nothing_to_scale_is_not_said_to_run_at_most_zero_instances() {
        let none = scaling_sentence(0.0);
        assert!(!none.contains('0'), "{none}");
        assert!(
            none.starts_with("No instances or functions to scale"),
            "{none}"
        );
        assert_eq!(
            scaling_sentence(1.0),
            "At most 1 instance or concurrent execution at the peak"
        );
        assert_eq!(
            scaling_sentence(12.0),
            "At most 12 instances or concurrent executions at the peak"
        );
    }
}
