//! `review DIR --observed FOCUS.csv` at the size of a real account: a decisions folder of 20 records
//! against a month of FOCUS rows for 50 services (about a million rows), with progress on stderr as
//! the command line shows it. Reading the bill is measured alone too.

use std::io::Write as _;
use std::path::Path;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use statecraft::domain::answers::Answers;
use statecraft::domain::decision;
use statecraft::domain::export::{self, Evidence, ExportOptions, RecordMeta};
use statecraft::domain::focus::{self, columns::COLUMNS};
use statecraft::domain::json_source::SourceText;
use statecraft::domain::knowledge::Knowledge;
use statecraft::domain::review::{self, Observed, ReviewOptions};
use statecraft::domain::sim::{Estimate, Scenario};

const RECORDS: usize = 20;
const SERVICES: usize = 50;
const DAYS: usize = 30;
/// Resources per service and day: 30 × 50 × 667 ≈ 1,000,000 rows.
const RESOURCES: usize = 667;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// 20 records of the serverless API at peaks of 100 to 1,050 requests/s.
fn folder(k: &Knowledge) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let src = SourceText::read(
        &repo().join("tests/fixtures/usecases/serverless.json"),
        "answers",
    )
    .expect("answers");
    let answers = Answers::parse(&src, k).expect("answers");
    let base = Scenario::read(
        &repo().join("assets/scenarios/apigw-lambda-dynamodb.json"),
        k,
    )
    .expect("scenario");
    for i in 0..RECORDS {
        let mut s = base.clone();
        s.traffic.peak_rps = Estimate::Exact(100.0 + 50.0 * i as f64);
        s.name = format!("Serverless API at {} requests/s", 100 + 50 * i);
        let record = decision::record(
            k,
            &answers,
            &Evidence {
                scenarios: vec![s],
                ..Evidence::default()
            },
            &ExportOptions {
                meta: RecordMeta {
                    status: "accepted".into(),
                    date: "2026-11-23".into(),
                    ..RecordMeta::default()
                },
                ..ExportOptions::default()
            },
        )
        .expect("record");
        export::write_next(&record, dir.path(), None, false, false).expect("write");
        eprint!(
            "\rwriting the decisions folder: {}/{RECORDS} records",
            i + 1
        );
    }
    eprintln!();
    dir
}

/// A month of FOCUS rows: the first record's simulated month, then 50 services × 30 days × 667
/// resources of other usage in another region.
fn bill(k: &Knowledge, dir: &Path) -> std::path::PathBuf {
    let path = dir.join("bill.csv");
    let s = Scenario::read(
        &repo().join("assets/scenarios/apigw-lambda-dynamodb.json"),
        k,
    )
    .expect("scenario");
    let report = statecraft::domain::sim::simulate(k, &s).expect("simulate");
    let month = focus::BillingMonth::parse("2026-11").expect("month");
    let own = focus::write_csv(k, &report, "us-east-1", month).expect("csv");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&path).expect("bill"));
    w.write_all(own.as_bytes()).expect("write");
    let names = [
        "AWS Lambda",
        "Amazon DynamoDB",
        "Amazon API Gateway",
        "Amazon Elastic Compute Cloud",
        "Amazon Simple Storage Service",
        "AmazonCloudWatch",
        "Amazon Relational Database Service",
        "Elastic Load Balancing",
        "Amazon CloudFront",
        "AWS Data Transfer",
    ];
    let at = |name: &str| COLUMNS.iter().position(|c| *c == name).expect("column");
    let mut row = vec![String::new(); COLUMNS.len()];
    for day in 1..=DAYS {
        for service in 0..SERVICES {
            let name = names
                .get(service)
                .map_or_else(|| format!("AWS Service {service}"), |n| (*n).to_string());
            for resource in 0..RESOURCES {
                row[at("BilledCost")] = format!("{:.6}", 0.001 * (resource % 7 + 1) as f64);
                row[at("EffectiveCost")] = row[at("BilledCost")].clone();
                row[at("ListCost")] = row[at("BilledCost")].clone();
                row[at("BillingCurrency")] = "USD".into();
                row[at("BillingPeriodStart")] = "2026-11-01T00:00:00Z".into();
                row[at("BillingPeriodEnd")] = "2026-12-01T00:00:00Z".into();
                row[at("ChargePeriodStart")] = format!("2026-11-{day:02}T00:00:00Z");
                row[at("ChargePeriodEnd")] = if day == DAYS {
                    "2026-12-01T00:00:00Z".into()
                } else {
                    format!("2026-11-{:02}T00:00:00Z", day + 1)
                };
                row[at("ChargeCategory")] = "Usage".into();
                row[at("ChargeFrequency")] = "Usage-Based".into();
                row[at("ServiceName")] = name.clone();
                row[at("RegionId")] = "us-west-2".into();
                row[at("ConsumedQuantity")] = format!("{}", resource % 13 + 1);
                row[at("ConsumedUnit")] = "Hrs".into();
                row[at("ProviderName")] = "AWS".into();
                row[at("ResourceId")] =
                    format!("arn:aws:service{service}:us-west-2:123456789012:r/{resource}");
                row[at("x_UsageType")] = format!("USW2-Usage{}", resource % 5);
                let line = row
                    .iter()
                    .map(|f| {
                        if f.contains(',') {
                            format!("\"{f}\"")
                        } else {
                            f.clone()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(",");
                writeln!(w, "{line}").expect("write");
            }
        }
    }
    w.flush().expect("flush");
    path
}

fn benches(c: &mut Criterion) {
    let k = Knowledge::shipped().expect("knowledge");
    let dir = folder(&k);
    let bills = tempfile::tempdir().expect("temp dir");
    let path = bill(&k, bills.path());
    let size = std::fs::metadata(&path).map_or(0, |m| m.len());
    eprintln!("the bill: {} MB", size / 1_000_000);

    let mut group = c.benchmark_group("review_observed");
    group.sample_size(10);
    group.bench_function("read a month of FOCUS rows (1M rows, 50 services)", |b| {
        b.iter(|| {
            let bill = focus::read_file(&path).expect("bill");
            assert!(bill.rows >= 1_000_000);
            bill
        })
    });
    group.bench_function("review 20 records against 1M FOCUS rows", |b| {
        b.iter(|| {
            let bill = focus::read::read_file_with_progress(&path, &|bytes, rows| {
                eprint!(
                    "\rreading the bill: {} of {} MB, {rows} rows\x1b[K",
                    bytes / 1_000_000,
                    size / 1_000_000
                )
            })
            .expect("bill");
            let options = ReviewOptions {
                today: "2026-12-01".into(),
                observed: Some(Observed {
                    bill: Arc::new(bill),
                    metrics: None,
                    calibrate: false,
                }),
                ..ReviewOptions::default()
            };
            let report =
                review::review_dir_with_progress(dir.path(), &k, &options, &|done, all, file| {
                    eprint!("\rreviewing {}/{all} {file}\x1b[K", done + 1)
                })
                .expect("review");
            assert_eq!(report.records.len(), RECORDS);
            assert!(report.records.iter().all(|r| r.observed.is_some()));
            report
        })
    });
    group.finish();
}

criterion_group!(review_observed, benches);
criterion_main!(review_observed);
