//! Decisions that meet reality: `simulate --format focus` writes the simulated month as a FOCUS bill,
//! and `review DIR --observed FOCUS.csv` sets each record's predictions against such a bill: the
//! month it predicted holds, one service's usage tripled drifts (the line flagged, the implied usage
//! named, the cheaper stack named where the crossover is passed), and a bill in another currency or
//! from another provider is never mixed in.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{repo, statecraft, stderr, stdout, usecase_file};

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8")
}

const SCENARIO: &str = "assets/scenarios/apigw-lambda-dynamodb.json";

/// The simulated month of `scenario` as FOCUS CSV text (November 2026: 30 days).
fn focus_month(scenario: &str) -> String {
    let o = statecraft(&[
        "simulate",
        "--scenario",
        scenario,
        "--format",
        "focus",
        "--month",
        "2026-11",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stdout(&o)
}

/// A decisions folder with one record: the serverless use case's answers and `scenario`.
fn folder(answers: &str, scenario: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let o = statecraft(&[
        "export",
        "--answers",
        &usecase_file(answers),
        "--scenario",
        scenario,
        "--decisions-dir",
        s(dir.path()),
        "--date",
        "2026-11-23",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write the bill");
    path
}

fn review(dir: &Path, bill: &Path, extra: &[&str]) -> (i32, Value, String) {
    let mut args = vec![
        "review",
        s(dir),
        "--format",
        "json",
        "--date",
        "2026-12-01",
        "--observed",
        s(bill),
    ];
    args.extend_from_slice(extra);
    let o = statecraft(&args);
    let json = serde_json::from_str(&stdout(&o)).unwrap_or(Value::Null);
    (o.status.code().expect("an exit code"), json, stderr(&o))
}

/// The CSV with `ServiceName` rows of `service` changed by `change(row's fields by column name)`.
fn edit_rows(csv: &str, service: &str, change: impl Fn(&mut [String], &[String])) -> String {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let at = |name: &str| header.iter().position(|h| h == name).expect(name);
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header).expect("header");
    for row in reader.records() {
        let mut row: Vec<String> = row.expect("row").iter().map(str::to_string).collect();
        if row[at("ServiceName")] == service {
            change(&mut row, &header);
        }
        w.write_record(&row).expect("row");
    }
    String::from_utf8(w.into_inner().expect("csv")).expect("utf-8")
}

fn times(row: &mut [String], header: &[String], columns: &[&str], factor: f64) {
    for c in columns {
        let i = header.iter().position(|h| h == c).expect("column");
        let v: f64 = row[i].parse().expect("a number");
        row[i] = format!("{:.10}", v * factor);
    }
}

fn triple(row: &mut [String], header: &[String]) {
    times(
        row,
        header,
        &[
            "BilledCost",
            "EffectiveCost",
            "ListCost",
            "ContractedCost",
            "ConsumedQuantity",
            "PricingQuantity",
        ],
        3.0,
    );
}

fn lines(record: &Value) -> Vec<(String, bool)> {
    record["observed"]
        .as_array()
        .expect("observed lines")
        .iter()
        .map(|l| {
            (
                l["service"].as_str().unwrap_or_default().to_string(),
                l["outside"].as_bool().expect("outside"),
            )
        })
        .collect()
}

#[test]
fn a_simulated_month_as_focus_has_a_row_per_bill_line_and_day_summing_to_the_month() {
    let text = focus_month(SCENARIO);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    for column in [
        "BilledCost",
        "EffectiveCost",
        "ListCost",
        "BillingCurrency",
        "BillingPeriodStart",
        "BillingPeriodEnd",
        "ChargePeriodStart",
        "ChargePeriodEnd",
        "ChargeCategory",
        "ServiceName",
        "RegionId",
        "ConsumedQuantity",
        "ConsumedUnit",
        "PricingQuantity",
        "PricingUnit",
        "ProviderName",
        "x_PriceId",
    ] {
        assert!(
            header.iter().any(|h| h == column),
            "no {column} in {header:?}"
        );
    }
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let sim = statecraft(&["simulate", "--scenario", SCENARIO, "--format", "json"]);
    let sim: Value = serde_json::from_str(&stdout(&sim)).expect("json");
    let priced: Vec<&Value> = sim["cost"]["by_service"]
        .as_array()
        .expect("lines")
        .iter()
        .filter(|l| l["price_id"].as_str().is_some_and(|p| !p.is_empty()))
        .collect();
    assert_eq!(rows.len(), priced.len() * 30, "a row per bill line and day");
    let billed: f64 = rows
        .iter()
        .map(|r| r[col("BilledCost")].parse::<f64>().expect("decimal"))
        .sum();
    let month = sim["cost"]["monthly_usd"].as_f64().expect("monthly");
    // November's 720 hours at the simulated month's (730 hours') rate
    assert!(
        (billed - month * 720.0 / 730.0).abs() < 0.01,
        "billed {billed}, month {month}"
    );
    assert!(rows.iter().all(|r| &r[col("BillingCurrency")] == "USD"));
    assert!(rows.iter().all(|r| &r[col("ProviderName")] == "AWS"));
    assert_eq!(&rows[0][col("BillingPeriodStart")], "2026-11-01T00:00:00Z");
    assert_eq!(&rows[0][col("BillingPeriodEnd")], "2026-12-01T00:00:00Z");
    assert!(rows.iter().any(|r| &r[col("ServiceName")] == "AWS Lambda"
        && &r[col("x_PriceId")] == "lambda-requests"
        && &r[col("x_UsageType")] == "Request"));
}

#[test]
fn a_record_reviewed_against_the_bill_of_its_own_scenario_holds_line_by_line() {
    let dir = folder("serverless", SCENARIO);
    let bills = tempfile::tempdir().expect("temp dir");
    let bill = write(bills.path(), "bill.csv", &focus_month(SCENARIO));
    let (code, report, err) = review(dir.path(), &bill, &[]);
    assert_eq!(code, 0, "{report:#} {err}");
    let record = &report["records"][0];
    assert_eq!(record["verdict"], "holds");
    let lines = lines(record);
    assert!(lines.len() >= 3, "{lines:?}");
    assert!(lines.iter().all(|(_, outside)| !outside), "{lines:?}");
    for l in record["observed"].as_array().expect("lines") {
        let (p50, observed) = (
            l["predicted"]["p50"].as_f64().unwrap(),
            l["observed"].as_f64().unwrap(),
        );
        assert!((p50 - observed).abs() <= 0.02 + p50 * 1e-6, "{l}");
    }
    let implied = &record["implied"];
    let predicted_requests = implied["requests_per_month"]
        .as_f64()
        .expect("requests implied");
    assert!(predicted_requests > 0.0);
    assert!(
        (implied["peak_rps"].as_f64().unwrap() - 300.0).abs() < 0.5,
        "{implied}"
    );
}

#[test]
fn one_service_tripled_short_of_a_crossover_is_flagged_with_the_implied_usage_and_the_decision_holds()
 {
    let dir = folder("serverless", SCENARIO);
    let bills = tempfile::tempdir().expect("temp dir");
    let month = focus_month(SCENARIO);
    let bill = write(
        bills.path(),
        "tripled.csv",
        &edit_rows(&month, "AWS Lambda", triple),
    );
    let (code, report, err) = review(dir.path(), &bill, &[]);
    assert_eq!(code, 1, "{report:#} {err}");
    let record = &report["records"][0];
    assert_eq!(record["verdict"], "drifted");
    let flagged: Vec<String> = lines(record)
        .into_iter()
        .filter(|(_, outside)| *outside)
        .map(|(s, _)| s)
        .collect();
    assert_eq!(flagged, ["lambda"]);
    let implied = &record["implied"];
    assert!(
        (implied["peak_rps"].as_f64().unwrap() - 900.0).abs() < 1.0,
        "{implied}"
    );
    let changes = record["changes"].to_string();
    assert!(
        changes.contains("the bill's `lambda` is outside its predicted band"),
        "{changes}"
    );
    let at = &record["at_observed"];
    assert!(
        (at["peak_rps"].as_f64().unwrap() - 900.0).abs() < 1.0,
        "{at}"
    );
    // at three times the traffic the instances the record names cheapest stay the cheapest: the
    // decision itself holds there (only the Lambda line drifted)
    assert_eq!(at["recorded_cheapest"], "alb-sticky-ec2-memory");
    assert_eq!(at["cheapest"], "alb-sticky-ec2-memory");
    assert_eq!(at["holds"], true);
    assert!(!changes.contains("a cost crossover passed"), "{changes}");
}

#[test]
fn rows_in_euros_or_from_another_provider_are_skipped_and_said_never_mixed_in() {
    let dir = folder("serverless", SCENARIO);
    let bills = tempfile::tempdir().expect("temp dir");
    let month = focus_month(SCENARIO);
    let lambda_rows = |csv: String| -> String {
        csv.lines()
            .skip(1)
            .filter(|l| l.contains("AWS Lambda"))
            .map(|l| format!("{l}\r\n"))
            .collect()
    };
    let euros = edit_rows(&month, "AWS Lambda", |row, header| {
        let i = header.iter().position(|h| h == "BillingCurrency").unwrap();
        row[i] = "EUR".into();
    });
    // the euro rows are copies of the Lambda rows: were they mixed in, Lambda would be billed twice
    let mut both = month.clone();
    both += &lambda_rows(euros);
    let azure = edit_rows(&month, "AWS Lambda", |row, header| {
        let i = header.iter().position(|h| h == "ProviderName").unwrap();
        row[i] = "Microsoft".into();
    });
    both += &lambda_rows(azure);
    let bill = write(bills.path(), "mixed.csv", &both);
    let (code, report, err) = review(dir.path(), &bill, &[]);
    assert_eq!(code, 0, "{report:#} {err}");
    assert!(lines(&report["records"][0]).iter().all(|(_, o)| !o));
    assert!(err.contains("`BillingCurrency` is `EUR`"), "{err}");
    assert!(
        err.contains("`ProviderName` is `Microsoft`, not AWS"),
        "{err}"
    );

    let only_euros = edit_rows(&month, "", |_, _| {});
    let only_euros = only_euros.replace(",USD,", ",EUR,");
    let bill = write(bills.path(), "euros.csv", &only_euros);
    let (code, _, err) = review(dir.path(), &bill, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.starts_with("error:"), "{err}");
    assert!(err.contains("euros.csv"), "{err}");
    assert!(err.contains("never mixed in"), "{err}");
}

#[test]
fn a_bad_cost_names_the_file_line_column_and_column_name() {
    let dir = folder("serverless", SCENARIO);
    let bills = tempfile::tempdir().expect("temp dir");
    let month = focus_month(SCENARIO);
    let mut lines: Vec<String> = month.lines().map(str::to_string).collect();
    assert!(lines[0].starts_with("AvailabilityZone,BilledCost,"));
    let mut fields: Vec<String> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(month.lines().nth(3).unwrap().as_bytes())
        .records()
        .next()
        .unwrap()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    fields[1] = "twelve".into();
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(&fields).unwrap();
    lines[3] = String::from_utf8(w.into_inner().unwrap())
        .unwrap()
        .trim_end()
        .to_string();
    let bill = write(bills.path(), "bad.csv", &(lines.join("\r\n") + "\r\n"));
    let (code, _, err) = review(dir.path(), &bill, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("bad.csv:4:2"), "{err}");
    assert!(err.contains("`BilledCost` holds `twelve`"), "{err}");
    assert!(err.contains("fix:"), "{err}");
}

#[test]
fn a_parquet_bill_is_refused_with_the_way_to_csv() {
    let dir = folder("serverless", SCENARIO);
    let (code, _, err) = review(dir.path(), Path::new("bill.parquet"), &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not Parquet"), "{err}");
}

#[test]
fn a_record_written_before_predictions_still_reviews_and_says_it_predicts_nothing() {
    // the example record as Statecraft wrote it before records stated predictions
    let old = repo().join("tests/fixtures/records/before-predictions");
    let bills = tempfile::tempdir().expect("temp dir");
    let bill = write(bills.path(), "bill.csv", &focus_month(SCENARIO));
    let (code, report, err) = review(&old, &bill, &[]);
    assert_eq!(code, 0, "{report:#} {err}");
    assert_eq!(report["records"][0]["verdict"], "holds");
    assert!(
        report["records"][0]["notes"]
            .to_string()
            .contains("states no predictions")
    );
}

#[test]
fn tagged_rows_are_matched_to_their_record_and_no_other() {
    let dir = folder("serverless", SCENARIO);
    let bills = tempfile::tempdir().expect("temp dir");
    let month = focus_month(SCENARIO);
    // tagged for record 2: record 1 finds nothing of its own (every row carries a decision tag)
    let other = month.replace(
        "\"\"statecraft-stack\"\"",
        "\"\"statecraft-decision\"\":\"\"0002\"\",\"\"statecraft-stack\"\"",
    );
    assert_ne!(other, month);
    let bill = write(bills.path(), "other.csv", &other);
    let (code, report, _) = review(dir.path(), &bill, &[]);
    assert_eq!(code, 0);
    assert!(report["records"][0]["observed"].is_null());
    assert!(
        report["records"][0]["notes"]
            .to_string()
            .contains("nothing in")
    );
    let mine = month.replace(
        "\"\"statecraft-stack\"\"",
        "\"\"statecraft-decision\"\":\"\"0001\"\",\"\"statecraft-stack\"\"",
    );
    let bill = write(bills.path(), "mine.csv", &mine);
    let (code, report, _) = review(dir.path(), &bill, &[]);
    assert_eq!(code, 0, "{report:#}");
    assert!(
        report["records"][0]["notes"]
            .to_string()
            .contains("matched by tag")
    );
}

#[test]
fn calibrate_writes_the_observed_usage_as_a_scenario_and_a_record_superseding_the_old() {
    let dir = folder("serverless", SCENARIO);
    let bills = tempfile::tempdir().expect("temp dir");
    let month = focus_month(SCENARIO);
    let bill = write(
        bills.path(),
        "tripled.csv",
        &edit_rows(&month, "AWS Lambda", triple),
    );
    let (code, report, err) = review(dir.path(), &bill, &["--calibrate"]);
    assert_eq!(code, 1, "{report:#} {err}");
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md") || n.ends_with(".json"))
        .collect();
    names.sort();
    let new = names
        .iter()
        .find(|n| n.starts_with("0002-") && n.ends_with(".md"))
        .expect("a second record");
    let scenario = names
        .iter()
        .find(|n| n.ends_with(".scenario.json"))
        .expect("the scenario");
    let old = std::fs::read_to_string(dir.path().join(&names[0])).unwrap();
    assert!(old.contains("superseded by ADR-0002"), "{old}");
    let scenario: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join(scenario)).unwrap()).unwrap();
    assert!(
        (scenario["traffic"]["peak_rps"].as_f64().unwrap() - 900.0).abs() < 1.0,
        "{scenario}"
    );
    let new_text = std::fs::read_to_string(dir.path().join(new)).unwrap();
    assert!(new_text.contains("calibrated to the bill of 2026-11-01 to 2026-12-01"));
    // the folder reviewed against the same bill: the old record is skipped; the new one predicts
    // the tripled Lambda line (and, at three times the requests, more of API Gateway and DynamoDB
    // than this bill, where only Lambda grew, shows)
    let (_, report, err) = review(dir.path(), &bill, &[]);
    assert_eq!(report["records"][0]["verdict"], "skipped", "{err}");
    let lambda = report["records"][1]["observed"]
        .as_array()
        .expect("the new record is set against the bill")
        .iter()
        .find(|l| l["service"] == "lambda")
        .expect("lambda")
        .clone();
    assert_eq!(lambda["outside"], false, "{lambda}");
}

/// A team that keeps each user's state in DynamoDB, on the serverless API of its own scenario: at the
/// scenario's 300 requests/s API Gateway + Lambda + DynamoDB is the cheapest of the record's options,
/// and from about 600 requests/s on, EKS StatefulSets is.
const USER_STATE: &str = "lambda-dynamodb-with-user-state";

fn at_observed_for(factor: f64) -> (i32, Value, String) {
    let dir = folder(USER_STATE, SCENARIO);
    let bills = tempfile::tempdir().expect("temp dir");
    let month = focus_month(SCENARIO);
    let bill = write(
        bills.path(),
        "scaled.csv",
        &edit_rows(&month, "AWS Lambda", |row, header| {
            times(
                row,
                header,
                &[
                    "BilledCost",
                    "EffectiveCost",
                    "ListCost",
                    "ContractedCost",
                    "ConsumedQuantity",
                    "PricingQuantity",
                ],
                factor,
            )
        }),
    );
    review(dir.path(), &bill, &[])
}

#[test]
fn tripled_usage_past_a_cost_crossover_names_the_cheaper_stack() {
    let (code, report, err) = at_observed_for(3.0);
    assert_eq!(code, 1, "{report:#} {err}");
    let record = &report["records"][0];
    assert_eq!(record["verdict"], "drifted");
    let flagged: Vec<String> = lines(record)
        .into_iter()
        .filter(|(_, outside)| *outside)
        .map(|(s, _)| s)
        .collect();
    assert_eq!(flagged, ["lambda"]);
    let at = &record["at_observed"];
    assert!(
        (at["peak_rps"].as_f64().unwrap() - 900.0).abs() < 1.0,
        "{at}"
    );
    assert_eq!(at["recorded_cheapest"], "apigw-lambda-dynamodb", "{at}");
    assert_eq!(at["cheapest"], "eks-statefulsets", "{at}");
    assert_eq!(at["holds"], false, "{at}");
    let name = at["cheapest_name"].as_str().expect("the stack's name");
    assert!(name.contains("EKS"), "{name}");
    let crossover = record["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .find(|c| {
            c["what"]
                .as_str()
                .is_some_and(|w| w.contains("a cost crossover passed"))
        })
        .unwrap_or_else(|| panic!("no crossover among {:#}", record["changes"]));
    let what = crossover["what"].as_str().unwrap();
    assert!(what.contains("a peak of 900 requests/s"), "{what}");
    assert!(
        what.contains(&format!("{name} (`eks-statefulsets`)")),
        "{what}"
    );
    assert!(what.contains("not API Gateway"), "{what}");
    assert_eq!(crossover["was"], "apigw-lambda-dynamodb");
    assert_eq!(crossover["now"], "eks-statefulsets");
    assert_eq!(crossover["drift"], true);
}

#[test]
fn more_usage_short_of_the_crossover_is_flagged_but_names_no_cheaper_stack() {
    // 1.2 times the requests: the Lambda line is outside its band (±10 %), a peak of 360
    // requests/s, and API Gateway + Lambda + DynamoDB is still the cheapest option there
    let (code, report, err) = at_observed_for(1.2);
    assert_eq!(code, 1, "{report:#} {err}");
    let record = &report["records"][0];
    let at = &record["at_observed"];
    assert!(
        (at["peak_rps"].as_f64().unwrap() - 360.0).abs() < 0.5,
        "{at}"
    );
    assert_eq!(at["cheapest"], "apigw-lambda-dynamodb", "{at}");
    assert_eq!(at["recorded_cheapest"], "apigw-lambda-dynamodb", "{at}");
    assert_eq!(at["holds"], true, "{at}");
    let changes = record["changes"].to_string();
    assert!(!changes.contains("a cost crossover passed"), "{changes}");
    assert!(
        changes.contains("the bill's `lambda` is outside its predicted band"),
        "{changes}"
    );
}
