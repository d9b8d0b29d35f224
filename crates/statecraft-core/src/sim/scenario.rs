//! A scenario: the stack to simulate (named, or advised from answers), its traffic, billing and scaling
//! settings, and optional chaos. It is a JSON file with a `schema_version`; `check.rs` holds the limits
//! every value must respect, so that no scenario within them can panic or run without end.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

mod billing;
mod settings;

pub use billing::{BillLines, Billing};
pub use settings::{ComputeSettings, Consistency, LambdaArch, ScheduledMin, StoreSettings};

use super::dist::{ServiceDist, SimRng};
use super::traffic::{Burst, Shape};
use crate::diagnostic::{Diagnostic, Diagnostics, JsonPath};
use crate::json_source::SourceText;
use crate::knowledge::{AnswerValue, Knowledge, Stack};

/// The scenario format this build reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

pub(crate) const SCENARIO_SHAPE: &str = "a scenario object {\"schema_version\": 1, \"stack\": \"<stack id>\", \"traffic\": {\"peak_rps\": …}, …}";

/// A value known exactly, or as a low / likely / high range for the Monte Carlo bands.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Estimate {
    Exact(f64),
    Range { low: f64, likely: f64, high: f64 },
}

impl Estimate {
    /// The value a single run uses.
    pub fn likely(&self) -> f64 {
        match *self {
            Estimate::Exact(v) => v,
            Estimate::Range { likely, .. } => likely,
        }
    }

    pub fn is_range(&self) -> bool {
        matches!(self, Estimate::Range { low, high, .. } if low < high)
    }

    pub fn values(&self) -> [f64; 3] {
        match *self {
            Estimate::Exact(v) => [v, v, v],
            Estimate::Range { low, likely, high } => [low, likely, high],
        }
    }

    /// A draw from the triangular distribution over low / likely / high.
    /// Exactly zero (a field the scenario file may leave out).
    pub fn is_zero(&self) -> bool {
        *self == Estimate::Exact(0.0)
    }

    pub fn sample(&self, rng: &mut SimRng) -> f64 {
        match *self {
            Estimate::Exact(v) => v,
            Estimate::Range { low, likely, high } => {
                if high <= low {
                    return likely;
                }
                let mode = likely.clamp(low, high);
                match rand_distr::Triangular::new(low, high, mode) {
                    Ok(t) => rand_distr::Distribution::sample(&t, rng),
                    Err(_) => likely,
                }
            }
        }
    }
}

impl From<f64> for Estimate {
    fn from(v: f64) -> Self {
        Estimate::Exact(v)
    }
}

