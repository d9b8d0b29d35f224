//! A record carries what the team simulated: an answers-only export simulates the scenario the
//! answers describe; a scenario that disagrees with the answers is flagged and the team's target is
//! the one checked; the front matter survives YAML tools; the confirmation runs as written.

use std::path::Path;
use std::process::Command;

use statecraft::domain::decision;
use statecraft::domain::export::{self, Evidence};
use statecraft::domain::sim::Scenario;

use crate::export_support::{options, shipped, source, usecase};
use crate::support::{fixtures, repo, statecraft, stderr, usecase_file};

fn export_to(dir: &Path, args: &[&str]) -> String {
    let out = dir.join("0001-record.md");
    let mut all = vec![
        "export",
        "--out",
        out.to_str().expect("utf-8"),
        "--date",
        "2026-11-23",
    ];
    all.extend_from_slice(args);
    let o = statecraft(&all);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    std::fs::read_to_string(out).expect("the record")
}

#[test]
fn an_answers_only_export_has_plots_a_cost_table_and_the_answers_peak_and_target() {
    let dir = tempfile::tempdir().expect("temp dir");
    let md = export_to(dir.path(), &["--answers", &usecase_file("realtime-game")]);
    assert!(
        md.contains("### Cost and latency: From the answers"),
        "{md}"
    );
    assert!(md.contains("The team gave no scenario, so this is the one its answers describe."));
    assert!(md.contains("| Service | Charge | Per month | Formula | Price | Price as of |"));
    assert!(
        md.contains("![Cost versus traffic — From the answers](<0001-record-cost-vs-traffic.svg>)")
    );
    for plot in ["cost-vs-traffic", "latency-vs-load"] {
        let svg = std::fs::read_to_string(dir.path().join(format!("0001-record-{plot}.svg")))
            .expect("the plot is written");
        assert!(
            svg.contains("team's peak 20,000"),
            "{plot} marks the team's peak"
        );
    }
    let latency =
        std::fs::read_to_string(dir.path().join("0001-record-latency-vs-load.svg")).expect("plot");
    assert!(
        latency.contains("team's p99 target 30 ms"),
        "the team's target is drawn"
    );
    assert!(
        md.contains("against the team's p99 target of 30 ms"),
        "{md}"
    );
}

#[test]
fn a_scenario_that_disagrees_with_the_answers_is_flagged_and_the_teams_target_is_checked() {
    let k = shipped();
    let answers = usecase("realtime-game", &k);
    // a scenario left at the simulator's defaults: 600 requests/s, a 300 ms target
    let mut s = Scenario::new("eks-statefulsets", 600.0);
    s.name = "Defaults".into();
    let record = decision::record(
        &k,
        &answers,
        &Evidence {
            scenarios: vec![s],
            ..Evidence::default()
        },
        &options(export::Style::Madr, "r"),
    )
    .expect("record");
    let sim = &record.data.simulations[0];
    assert_eq!(
        sim.disagreements,
        [
            "simulated at a peak of 600 requests/s; the team expects 20,000",
            "the scenario's p99 target is 300 ms; the team's is 30 ms, and that is the one checked here",
            "simulated with sessions of 4 KB; the team expects 256 KB",
        ]
    );
    assert_eq!(sim.latency_target, "30 ms");
    let md = &record.markdown;
    assert!(
        md.contains("This scenario differs from the team's answers:"),
        "{md}"
    );
    assert!(md.contains("* simulated at a peak of 600 requests/s; the team expects 20,000."));
    let latency_check = &record.data.confirmation.checks[0].text;
    assert!(
        latency_check.contains("stays under 30 ms"),
        "{latency_check}"
    );
    assert!(
        !latency_check.contains("within its target"),
        "{latency_check}"
    );
    // each option's Pros and Cons judge its p99 against the team's 30 ms, not the scenario's 300
    assert!(md.contains(" the 30 ms target"), "{md}");
    assert!(!md.contains(" the 300 ms target"), "{md}");
}

#[test]
fn a_record_survives_pyyaml_resaving_its_front_matter() {
    let python = "import sys, yaml\n\
        text = open(sys.argv[1]).read()\n\
        _, front, body = text.split('---\\n', 2)\n\
        data = yaml.safe_load(front)\n\
        open(sys.argv[1], 'w').write('---\\n' + yaml.safe_dump(data, sort_keys=True) + '---\\n' + body)\n";
    let probe = Command::new("python3").args(["-c", "import yaml"]).output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: python3 with PyYAML is not installed (pip install pyyaml)");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let md = export_to(
        dir.path(),
        &[
            "--answers",
            &usecase_file("chaos-monkey-cart-shop"),
            "--decision-maker",
            "Ana Lima",
            "--chaos",
            "B",
        ],
    );
    let path = dir.path().join("0001-record.md");
    let o = Command::new("python3")
        .args(["-c", python, path.to_str().expect("utf-8")])
        .output()
        .expect("python runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let resaved = std::fs::read_to_string(&path).expect("read");
    assert_ne!(resaved, md, "PyYAML wrote the front matter its own way");
    assert!(
        resaved.contains("decision-makers:\n- Ana Lima\n"),
        "{resaved}"
    );
    let back = statecraft(&["advise", "--answers", path.to_str().expect("utf-8")]);
    assert_eq!(back.status.code(), Some(0), "{}", stderr(&back));
    assert_eq!(
        stderr(&back),
        "",
        "no warning: neither evidence nor prose changed"
    );
    let k = shipped();
    let imported = export::import(&source("r.md", &resaved), &k).expect("reads");
    assert_eq!(imported.meta.decision_makers, ["Ana Lima"]);
    assert_eq!(imported.evidence.chaos.map(|c| c.server), Some("B".into()));
}

