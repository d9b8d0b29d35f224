//! A CloudWatch metrics export for the requests and the p99 a bill cannot tell: a CSV with one row
//! per period (an hour, a day) and the header `start,end,requests,p99_ms`:
//!
//! ```text
//! start,end,requests,p99_ms
//! 2026-11-01T00:00:00Z,2026-11-01T01:00:00Z,3600000,41.5
//! ```
//!
//! `requests` is the period's `Sum` of the front door's request count (ALB `RequestCount`, API
//! Gateway `Count`, Lambda `Invocations`), `p99_ms` its `p99` latency (ALB `TargetResponseTime` in
//! milliseconds, API Gateway `Latency`); `aws cloudwatch get-metric-data` gives both per period.
//! The month's p99 is taken as the request-weighted mean of the periods' p99s.

use std::path::Path;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Diagnostics};

/// What the metrics file came to.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ObservedMetrics {
    pub file: String,
    pub requests: f64,
    /// Hours from the first period's start to the last one's end.
    pub hours: f64,
    pub p99_ms: Option<f64>,
}

const HEADER: [&str; 4] = ["start", "end", "requests", "p99_ms"];

pub fn read_metrics(path: &Path) -> Result<ObservedMetrics, Diagnostics> {
    let file = path.display().to_string();
    let text = std::fs::read(path).map_err(|e| {
        Diagnostics::from(Diagnostic::new(
            &file,
            format!("cannot read the metrics file: {e}"),
            "check the path and that the file is readable",
        ))
    })?;
    parse(&text, &file)
}

pub fn parse(bytes: &[u8], file: &str) -> Result<ObservedMetrics, Diagnostics> {
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| bad(file, 1, 1, format!("not a CSV file: {e}")))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    if header != HEADER {
        return Err(bad(
            file,
            1,
            1,
            format!(
                "the header is `{}`; a metrics file's header is `{}`",
                header.join(","),
                HEADER.join(",")
            ),
        ));
    }
    let mut out = ObservedMetrics {
        file: file.to_string(),
        ..ObservedMetrics::default()
    };
    let (mut first, mut last) = (i64::MAX, i64::MIN);
    let mut weighted = 0.0;
    let mut weight = 0.0;
    for row in reader.records() {
        let row = row.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            bad(file, line, 1, format!("a row Statecraft cannot read: {e}"))
        })?;
        let line = row.position().map_or(0, |p| p.line() as usize);
        let time = |i: usize| {
            super::read::timestamp(&row[i]).ok_or_else(|| {
                bad(
                    file,
                    line,
                    i + 1,
                    format!(
                        "column `{}` holds `{}`, which is not a UTC date and time",
                        HEADER[i], &row[i]
                    ),
                )
            })
        };
        let number = |i: usize| -> Result<Option<f64>, Diagnostics> {
            let t = row[i].trim();
            if t.is_empty() && i == 3 {
                return Ok(None);
            }
            match t.parse::<f64>() {
                Ok(v) if v.is_finite() && v >= 0.0 => Ok(Some(v)),
                _ => Err(bad(
                    file,
                    line,
                    i + 1,
                    format!(
                        "column `{}` holds `{t}`, which is not a number of zero or more",
                        HEADER[i]
                    ),
                )),
            }
        };
        let (start, end) = (time(0)?, time(1)?);
        if end <= start {
            return Err(bad(
                file,
                line,
                2,
                "the period ends before it starts".into(),
            ));
        }
        first = first.min(start);
        last = last.max(end);
        let requests = number(2)?.unwrap_or(0.0);
        out.requests += requests;
        if let Some(p99) = number(3)? {
            weighted += p99 * requests.max(1e-9);
            weight += requests.max(1e-9);
        }
    }
    if first == i64::MAX {
        return Err(bad(file, 2, 1, "the file has no rows".into()));
    }
    out.hours = (last - first) as f64 / 3600.0;
    out.p99_ms = (weight > 0.0).then(|| weighted / weight);
    Ok(out)
}

fn bad(file: &str, line: usize, column: usize, message: String) -> Diagnostics {
    Diagnostic::new(
        file,
        message,
        "write the metrics as CSV with the header `start,end,requests,p99_ms`, one row per period, times like 2026-11-01T00:00:00Z",
    )
    .at(line.max(1), column)
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_summed_and_the_p99_weighted_by_requests() {
        let m = parse(
            b"start,end,requests,p99_ms\n2026-11-01T00:00:00Z,2026-11-01T01:00:00Z,100,10\n2026-11-01T01:00:00Z,2026-11-01T02:00:00Z,300,30\n",
            "m.csv",
        )
        .unwrap();
        assert_eq!(m.requests, 400.0);
        assert_eq!(m.hours, 2.0);
        assert_eq!(m.p99_ms, Some(25.0));
    }

    #[test]
    fn a_bad_value_names_line_and_column() {
        let e = parse(
            b"start,end,requests,p99_ms\n2026-11-01T00:00:00Z,2026-11-01T01:00:00Z,many,10\n",
            "m.csv",
        )
        .unwrap_err();
        assert_eq!((e.0[0].line, e.0[0].column), (Some(2), Some(3)));
        assert!(e.0[0].message.contains("`requests` holds `many`"));
    }
}