impl<'de> Deserialize<'de> for Estimate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EstimateVisitor;
        impl<'de> Visitor<'de> for EstimateVisitor {
            type Value = Estimate;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number or {\"low\": n, \"likely\": n, \"high\": n}")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Estimate, E> {
                Ok(Estimate::Exact(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Estimate, E> {
                Ok(Estimate::Exact(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Estimate, E> {
                Ok(Estimate::Exact(v as f64))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Estimate, A::Error> {
                let (mut low, mut likely, mut high) = (None, None, None);
                while let Some(key) = map.next_key::<String>()? {
                    let slot = match key.as_str() {
                        "low" => &mut low,
                        "likely" => &mut likely,
                        "high" => &mut high,
                        other => {
                            return Err(de::Error::unknown_field(
                                other,
                                &["low", "likely", "high"],
                            ));
                        }
                    };
                    *slot = Some(map.next_value::<f64>()?);
                }
                match (low, likely, high) {
                    (Some(low), Some(likely), Some(high)) => {
                        Ok(Estimate::Range { low, likely, high })
                    }
                    (None, _, _) => Err(de::Error::missing_field("low")),
                    (_, None, _) => Err(de::Error::missing_field("likely")),
                    (_, _, None) => Err(de::Error::missing_field("high")),
                }
            }
        }
        deserializer.deserialize_any(EstimateVisitor)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub schema_version: u32,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// The stack to simulate; without it, the stack that `advise` gives for `answers`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stack: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answers: Option<BTreeMap<String, AnswerValue>>,
    #[serde(default = "default_seed")]
    pub seed: u64,
    pub traffic: Traffic,
    /// Explicit users with carts (the Chaos Monkey test): every request of every user is simulated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population: Option<Population>,
    #[serde(default)]
    pub billing: Billing,
    #[serde(default)]
    pub compute: ComputeSettings,
    #[serde(default)]
    pub stores: StoreSettings,
    #[serde(default = "default_horizon")]
    pub horizon_s: f64,
    #[serde(default = "default_latency_target")]
    pub latency_target_ms: f64,
    #[serde(default)]
    pub chaos: Vec<ChaosEvent>,
    #[serde(default)]
    pub sampling: Sampling,
    #[serde(default)]
    pub uncertainty: Uncertainty,
    /// Where each value came from, as `statecraft scenario --answers` writes it (`answered`,
    /// `default`, `profile`, `derived`): notes for the reader, not read by the simulator.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub origins: BTreeMap<String, String>,
    /// The sentence behind each origin (the profile's basis and source, the formula).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub basis: BTreeMap<String, String>,
}

/// The seed a new scenario or project starts with (any fixed number would do; a fixed one makes new
/// projects reproduce each other's numbers).
pub const DEFAULT_SEED: u64 = 42;

fn default_seed() -> u64 {
    DEFAULT_SEED
}
fn default_horizon() -> f64 {
    86_400.0
}
fn default_latency_target() -> f64 {
    300.0
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Traffic {
    /// The highest request rate of the day (the burst's top for a spiky day).
    pub peak_rps: Estimate,
    #[serde(default)]
    pub shape: Shape,
    #[serde(default)]
    pub burst: Burst,
    /// Mean compute time of a request, without its session-store and database calls.
    #[serde(default = "default_request_ms")]
    pub request_ms: Estimate,
    #[serde(default = "default_request_dist")]
    pub request_dist: ServiceDist,
    /// Coefficient of variation of lognormal request times.
    #[serde(default = "one")]
    pub request_cv: f64,
    /// Response size sent to the client.
    #[serde(default = "default_payload_kb")]
    pub payload_kb: Estimate,
    /// Request size the client sends (load balancers bill the bytes both ways).
    #[serde(default = "one")]
    pub request_kb: f64,
    #[serde(default = "default_session_kb")]
    pub session_kb: Estimate,
    /// Session-store reads and writes per request.
    #[serde(default = "one")]
    pub state_reads: f64,
    #[serde(default = "one")]
    pub state_writes: f64,
    /// Database queries per request (besides the session).
    #[serde(default = "one")]
    pub db_queries: f64,
    /// Of those queries, the writes (billed as writes: DynamoDB write units).
    #[serde(default)]
    pub db_writes: f64,
    /// Data kept in the database.
    #[serde(default = "default_stored_gb")]
    pub stored_gb: f64,
    /// Files kept in S3.
    #[serde(default)]
    pub files_gb: f64,
    /// Monthly active users (for sign-in pricing).
    #[serde(default = "default_users")]
    pub users: f64,
    /// Sessions open at the peak.
    #[serde(default = "default_sessions")]
    pub sessions: f64,
    /// How long a session lasts on average.
    #[serde(default = "default_session_minutes")]
    pub session_minutes: f64,
    /// Requests a CDN in front of the compute tier can answer from its caches (%): the same public
    /// answer for everyone, fresh for a minute or more. Only a stack with a CDN tier and a compute
    /// tier uses it; of these, `billing.lines.cdn_miss_ratio` still reach the origin.
    #[serde(
        default = "default_cacheable_pct",
        skip_serializing_if = "Estimate::is_zero"
    )]
    pub cacheable_pct: Estimate,
    /// Messages per second at the peak over a second front door for live connections (MQTT,
    /// WebSocket) beside the request door: that door meters these, not the requests. Unset, a
    /// live door meters the requests (it is the only door, or the team gave no message rate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live_messages_rps: Option<f64>,
    /// Minutes of video uploaded in the month, each transcoded into the renditions players stream
    /// (a stack with a transcoding tier bills them).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub video_minutes: f64,
    /// Hours broadcast live in the month, all channels together (a live-video tier bills them).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub live_hours: f64,
    /// Hours of live video each of the month's users watches (a live-video tier bills every
    /// viewer-hour).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub viewer_hours_per_user: f64,
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

fn default_request_ms() -> Estimate {
    Estimate::Exact(50.0)
}
fn default_request_dist() -> ServiceDist {
    ServiceDist::Lognormal
}
fn one() -> f64 {
    1.0
}
fn default_payload_kb() -> Estimate {
    Estimate::Exact(20.0)
}
fn default_session_kb() -> Estimate {
    Estimate::Exact(4.0)
}
fn default_stored_gb() -> f64 {
    10.0
}
fn default_users() -> f64 {
    10_000.0
}
fn default_sessions() -> f64 {
    1_000.0
}
fn default_session_minutes() -> f64 {
    30.0
}
fn default_cacheable_pct() -> Estimate {
    Estimate::Exact(0.0)
}

impl Traffic {
    pub fn with_peak(peak_rps: f64) -> Traffic {
        Traffic {
            peak_rps: Estimate::Exact(peak_rps),
            shape: Shape::default(),
            burst: Burst::default(),
            request_ms: default_request_ms(),
            request_dist: default_request_dist(),
            request_cv: 1.0,
            payload_kb: default_payload_kb(),
            request_kb: 1.0,
            session_kb: default_session_kb(),
            state_reads: 1.0,
            state_writes: 1.0,
            db_queries: 1.0,
            db_writes: 0.0,
            stored_gb: default_stored_gb(),
            files_gb: 0.0,
            users: default_users(),
            sessions: default_sessions(),
            session_minutes: default_session_minutes(),
            cacheable_pct: default_cacheable_pct(),
            live_messages_rps: None,
            video_minutes: 0.0,
            live_hours: 0.0,
            viewer_hours_per_user: 0.0,
        }
    }

    /// The traffic at the start of the run as a share of the peak.
    pub fn shape_share_at_start(&self) -> f64 {
        super::traffic::Profile {
            peak_rps: 1.0,
            shape: self.shape,
            burst: self.burst,
        }
        .share(0.0)
    }

    /// The usual daily peak as a share of the peak (below 1 only when a burst tops the day).
    pub fn usual_peak_share(&self) -> f64 {
        match self.shape {
            super::traffic::Shape::Spiky => 1.0 / self.burst.multiplier.max(1.0),
            _ => 1.0,
        }
    }
}

/// Users who each keep a session and a cart, send a request, think, and send the next.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Population {
    pub users: u32,
    #[serde(default = "default_think")]
    pub think_time_s: f64,
    /// Chance that a request adds an item to the user's cart.
    #[serde(default = "half")]
    pub cart_add_probability: f64,
    /// A session idle this long expires (that is not a loss).
    #[serde(default = "default_session_timeout")]
    pub session_timeout_s: f64,
}

fn default_think() -> f64 {
    5.0
}
fn half() -> f64 {
    0.5
}
fn default_session_timeout() -> f64 {
    1800.0
}

/// Something that goes wrong at a moment of the run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "kebab-case", deny_unknown_fields)]
pub enum ChaosEvent {
    /// Terminate one server, named by letter in launch order (A, B, C, …).
    KillServer { at_s: f64, server: String },
    /// Lose every server in one availability zone (0-based); a cache primary there fails over.
    LoseAz { at_s: f64, az: u32 },
    /// The session cache's primary fails and a replica takes over (or, with no replica, comes back empty).
    CacheFailover { at_s: f64 },
}

impl ChaosEvent {
    pub fn at_s(&self) -> f64 {
        match *self {
            ChaosEvent::KillServer { at_s, .. }
            | ChaosEvent::LoseAz { at_s, .. }
            | ChaosEvent::CacheFailover { at_s } => at_s,
        }
    }

    /// "kill server B", "lose AZ 0", "fail over the session cache".
    pub fn describe(&self) -> String {
        match self {
            ChaosEvent::KillServer { server, .. } => format!("kill server {server}"),
            ChaosEvent::LoseAz { az, .. } => format!("lose availability zone {az}"),
            ChaosEvent::CacheFailover { .. } => "fail over the session cache".to_string(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sampling {
    /// Requests simulated one by one across the run (in windows spread over the timeline); the rest of
    /// the traffic moves the scaling, cost and error counts without being walked request by request.
    #[serde(default = "default_sample_requests")]
    pub requests: u64,
    #[serde(default = "default_timeline_step")]
    pub timeline_step_s: f64,
    /// Walk every request (only for runs of at most `MAX_FULL_REQUESTS` requests).
    #[serde(default)]
    pub full: bool,
}

fn default_sample_requests() -> u64 {
    60_000
}
fn default_timeline_step() -> f64 {
    300.0
}

impl Default for Sampling {
    fn default() -> Self {
        Sampling {
            requests: default_sample_requests(),
            timeline_step_s: default_timeline_step(),
            full: false,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Uncertainty {
    /// Monte Carlo runs for the P10 / P50 / P90 bands (when some input is a range).
    #[serde(default = "default_runs")]
    pub runs: u32,
    /// Requests walked one by one in each Monte Carlo run.
    #[serde(default = "default_run_requests")]
    pub requests_per_run: u64,
}

fn default_runs() -> u32 {
    200
}
fn default_run_requests() -> u64 {
    4_000
}

impl Default for Uncertainty {
    fn default() -> Self {
        Uncertainty {
            runs: default_runs(),
            requests_per_run: default_run_requests(),
        }
    }
}

impl Scenario {
    /// A scenario for `stack` with default settings and the given peak.
    pub fn new(stack: &str, peak_rps: f64) -> Scenario {
        Scenario {
            schema_version: SCHEMA_VERSION,
            name: String::new(),
            description: String::new(),
            stack: Some(stack.to_string()),
            answers: None,
            seed: default_seed(),
            traffic: Traffic::with_peak(peak_rps),
            population: None,
            billing: Billing::default(),
            compute: ComputeSettings::default(),
            stores: StoreSettings::default(),
            horizon_s: default_horizon(),
            latency_target_ms: default_latency_target(),
            chaos: Vec::new(),
            sampling: Sampling::default(),
            uncertainty: Uncertainty::default(),
            origins: BTreeMap::new(),
            basis: BTreeMap::new(),
        }
    }

    /// Reads and checks a scenario file.
    pub fn read(path: &Path, k: &Knowledge) -> Result<Scenario, Diagnostics> {
        let src = SourceText::read(path, "scenario")?;
        Self::parse(&src, k)
    }

    /// Parses and checks a scenario: the schema version first (a newer file may hold fields this build
    /// does not know), then the shape, then every value against its limits and the knowledge base.
    pub fn parse(src: &SourceText, k: &Knowledge) -> Result<Scenario, Diagnostics> {
        let value: serde_json::Value = src.parse(SCENARIO_SHAPE)?;
        check_schema_version(src, &value)?;
        let scenario: Scenario = src.parse(SCENARIO_SHAPE)?;
        super::check::check(&scenario, src, k)?;
        Ok(scenario)
    }

    /// Checks a scenario built in memory (the GUI's sliders), placing problems in its JSON form.
    pub fn validate(&self, k: &Knowledge) -> Result<(), Diagnostics> {
        let text = serde_json::to_string_pretty(self).unwrap_or_default();
        let src = SourceText::new("(scenario)", text);
        super::check::check(self, &src, k)
    }

    /// The scenario as the JSON a file holds.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// The likely peak that reaches `stack`'s origin: the peak less what a CDN in front of its
    /// compute tier answers from its caches.
    pub fn origin_peak_rps(&self, stack: &Stack) -> f64 {
        let t = &self.traffic;
        t.peak_rps.likely()
            * (1.0 - super::model::edge_hit_share(stack, self, t.cacheable_pct.likely()))
    }

    /// True when some input is a low / likely / high range.
    pub fn has_ranges(&self) -> bool {
        let t = &self.traffic;
        [
            t.peak_rps,
            t.request_ms,
            t.payload_kb,
            t.session_kb,
            t.cacheable_pct,
        ]
        .iter()
        .any(Estimate::is_range)
    }
}

/// What is wrong with a scenario of schema version `n`, and the fix; `None` for this version.
pub(crate) fn version_problem(n: u64) -> Option<(String, String)> {
    let current = u64::from(SCHEMA_VERSION);
    if n == current {
        None
    } else if n > current {
        Some((
            format!(
                "this scenario uses schema version {n}, newer than this Statecraft reads (version {SCHEMA_VERSION})"
            ),
            format!(
                "open it with a newer Statecraft, or save it from there as schema version {SCHEMA_VERSION}"
            ),
        ))
    } else {
        Some((
            format!("`schema_version` is {n}; expected {SCHEMA_VERSION}"),
            format!("set \"schema_version\": {SCHEMA_VERSION}"),
        ))
    }
}

fn check_schema_version(src: &SourceText, value: &serde_json::Value) -> Result<(), Diagnostic> {
    let path = JsonPath::root().key("schema_version");
    let Some(object) = value.as_object() else {
        return Err(src.diagnostic_at(
            &JsonPath::root(),
            format!("expected {SCENARIO_SHAPE}"),
            "write the scenario as a JSON object; see assets/scenarios/ for examples",
        ));
    };
    match object.get("schema_version") {
        None => Err(src.diagnostic_at(
            &JsonPath::root(),
            "there is no `schema_version`; expected \"schema_version\": 1",
            "add \"schema_version\": 1 at the top of the scenario",
        )),
        Some(v) => match v.as_u64() {
            Some(n) => match version_problem(n) {
                None => Ok(()),
                Some((message, fix)) => Err(src.diagnostic_at(&path, message, fix)),
            },
            None => Err(src.diagnostic_at(
                &path,
                format!("`schema_version` is {v}; expected {SCHEMA_VERSION}"),
                format!("set \"schema_version\": {SCHEMA_VERSION}"),
            )),
        },
    }
}
