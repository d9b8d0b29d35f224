//! The one list of ids the code reads from the knowledge, and the range each figure must fall in.
//! Loading checks a knowledge base against it, so a pack can neither remove a figure the simulator
//! needs nor give one a value that would poison a result (a latency of 1e300 ms, a concurrency limit
//! of 0.5); the code then reads the figure without a fallback number of its own.

use super::model::QuestionKind;

/// A figure the simulator reads, with the values it may take.
#[derive(Clone, Copy, Debug)]
pub struct FigureSpec {
    pub id: &'static str,
    /// Smallest and largest value (and `low`/`high`) the model accepts, in the figure's unit.
    pub min: f64,
    pub max: f64,
    /// A count (of environments, requests…) rather than a measure: a whole number.
    pub whole: bool,
    /// Why the model reads it, for the message when it is missing.
    pub used_for: &'static str,
}

const fn measure(id: &'static str, min: f64, max: f64, used_for: &'static str) -> FigureSpec {
    FigureSpec {
        id,
        min,
        max,
        whole: false,
        used_for,
    }
}

const fn count(id: &'static str, min: f64, max: f64, used_for: &'static str) -> FigureSpec {
    FigureSpec {
        id,
        min,
        max,
        whole: true,
        used_for,
    }
}

/// Every figure `sim::model` reads. Latencies are in ms (up to a minute), times in s (up to an
/// hour), limits and rates in AWS's units (up to ten million, beyond any published quota).
pub const FIGURES: &[FigureSpec] = &[
    measure(
        "apigw-http-added-latency",
        0.0,
        60_000.0,
        "API Gateway's added latency",
    ),
    measure(
        "dynamodb-getitem-latency",
        0.001,
        60_000.0,
        "DynamoDB session and data reads",
    ),
    measure(
        "elasticache-get-latency",
        0.001,
        60_000.0,
        "ElastiCache session reads",
    ),
    measure(
        "memorydb-get-latency",
        0.001,
        60_000.0,
        "MemoryDB session reads",
    ),
    measure(
        "memorydb-write-latency",
        0.001,
        60_000.0,
        "MemoryDB session and journal writes",
    ),
    measure(
        "in-process-session-read",
        0.0001,
        60_000.0,
        "in-memory session reads",
    ),
    measure(
        "cross-az-added-latency",
        0.0,
        60_000.0,
        "calls that cross Availability Zones",
    ),
    measure(
        "tls-handshake-server",
        0.0,
        60_000.0,
        "the TLS handshake of a new client connection",
    ),
    measure(
        "lambda-cold-start-duration",
        1.0,
        60_000.0,
        "Lambda cold starts",
    ),
    count(
        "lambda-concurrency-limit",
        1.0,
        10_000_000.0,
        "Lambda's concurrency limit",
    ),
    count(
        "lambda-scale-up-rate",
        1.0,
        10_000_000.0,
        "how fast Lambda adds environments",
    ),
    count(
        "apigw-throttle-steady",
        1.0,
        10_000_000.0,
        "API Gateway's steady throttle",
    ),
    count(
        "apigw-throttle-burst",
        1.0,
        10_000_000.0,
        "API Gateway's burst throttle",
    ),
    count(
        "dynamodb-partition-rcu",
        1.0,
        10_000_000.0,
        "DynamoDB's per-partition read limit",
    ),
    count(
        "dynamodb-partition-wcu",
        1.0,
        10_000_000.0,
        "DynamoDB's per-partition write limit",
    ),
    measure(
        "rds-t4g-micro-qps",
        1.0,
        1_000_000.0,
        "sizing the database class from the queries at the peak",
    ),
    measure(
        "rds-t4g-micro-cached-gb",
        0.001,
        1_000_000.0,
        "sizing the database class from the data kept",
    ),
    measure(
        "rds-t4g-medium-qps",
        1.0,
        1_000_000.0,
        "sizing the database class from the queries at the peak",
    ),
    count(
        "rds-t4g-micro-max-connections",
        1.0,
        1_000_000.0,
        "the database connections functions can hold without RDS Proxy",
    ),
    count(
        "rds-t4g-medium-max-connections",
        1.0,
        1_000_000.0,
        "the database connections functions can hold without RDS Proxy",
    ),
    measure(
        "msk-broker-ingress-mbps",
        0.1,
        10_000.0,
        "sizing MSK's brokers from the message rate",
    ),
    measure(
        "kafka-retention-hours",
        1.0,
        100_000.0,
        "sizing MSK's broker storage from the messages kept",
    ),
    count(
        "msk-replication-factor",
        1.0,
        10.0,
        "sizing MSK's broker storage (every message is kept this many times)",
    ),
    measure(
        "ec2-warmup",
        0.0,
        3_600.0,
        "how long a new instance warms up",
    ),
    measure(
        "elasticache-failover",
        0.0,
        3_600.0,
        "how long an ElastiCache failover takes",
    ),
];

