//! One validity for numbers and dates at every loader (issue 23, case 10): a bill is finite
//! dollars, a month has from 1 to 744 hours, a price is per a sensible number of units, an instance
//! has whole vCPUs, a date is a real calendar date, and a replace pack has rules. Each with its
//! exact error; docs/SECURITY.md names these tests.

use std::path::{Path, PathBuf};

use crate::support::{repo, statecraft, stderr, stdout};

fn s(p: &Path) -> String {
    p.display().to_string()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

/// A usage file of one line, with `month_hours` and the quantity given.
fn usage(dir: &Path, month_hours: &str, quantity: &str) -> PathBuf {
    write(
        dir,
        "usage.json",
        &format!(
            "{{\"region\": \"us-east-1\", \"month_hours\": {month_hours},\n \"usage\": [{{\"service\": \"lambda\", \"item\": \"requests\", \"quantity\": {quantity}}}]}}\n"
        ),
    )
}

#[test]
fn a_bill_never_overflows_to_infinity() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = usage(dir.path(), "730", "1e304");
    for format in ["json", "text"] {
        let out = statecraft(&["bill", "--usage", &s(&file), "--format", format]);
        assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
        assert!(!stdout(&out).contains("inf") && !stdout(&out).contains("null"));
        assert_eq!(
            stderr(&out),
            format!(
                "error: {}:2:54: at `usage[0].quantity`: `quantity` is 1e304; it must be at most 1e15 (no month of usage comes near it)\n  fix: correct the number\n",
                s(&file)
            )
        );
    }
}

#[test]
fn a_month_has_from_1_to_744_hours() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (hours, shown) in [("0", "0"), ("-1", "-1"), ("1e308", "1e308")] {
        let file = usage(dir.path(), hours, "1000");
        let out = statecraft(&["bill", "--usage", &s(&file)]);
        assert_eq!(out.status.code(), Some(2), "{hours}: {}", stdout(&out));

        assert_eq!(
            stderr(&out),
            format!(
                "error: {}:1:25: at `month_hours`: `month_hours` is {shown}; a month has from 1 to 744 hours\n  fix: write the hours of the month billed: 730 (AWS's average), or 672 to 744\n",
                s(&file)
            ),
            "{hours}"
        );
    }
}

/// An overlay pack in `dir` whose `prices.json` holds the shipped price `id` changed by `edit`.
fn pack_with_price(dir: &Path, id: &str, edit: impl Fn(&mut serde_json::Value)) {
    write(
        dir,
        "manifest.json",
        r#"{"name": "t", "version": "1", "mode": "overlay"}"#,
    );
    let shipped: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("knowledge/prices.json")).expect("prices"),
    )
    .expect("json");
    let mut price = shipped["prices"]
        .as_array()
        .expect("prices")
        .iter()
        .find(|p| p["id"] == id)
        .expect("the price")
        .clone();
    edit(&mut price);
    let text = serde_json::to_string_pretty(&serde_json::json!({"prices": [price]})).expect("json");
    write(dir, "prices.json", &text);
}

#[test]
fn check_knowledge_refuses_a_price_per_a_vanishing_unit() {
    let dir = tempfile::tempdir().expect("temp dir");
    pack_with_price(dir.path(), "lambda-requests", |p| {
        p["per"] = serde_json::json!(1e-300)
    });
    let out = statecraft(&["check-knowledge", &s(dir.path())]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stderr(&out).contains(
            "at `prices[0].per`: price `lambda-requests` is per 1e-300 units; `per` must be from 0.001 to 1,000,000,000,000\n  fix: write how many units the price is for, e.g. 1000000"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn impossible_dates_are_refused_wherever_a_price_is_dated() {
    let dir = tempfile::tempdir().expect("temp dir");
    pack_with_price(dir.path(), "lambda-requests", |p| {
        p["as_of"] = serde_json::json!("0000-00")
    });
    std::fs::create_dir(dir.path().join("prices")).expect("mkdir");
    let mut regional: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("knowledge/prices/eu-central-1.json")).expect("pack"),
    )
    .expect("json");
    regional["as_of"] = serde_json::json!("9999-99-99");
    let regional_file = write(
        &dir.path().join("prices"),
        "eu-central-1.json",
        &serde_json::to_string_pretty(&regional).expect("json"),
    );
    let out = statecraft(&["check-knowledge", &s(dir.path())]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains("at `prices[0].as_of`: price `lambda-requests` has `as_of` \"0000-00\", which is not a date\n  fix: write a real date from 2000 to 2100 as YYYY-MM or YYYY-MM-DD"),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "error: {}:2:3: at `as_of`: `as_of` is \"9999-99-99\", which is not a real date from 2000 to 2100\n  fix: write the date the price was read as YYYY-MM or YYYY-MM-DD",
            s(&regional_file)
        )),
        "{err}"
    );
}

#[test]
fn an_instance_has_a_whole_number_of_vcpus() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut scenario: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("assets/scenarios/default.json")).expect("scenario"),
    )
    .expect("json");
    scenario["compute"]["vcpus_per_instance"] = serde_json::json!(1.5);
    let file = write(
        dir.path(),
        "s.json",
        &serde_json::to_string_pretty(&scenario).expect("json"),
    );
    let out = statecraft(&["simulate", "--scenario", &s(&file)]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stderr(&out).contains(
            "at `compute.vcpus_per_instance`: `compute.vcpus_per_instance` is 1.5; an EC2 instance has a whole number of vCPUs\n  fix: write the instance type's vCPUs, such as 2 for an m5.large"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_replace_pack_without_rules_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(repo().join("knowledge")).expect("knowledge") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "json") {
            std::fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copy");
        }
    }
    write(
        dir.path(),
        "manifest.json",
        r#"{"name": "ours", "version": "1", "mode": "replace"}"#,
    );
    let rules = write(dir.path(), "rules.json", "{\n  \"rules\": []\n}\n");
    let out = statecraft(&["check-knowledge", &s(dir.path())]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stderr(&out).contains(&format!(
            "error: {}:2:3: at `rules`: a pack with \"mode\": \"replace\" has no rules, so no answers could ever lead to a recommendation\n  fix: add the pack's rules, or use \"mode\": \"overlay\" to keep the shipped ones",
            s(&rules)
        )),
        "{}",
        stderr(&out)
    );
}