#[test]
fn a_record_whose_prose_was_edited_opens_with_a_warning_naming_the_evidence() {
    let dir = tempfile::tempdir().expect("temp dir");
    let md = export_to(dir.path(), &["--answers", &usecase_file("web-app")]);
    let path = dir.path().join("0001-record.md");
    let edited = md.replacen(
        "## Decision Drivers",
        "## Decision Drivers\n\nWe also like it.",
        1,
    );
    std::fs::write(&path, edited).expect("write");
    let o = statecraft(&["advise", "--answers", path.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with(&format!(
            "warning: {}: The record's text was edited after `statecraft export` wrote it; the advice and figures come from its evidence block",
            path.display()
        )),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_status_madr_does_not_know_is_refused() {
    let o = statecraft(&[
        "export",
        "--answers",
        &usecase_file("web-app"),
        "--out",
        "/nonexistent/never-written.md",
        "--status",
        "acepted",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: --status: `acepted` is not one of MADR's statuses: proposed, accepted, rejected, deprecated, or `superseded by ADR-NNNN`\n  fix: pass --status proposed, accepted, rejected, deprecated or \"superseded by ADR-0001\"\n"
    );
}

#[test]
fn the_domain_crate_has_no_gui_in_its_dependency_tree() {
    let lock = std::fs::read_to_string(repo().join("Cargo.lock")).expect("Cargo.lock");
    // [[package]] blocks: name and the names of its dependencies
    let mut deps = std::collections::BTreeMap::<String, Vec<String>>::new();
    for block in lock.split("[[package]]").skip(1) {
        let name = block
            .lines()
            .find_map(|l| l.strip_prefix("name = \""))
            .and_then(|l| l.strip_suffix('"'))
            .expect("a name")
            .to_string();
        let list = block
            .split("dependencies = [")
            .nth(1)
            .and_then(|rest| rest.split(']').next())
            .unwrap_or("");
        let names = list
            .lines()
            .filter_map(|l| l.trim().strip_prefix('"'))
            .map(|l| l.split([' ', '"']).next().unwrap_or("").to_string())
            .collect();
        deps.entry(name).or_insert(names);
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut todo = vec!["statecraft-core".to_string()];
    while let Some(n) = todo.pop() {
        if seen.insert(n.clone()) {
            todo.extend(deps.get(&n).cloned().unwrap_or_default());
        }
    }
    assert!(
        seen.len() > 10,
        "the walk found the core's dependencies: {seen:?}"
    );
    for gui in ["egui", "eframe", "winit", "rfd", "egui_plot", "wgpu"] {
        assert!(!seen.contains(gui), "statecraft-core depends on {gui}");
    }
}

#[test]
fn every_chaos_experiment_passes_botocores_fis_model() {
    let probe = Command::new("python3")
        .args(["-c", "import botocore"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: python3 with botocore is not installed (pip install botocore)");
        return;
    }
    let k = shipped();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut files = Vec::new();
    for stack in &k.stacks {
        let Some(x) = statecraft::domain::export::chaos_experiment(&k, stack) else {
            continue;
        };
        let file = dir.path().join(format!("{}.json", stack.id));
        std::fs::write(&file, &x.template_json).expect("write");
        files.push(file.to_str().expect("utf-8").to_string());
    }
    assert!(files.len() >= 8, "{files:?}");
    let python = "import json, sys, botocore.session\n\
        from botocore.validate import validate_parameters\n\
        shape = botocore.session.get_session().get_service_model('fis').operation_model('CreateExperimentTemplate').input_shape\n\
        for f in sys.argv[1:]:\n\
        \x20   t = json.load(open(f))\n\
        \x20   t['clientToken'] = 'filled-in-by-the-aws-cli'\n\
        \x20   validate_parameters(t, shape)\n\
        print('ok', len(sys.argv) - 1)\n";
    let mut args = vec!["-c".to_string(), python.to_string()];
    args.extend(files.iter().cloned());
    let o = Command::new("python3")
        .args(&args)
        .output()
        .expect("python runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        format!("ok {}", files.len())
    );
}

#[test]
fn the_experiment_says_what_aws_requires_and_agrees_with_its_outcome() {
    let k = shipped();
    let lambda = k.stack("apigw-lambda-dynamodb").expect("stack");
    let x = statecraft::domain::export::chaos_experiment(&k, lambda).expect("an experiment");
    assert!(
        x.prerequisites
            .iter()
            .any(|p| p.contains("AWS FIS extension for Lambda"))
    );
    assert!(
        x.prerequisites
            .iter()
            .any(|p| p.contains("AWS_FIS_CONFIGURATION_LOCATION"))
    );
    let eks = k.stack("eks-statefulsets").expect("stack");
    let x = statecraft::domain::export::chaos_experiment(&k, eks).expect("an experiment");
    assert!(x.prerequisites.iter().any(|p| p.contains("RoleBinding")));
    assert!(x.prerequisites.iter().any(|p| p.contains("access entry")));
    let sticky = k.stack("alb-sticky-ec2-memory").expect("stack");
    let x = statecraft::domain::export::chaos_experiment(&k, sticky).expect("an experiment");
    let template: serde_json::Value = serde_json::from_str(&x.template_json).expect("json");
    let description = template["description"].as_str().expect("description");
    assert!(
        description.contains("only the killed server's sessions are lost"),
        "{description}"
    );
    assert!(
        x.expectation
            .starts_with("The sessions held by the killed server are lost")
    );
}

#[test]
fn a_record_written_with_a_team_pack_warns_by_name_when_opened_without_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pack = fixtures().join("packs/team-pack");
    let out = dir.path().join("0001-record.md");
    let o = statecraft(&[
        "--knowledge",
        pack.to_str().expect("utf-8"),
        "export",
        "--answers",
        &usecase_file("web-app"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let without = statecraft(&["advise", "--answers", out.to_str().expect("utf-8")]);
    assert_eq!(without.status.code(), Some(0), "{}", stderr(&without));
    assert!(
        stderr(&without).contains(
            "written with the knowledge “Acme platform team rules 3”; this is “Statecraft shipped knowledge 2026.12.1”"
        ),
        "{}",
        stderr(&without)
    );
    let with = statecraft(&[
        "--knowledge",
        pack.to_str().expect("utf-8"),
        "advise",
        "--answers",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(
        stderr(&with),
        "",
        "with its pack, the record opens as written"
    );
}

#[test]
fn every_footnote_a_record_defines_is_cited_in_it_whatever_the_layout() {
    let k = shipped();
    for style in [export::Style::Madr, export::Style::Nygard] {
        let record = decision::record(
            &k,
            &usecase("realtime-game", &k),
            &Evidence::default(),
            &options(style, "r"),
        )
        .expect("record");
        let md = &record.markdown;
        let defined: Vec<&str> = md
            .lines()
            .filter_map(|l| l.strip_prefix("[^"))
            .filter_map(|l| l.split("]:").next())
            .collect();
        assert!(!defined.is_empty(), "{style:?} cites sources");
        for id in defined {
            let cited = md.matches(&format!("[^{id}]")).count();
            assert!(
                cited >= 2,
                "{style:?}: footnote {id} is defined but never cited"
            );
        }
    }
}

#[test]
fn the_cost_check_points_at_tripwires_only_where_the_record_has_some() {
    let k = shipped();
    for name in ["static-site", "realtime-game", "dns-lookup"] {
        let answers = usecase(name, &k);
        let record = decision::record(
            &k,
            &answers,
            &Evidence::default(),
            &options(export::Style::Madr, "r"),
        )
        .expect("record");
        let md = &record.markdown;
        let has_tripwires = !record.data.tripwires.is_empty();
        assert_eq!(
            md.contains("check the tripwires below"),
            has_tripwires,
            "{name}: {} tripwires",
            record.data.tripwires.len()
        );
    }
}

#[test]
fn a_gamelift_fleet_s_chaos_test_is_done_by_hand_as_fis_cannot_reach_its_instances() {
    let k = shipped();
    let id = "stateful+front=gamelift-player-connection+compute=gamelift+session=server-memory+database=rds-postgres";
    let stack = k.stack(id).expect("the composed GameLift stack resolves");
    let x = statecraft::domain::export::chaos_experiment(&k, stack).expect("an experiment");
    // no FIS template to paste: the steps go through GameLift's remote access
    assert!(x.template_json.is_empty());
    assert!(x.manual[0].contains("has no action for GameLift"));
    assert!(
        x.manual
            .iter()
            .any(|s| s.contains("aws gamelift get-compute-access"))
    );
    assert!(x.manual.iter().any(|s| s.contains("aws ssm start-session")));
    // no load balancer to drop the dead target: the placement stops choosing it
    assert!(
        !x.expectation.contains("load balancer"),
        "{}",
        x.expectation
    );
    // a server-run stack keeps its FIS template
    let sticky = k.stack("alb-sticky-ec2-memory").expect("stack");
    let x = statecraft::domain::export::chaos_experiment(&k, sticky).expect("an experiment");
    assert!(x.manual.is_empty() && x.template_json.contains("aws:ec2:terminate-instances"));
}