/// Any other figure is still a quantity: finite, 0 or more, and below this.
pub const MAX_FIGURE: f64 = 1e12;

/// A price's amount in USD is at most this (per `per` units): no AWS price comes near it, and it
/// keeps every bill far from overflowing to "$inf".
pub const MAX_PRICE_USD: f64 = 1e6;

/// `per` (how many units a price is for) is at most this.
pub const MAX_PRICE_PER: f64 = 1e12;

/// `per` is at least this: a price per a thousandth of a unit is already odd, and `usd / per` with
/// `per` near zero (1e-300) overflows every bill to "$inf".
pub const MIN_PRICE_PER: f64 = 0.001;

/// A question the code reads by id (the simulator's scenario from the answers, the record).
#[derive(Clone, Copy, Debug)]
pub struct QuestionSpec {
    pub id: &'static str,
    pub kind: QuestionKind,
    /// Options the code compares the answer with.
    pub options: &'static [&'static str],
    pub used_for: &'static str,
}

/// The question whose options (besides `compose`) are reference stack ids: a team pins a stack.
pub const PIN_STACK: &str = "pin-stack";
/// `pin-stack`'s answer for "compose the stack from the answers".
pub const COMPOSE: &str = "compose";

/// The question whose options are AWS Region codes: the scenario is priced where the data must stay.
pub const DATA_RESIDENCY: &str = "data-residency";

pub const QUESTIONS: &[QuestionSpec] = &[
    QuestionSpec {
        id: "workload",
        kind: QuestionKind::Single,
        options: &[],
        used_for: "the record's context",
    },
    QuestionSpec {
        id: "peak-rps",
        kind: QuestionKind::Number,
        options: &[],
        used_for: "the simulated scenario's peak traffic",
    },
    QuestionSpec {
        id: "latency-p99-ms",
        kind: QuestionKind::Number,
        options: &[],
        used_for: "the scenario's latency target",
    },
    QuestionSpec {
        id: "session-size-kb",
        kind: QuestionKind::Number,
        options: &[],
        used_for: "the scenario's session size",
    },
    QuestionSpec {
        id: "burstiness",
        kind: QuestionKind::Single,
        options: &["steady", "daily-cycle", "spiky"],
        used_for: "the scenario's traffic shape",
    },
    QuestionSpec {
        id: DATA_RESIDENCY,
        kind: QuestionKind::Single,
        options: &[],
        used_for: "the Region the scenario is priced in (each option's id is a Region code)",
    },
    QuestionSpec {
        id: PIN_STACK,
        kind: QuestionKind::Single,
        options: &[COMPOSE],
        used_for: "pinning a reference stack (every other option's id is a stack id)",
    },
    QuestionSpec {
        id: "sessions-at-peak",
        kind: QuestionKind::Number,
        options: &[],
        used_for: "the scenario's live sessions at peak",
    },
    QuestionSpec {
        id: "monthly-users",
        kind: QuestionKind::Number,
        options: &[],
        used_for: "the scenario's monthly users (sign-in pricing)",
    },
    QuestionSpec {
        id: "data-gb",
        kind: QuestionKind::Number,
        options: &[],
        used_for: "the data the scenario's database keeps",
    },
    QuestionSpec {
        id: "request-ms",
        kind: QuestionKind::Number,
        options: &[],
        used_for: "the scenario's CPU time per request, replacing the profile's",
    },
    QuestionSpec {
        id: "response-kb",
        kind: QuestionKind::Number,
        options: &[],
        used_for: "the scenario's response size, replacing the profile's",
    },
    QuestionSpec {
        id: "messages-per-second",
        kind: QuestionKind::Number,
        options: &[],
        used_for: "the messages a second front door for live connections meters",
    },
    QuestionSpec {
        id: "cacheable-share",
        kind: QuestionKind::Number,
        options: &[],
        used_for: "the requests a CDN in front of the compute tier answers from its caches",
    },
    QuestionSpec {
        id: "session-lifetime-min",
        kind: QuestionKind::Number,
        options: &[],
        used_for: "the scenario's session length",
    },
    QuestionSpec {
        id: "video-minutes-month",
        kind: QuestionKind::Number,
        options: &[],
        used_for: "the minutes of video the scenario's transcoding tier bills",
    },
    QuestionSpec {
        id: "live-hours-month",
        kind: QuestionKind::Number,
        options: &[],
        used_for: "the hours broadcast live the scenario's live-video tier bills",
    },
    QuestionSpec {
        id: "viewer-hours-per-user",
        kind: QuestionKind::Number,
        options: &[],
        used_for: "the viewer-hours the scenario's live-video tier bills (× the month's users)",
    },
    QuestionSpec {
        id: "file-uploads",
        kind: QuestionKind::Bool,
        options: &[],
        used_for: "whether the scenario keeps files in S3",
    },
    QuestionSpec {
        id: "keeps-sessions",
        kind: QuestionKind::Bool,
        options: &[],
        used_for: "whether the scenario reads and writes sessions",
    },
];

/// Every price the cost model (`sim::cost`) and the scenario defaults (`sim::scenario`) read by id:
/// a pack may change them, not remove them, or a bill would show "not priced" where a cost belongs.
pub const PRICES: &[&str] = &[
    "alb-hours",
    "alb-lcu",
    "apigw-http-requests",
    "apigw-rest-requests",
    "apigw-websocket-connection-minutes",
    "apigw-websocket-messages",
    "aurora-io",
    "aurora-serverless-acu",
    "aurora-storage",
    "cloudfront-data-out",
    "cloudfront-https-requests",
    "cognito-mau",
    "data-transfer-out",
    "dynamodb-read-units",
    "dynamodb-storage",
    "dynamodb-write-units",
    "ec2-c7g-large",
    "ec2-m5-large",
    "ec2-t3-medium",
    "ecs-control-plane",
    "eks-control-plane",
    "elasticache-r7g-large",
    "elasticache-t4g-medium",
    "elasticache-t4g-micro",
    "elasticache-t4g-small",
    "fargate-memory",
    "fargate-vcpu",
    "lambda-duration-arm64",
    "lambda-duration-x86",
    "lambda-requests",
    "memorydb-data-written",
    "memorydb-r6g-large",
    "rds-gp3-storage",
    "rds-t4g-medium",
    "rds-t4g-micro",
    "s3-get",
    "s3-storage",
];

/// Stacks the code names: the Chaos Monkey comparison (`sim::chaos`, and the app's chaos screen) and
/// the simulator screen's stack comparison.
pub const STACKS: &[(&str, &str)] = &[
    (
        "alb-sticky-ec2-memory",
        "the Chaos Monkey test's stateful side",
    ),
    (
        "alb-ec2-elasticache-rds",
        "the Chaos Monkey test's stateless side",
    ),
    ("apigw-lambda-dynamodb", "the simulator's stack comparison"),
    ("alb-fargate-jwt", "the simulator's stack comparison"),
];

pub fn figure_spec(id: &str) -> Option<&'static FigureSpec> {
    FIGURES.iter().find(|f| f.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quoted kebab-case ids in a piece of source code.
    fn quoted_ids(source: &str) -> Vec<&str> {
        source
            .split('"')
            .skip(1)
            .step_by(2)
            .filter(|s| {
                s.contains('-')
                    && s.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            })
            .collect()
    }

    #[test]
    fn every_price_and_figure_the_code_names_is_in_the_catalogue() {
        let k = crate::knowledge::Knowledge::shipped().expect("the shipped knowledge");
        let code = [
            include_str!("../sim/cost.rs"),
            include_str!("../sim/scenario.rs"),
            include_str!("../sim/model.rs"),
            include_str!("../sim/chaos.rs"),
        ];
        for source in code {
            for id in quoted_ids(source) {
                if k.price(id).is_some() {
                    assert!(
                        PRICES.contains(&id),
                        "price `{id}` is read by the code but not in the catalogue"
                    );
                }
                if k.stack(id).is_some() {
                    assert!(
                        STACKS.iter().any(|(s, _)| *s == id),
                        "stack `{id}` is named by the code but not in the catalogue"
                    );
                }
                if k.figure(id).is_some() {
                    assert!(
                        figure_spec(id).is_some(),
                        "figure `{id}` is read by the code but not in the catalogue"
                    );
                }
            }
        }
        for id in PRICES {
            assert!(
                k.price(id).is_some(),
                "catalogued price `{id}` is not shipped"
            );
        }
    }
}
