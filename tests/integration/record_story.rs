//! One decision, one story: the record's headline, Confirmation, Pros and Cons, index and review read
//! the same figures, for the chosen stack, with the project's seed — each rule through
//! `statecraft::domain::decision`, the layer both front ends call.

use statecraft::domain::decision;
use statecraft::domain::export::{self, Evidence, Record, Style};
use statecraft::domain::format;
use statecraft::domain::knowledge::Knowledge;
use statecraft::domain::project::Project;
use statecraft::domain::review;
use statecraft::domain::sim::chaos::{self, ChaosChoice};
use statecraft::domain::sim::{self, Scenario};

use crate::export_support::{options, shipped, usecase};
use crate::support::repo;

fn shipped_scenario(name: &str, k: &Knowledge) -> Scenario {
    let path = repo().join("assets/scenarios").join(format!("{name}.json"));
    Scenario::read(&path, k).expect("a shipped scenario")
}

fn record(k: &Knowledge, usecase_name: &str, evidence: &Evidence) -> Record {
    let answers = usecase(usecase_name, k);
    decision::record(k, &answers, evidence, &options(Style::Madr, "0001-story"))
        .expect("the record")
}

fn confirmation(r: &Record) -> Vec<String> {
    r.data
        .confirmation
        .checks
        .iter()
        .map(|c| c.text.clone())
        .collect()
}

#[test]
fn the_chaos_test_kills_a_server_of_the_chosen_stack_not_an_alb_and_ec2_pair() {
    let k = shipped();
    let evidence = Evidence {
        chaos: Some(ChaosChoice { server: "B".into() }),
        ..Evidence::default()
    };
    // a UDP game server: the advice is an NLB stack, which no ALB pair resembles
    let r = record(&k, "realtime-game", &evidence);
    let chosen = &r.provenance.stack;
    assert!(
        k.stack(chosen).is_some_and(|s| s.topology.front == "nlb"),
        "the game is advised an NLB stack: {chosen}"
    );
    let view = r
        .data
        .chaos
        .as_ref()
        .expect("the record runs the chaos test");
    let first = &view.outcomes[0];
    assert_eq!(&first.stack_id, chosen, "the chosen stack is killed first");
    assert!(first.chosen);
    assert_eq!(view.outcomes.iter().filter(|o| o.chosen).count(), 1);
    // the seeds' stateful pair (ALB sticky sessions on EC2) is not what the game would run
    assert!(
        !view
            .outcomes
            .iter()
            .any(|o| o.stack_id == chaos::STATEFUL_STACK),
        "{:?}",
        view.outcomes
    );
    for o in &view.outcomes {
        assert!(
            r.data.options.iter().any(|opt| opt.stack_id == o.stack_id),
            "{} is one of the record's considered options",
            o.stack_id
        );
    }
    // sessions in the chosen stack's servers' memory are lost with the server
    assert_eq!(first.design, "stateful");
    assert!(first.sessions_lost > 0, "{first:?}");
    let check = confirmation(&r)
        .into_iter()
        .find(|c| c.starts_with("Sessions: killing one server of the chosen stack"))
        .expect("Confirmation checks the kill on the chosen stack");
    assert!(check.contains(&first.sentence("B")), "{check}");
}

#[test]
fn the_confirmation_threshold_counts_the_sessions_the_kill_lost_not_those_scaling_in_lost() {
    let k = shipped();
    let eks = shipped_scenario("eks-statefulsets", &k);
    let r = record(
        &k,
        "realtime-game",
        &Evidence {
            scenarios: vec![eks.clone()],
            ..Evidence::default()
        },
    );
    // the same day on the chosen stack, simulated directly
    let mut on_chosen = eks;
    on_chosen.stack = Some(r.provenance.stack.clone());
    let report = sim::simulate(&k, &on_chosen).expect("simulates");
    let by_kill: u64 = report.chaos.iter().map(|c| c.sessions_lost).sum();
    assert!(
        report.sessions_lost_to_scale_in > 0 && by_kill < report.sessions_lost,
        "the day loses sessions both ways: {} by the kill, {} in all",
        by_kill,
        report.sessions_lost
    );
    let check = confirmation(&r)
        .into_iter()
        .find(|c| c.starts_with("Sessions: the experiment loses no more sessions"))
        .expect("a kill in the scenario gives a threshold");
    assert!(
        check.contains(&format!("did: {} (", format::number(by_kill as f64))),
        "the threshold is the kill's loss: {check}"
    );
    assert!(
        check.contains(&format!(
            "also lost {} sessions when scaling in",
            format::number(report.sessions_lost_to_scale_in as f64)
        )),
        "{check}"
    );
    let predicted = r
        .provenance
        .figures
        .iter()
        .find(|f| f.stack == r.provenance.stack)
        .and_then(|f| f.predictions.as_ref())
        .and_then(|p| p.sessions_lost_on_kill);
    assert_eq!(predicted, Some(by_kill));
}

#[test]
fn a_scenario_pinning_another_stack_leaves_confirmation_and_index_on_the_chosen_stack() {
    let k = shipped();
    let eks = shipped_scenario("eks-statefulsets", &k);
    let r = record(
        &k,
        "realtime-game",
        &Evidence {
            scenarios: vec![eks],
            ..Evidence::default()
        },
    );
    let chosen = r.provenance.stack.clone();
    assert_ne!(
        chosen, "eks-statefulsets",
        "the scenario pins another stack"
    );
    let texts = confirmation(&r);
    assert!(
        !texts.iter().any(|c| c.contains("could not run")
            || c.contains("no simulated scenario runs the chosen stack")),
        "{texts:#?}"
    );
    let mine = r
        .data
        .simulations
        .iter()
        .find(|s| s.chosen_stack)
        .expect("the record simulates the chosen stack as well");
    assert_eq!(mine.stack_id, chosen);
    let cost = texts
        .iter()
        .find(|c| c.starts_with("Cost:"))
        .expect("a cost check");
    assert!(
        cost.contains(&mine.monthly_usd) && cost.contains(&mine.scenario),
        "Confirmation's cost is the chosen stack's: {cost}"
    );
    let latency = texts
        .iter()
        .find(|c| c.starts_with("Latency:"))
        .expect("a latency check");
    assert!(latency.contains(&mine.p99), "{latency}");
    // the index reads the same figure
    let figure = r
        .provenance
        .figures
        .iter()
        .find(|f| f.stack == chosen)
        .expect("a figure for the chosen stack");
    assert_eq!(review::chosen_cost(&r.provenance), Some(figure.monthly_usd));
    assert_eq!(format::usd(figure.monthly_usd), mine.monthly_usd);
    // the evidence keeps the team's one scenario; the chosen stack's run is computed from it
    assert_eq!(r.provenance.scenarios.len(), 1);
    assert_eq!(r.provenance.figures.len(), 2);
}

#[test]
fn a_project_record_simulates_every_scenario_with_the_projects_seed() {
    let k = shipped();
    let mut saved = shipped_scenario("alb-ec2-elasticache-rds", &k);
    assert_eq!(saved.seed, 42, "the shipped scenario carries seed 42");
    saved.name = "launch".into();
    let mut project = Project {
        answers: usecase("web-app", &k),
        seed: 11,
        ..Project::default()
    };
    project.put_scenario("launch", saved);
    project.record.working = false;
    project.record.scenarios = vec!["launch".into()];
    project.record.chaos = Some(ChaosChoice { server: "B".into() });
    let r = decision::project_record(&k, &project, "2026-11-23", None).expect("the record");
    assert_eq!(r.provenance.seed, Some(11));
    assert!(!r.data.simulations.is_empty());
    for s in &r.data.simulations {
        assert_eq!(s.seed, 11, "{} ran with seed {}", s.scenario, s.seed);
    }
    let chaos = r.data.chaos.as_ref().expect("the chaos test");
    assert!(chaos.outcomes.iter().all(|o| o.seed == 11));
    assert_eq!(r.data.reproduce.seed, Some(11));
}

#[test]
fn unanswered_questions_are_listed_as_defaults_not_as_the_teams_answers() {
    let k = shipped();
    let mut project = Project::default();
    project.answers.set(
        "workload",
        statecraft::domain::knowledge::AnswerValue::Choice("web-app".into()),
    );
    project.answers.set(
        "peak-rps",
        statecraft::domain::knowledge::AnswerValue::Number(300.0),
    );
    let defaults = decision::defaulted(&k, &project.answers);
    assert!(defaults.len() > 10, "{defaults:?}");
    assert!(!defaults.iter().any(|d| d == "workload" || d == "peak-rps"));
    let r = decision::project_record(&k, &project, "2026-11-23", None).expect("the record");
    let answered: Vec<&str> = r
        .data
        .answers
        .iter()
        .filter(|a| !a.default)
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(answered, ["workload", "peak-rps"]);
    for a in r.data.answers.iter().filter(|a| a.default) {
        assert!(defaults.contains(&a.id), "{} is a default", a.id);
        assert!(
            a.answer.ends_with("(default: not answered)"),
            "{}",
            a.answer
        );
    }
    let said = format!(
        "The team answered 2 of the {} questions below; the other {} are the wizard's defaults",
        r.data.answers.len(),
        r.data.answers.len() - 2
    );
    assert!(r.data.problem.contains(&said), "{}", r.data.problem);
    assert!(
        !r.data
            .problem
            .contains("The team answered Statecraft's questions")
    );
    // the figures' origins say which values are defaults
    let origins = &r.data.simulations[0].origins;
    assert!(
        origins
            .iter()
            .any(|o| o.starts_with("traffic.shape: burstiness not answered")),
        "{origins:#?}"
    );
    // opened again as a project, the defaults are unanswered again
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("0001-record.md");
    std::fs::write(&path, &r.markdown).expect("write");
    let (again, _) = decision::project_from_record(&k, &path).expect("opens");
    assert_eq!(again.answers, project.answers);
}

#[test]
fn a_freshly_exported_record_holds_on_review_in_every_region() {
    let k = shipped();
    let today = "2026-12-07";
    let regions: Vec<String> = k
        .question("data-residency")
        .expect("the Region question")
        .options
        .iter()
        .map(|o| o.id.clone())
        .collect();
    assert!(regions.iter().any(|r| r == "eu-west-1"), "{regions:?}");
    let dir = tempfile::tempdir().expect("temp dir");
    let mut notes = 0;
    for (i, region) in regions.iter().enumerate() {
        let mut answers = usecase("web-app", &k);
        answers.set(
            "data-residency",
            statecraft::domain::knowledge::AnswerValue::Choice(region.clone()),
        );
        let mut o = options(Style::Madr, "r");
        o.meta.date = today.into();
        o.meta.status = "proposed".into();
        let r = decision::record(&k, &answers, &Evidence::default(), &o).expect("the record");
        let path = dir.path().join(format!("{:04}-use-it.md", i + 1));
        std::fs::write(&path, &r.markdown).expect("write");
        let review = review::review_file(
            &path,
            &k,
            &review::ReviewOptions {
                today: today.into(),
                ..review::ReviewOptions::default()
            },
        );
        assert_eq!(
            review.verdict,
            review::Verdict::Holds,
            "{region}: {:#?}",
            review.changes
        );
        // a shipped price over a year old is said, as a note
        notes += review
            .changes
            .iter()
            .filter(|c| c.what.contains("more than a year") && !c.drift)
            .count();
    }
    assert!(
        notes > 0,
        "some shipped price is over a year old by {today}"
    );
}

#[test]
fn a_recommendation_behind_on_points_is_never_said_to_lead() {
    use statecraft::ui::design_review::margin_line;
    let k = shipped();
    let answers = usecase("realtime-game", &k);
    let mut advice = decision::advise(&k, &answers);
    let mine = advice.recommendation;
    // the points as a requirement-decided advice can have them: the recommendation lowest
    for a in statecraft::domain::knowledge::Archetype::ALL {
        let points = if a == mine { -3 } else { 15 };
        match a {
            statecraft::domain::knowledge::Archetype::Stateless => advice.scores.stateless = points,
            statecraft::domain::knowledge::Archetype::Stateful => advice.scores.stateful = points,
            statecraft::domain::knowledge::Archetype::Hybrid => advice.scores.hybrid = points,
        }
    }
    advice.close_call = None;
    advice.decisive.clear();
    let line = margin_line(&advice);
    assert!(!line.contains("leads"), "{line}");
    assert!(line.contains("has 18 more points"), "{line}");
    // and with the leading answer as it is: its own lead
    let advice = decision::advise(&k, &answers);
    let line = margin_line(&advice);
    let lead = advice.scores.get(mine)
        - statecraft::domain::knowledge::Archetype::ALL
            .iter()
            .filter(|&&a| a != mine)
            .map(|&a| advice.scores.get(a))
            .max()
            .expect("other archetypes");
    assert!(advice.close_call.is_none() && lead > 1, "{lead}");
    assert_eq!(line, format!("leads by {lead} points"));
}

/// The `<text>` contents of an SVG, in order.
fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let start = t.find('>')? + 1;
            let end = t.find("</text>")?;
            Some(t[start..end].replace("&amp;", "&"))
        })
        .collect()
}

#[test]
fn the_diagrams_draw_every_service_of_the_chosen_stack() {
    let k = shipped();
    let mut checked = 0;
    for name in crate::export_support::usecase_names() {
        let r = record(&k, &name, &Evidence::default());
        let stack = k.stack(&r.provenance.stack).expect("the chosen stack");
        let drawn = svg_texts(&r.diagram_svg).join(" ");
        for s in &stack.services {
            let service = k.service(&s.service).expect("a known service");
            assert!(
                r.data.diagram.contains(&service.name),
                "{name}: the mermaid diagram leaves out {}:\n{}",
                service.name,
                r.data.diagram
            );
            // the SVG wraps a long name over lines: every word is there
            for word in service.name.split_whitespace() {
                assert!(
                    drawn.contains(word),
                    "{name}: the SVG diagram leaves out {}",
                    service.name
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 50, "{checked}");
}

#[test]
fn sign_in_and_dns_sit_beside_the_path_not_between_the_users_and_the_front_door() {
    let k = shipped();
    let r = record(&k, "dns-or-api-gateway", &Evidence::default());
    let mermaid = &r.data.diagram;
    assert!(mermaid.contains("users -.->|sign-in| cognito"), "{mermaid}");
    assert!(
        mermaid.contains("users -.->|resolves names| route53"),
        "{mermaid}"
    );
    assert!(!mermaid.contains("cognito -->"), "{mermaid}");
    // in the SVG, the boxes' rows: the users' row holds no box beside the path
    let rect_y = |label: &str| -> f64 {
        let at = r
            .diagram_svg
            .find(&format!(">{label}</text>"))
            .expect("the label");
        let rect = r.diagram_svg[..at].rfind("<rect").expect("its box");
        let y = &r.diagram_svg[rect..];
        let y = &y[y.find(" y=\"").expect("y") + 4..];
        y[..y.find('"').expect("end")].parse().expect("a number")
    };
    let users = rect_y("Users");
    for beside in ["Amazon Cognito", "Amazon Route 53"] {
        assert!(
            rect_y(beside) > users + 20.0,
            "{beside} is drawn below the path"
        );
    }
}

#[test]
fn plot_titles_fit_the_image_and_marker_labels_stay_inside_it() {
    let k = shipped();
    let mut plots = 0;
    for name in crate::export_support::usecase_names() {
        let r = record(&k, &name, &Evidence::default());
        for asset in &r.assets {
            plots += 1;
            let svg = &asset.svg;
            for line in svg
                .split('\n')
                .filter(|l| l.contains("font-weight=\"600\""))
            {
                let text = svg_texts(line).join("");
                let size: f64 = if line.contains("font-size=\"16\"") {
                    16.0
                } else {
                    14.0
                };
                // system-ui bold averages under 0.56 em a character
                let width = text.chars().count() as f64 * size * 0.56;
                assert!(
                    width <= 740.0,
                    "{name}: the title line “{text}” is wider than the 760-pixel image"
                );
            }
            // a marker's label starting right of 700 would run past the frame
            for line in svg.split('\n').filter(|l| l.contains("fill=\"#374151\"")) {
                if let Some(x) = line.split("<text x=\"").nth(1) {
                    let x: f64 = x[..x.find('"').expect("x")].parse().expect("x");
                    assert!(
                        line.contains("text-anchor=\"end\"") || x < 620.0,
                        "{name}: {line}"
                    );
                }
            }
        }
    }
    assert!(plots > 30, "{plots}");
}

#[test]
fn a_superseded_record_keeps_its_decision_in_the_index_and_its_html_says_superseded() {
    use crate::support::{statecraft, stderr, usecase_file};
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let first = d.join("0001-use-it.md");
    let o = statecraft(&[
        "export",
        "--answers",
        &usecase_file("web-app"),
        "--out",
        first.to_str().expect("utf-8"),
        "--html",
        d.join("0001-use-it.html").to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = statecraft(&[
        "export",
        "--answers",
        &usecase_file("serverless"),
        "--decisions-dir",
        d.to_str().expect("utf-8"),
        "--supersedes",
        "1",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = std::fs::read_to_string(d.join("0001-use-it.html")).expect("the HTML copy");
    assert!(
        html.contains("<p class=\"meta\">Status: superseded by ADR-0002 · "),
        "{}",
        &html[..html.len().min(2000)]
    );
    assert!(!html.contains("Status: proposed"));
    assert!(html.contains("Superseded by <a href=\"0002-use-stateless-stack.html\">ADR-0002</a>"));
    assert!(!html.contains(" align=\""), "no obsolete align attributes");
    assert!(html.contains("style=\"text-align: right\""));

    let report =
        review::review_dir(d, &shipped(), &review::ReviewOptions::default()).expect("reviews");
    let old = &report.records[0];
    assert_eq!(old.verdict, review::Verdict::Skipped);
    assert_eq!(old.archetype.as_deref(), Some("stateless"));
    assert!(
        old.stack_name.is_some() && old.monthly_usd.is_some(),
        "{old:?}"
    );
    let log = review::index::decision_log(&report);
    let row = log
        .lines()
        .find(|l| l.starts_with("| 0001 |"))
        .expect("the old record's row");
    assert!(
        row.contains(&format::usd(old.monthly_usd.expect("a cost")))
            && row.contains(old.stack_name.as_deref().expect("a stack")),
        "{row}"
    );
}

#[test]
fn assumed_lines_and_design_review_claims_show_no_literal_backticks() {
    let k = shipped();
    let r = record(&k, "realtime-game", &Evidence::default());
    let assumed: Vec<&str> = r
        .markdown
        .lines()
        .filter(|l| l.starts_with("* Assumed:"))
        .collect();
    assert!(!assumed.is_empty());
    for line in assumed {
        assert!(!line.contains('`'), "{line}");
    }
    let review: Vec<&str> = r
        .markdown
        .lines()
        .filter(|l| l.contains("(design review "))
        .collect();
    assert!(!review.is_empty());
    for line in review {
        assert!(!line.contains("\\`"), "{line}");
    }
}

#[test]
fn the_records_headline_cost_and_p99_are_the_numbers_the_decision_found() {
    let k = shipped();
    let answers = usecase("chaos-monkey-cart-shop", &k);
    let evidence = Evidence {
        chaos: Some(ChaosChoice { server: "A".into() }),
        seed: 5,
        ..Evidence::default()
    };
    let found = decision::findings(&k, &answers, &evidence, decision::Detail::Record)
        .expect("the findings");
    let options = options(Style::Madr, "0001-story");
    let r = export::record(&k, &found, &options).expect("the record");
    // the findings are computed once: the decision layer's record is this rendering of them
    assert_eq!(
        decision::record(&k, &answers, &evidence, &options)
            .expect("the record")
            .markdown,
        r.markdown
    );
    let headline = found.headline().expect("a run on the chosen stack");
    assert_eq!(headline.report.stack.id, found.advice.stack.id);
    let cost = headline.report.cost.monthly_usd.0;
    let p99 = headline.report.latency.p99_ms;
    assert!(cost > 0.0, "the chosen stack costs something: {cost}");
    let sealed = &r.provenance.figures[0];
    assert_eq!(sealed.stack, found.advice.stack.id);
    assert_eq!(sealed.monthly_usd, cost);
    assert_eq!(sealed.p99_ms, p99.0);
    assert_eq!(sealed.predictions.as_ref(), Some(&headline.predictions));
    let view = &r.data.simulations[0];
    assert_eq!(view.monthly_usd, format::usd(cost));
    assert_eq!(view.p99, p99.to_string());
    assert!(r.markdown.contains(&format::usd(cost)), "{}", r.markdown);
    // the chaos outcome the record tells is the one the findings hold, chosen stack first
    let chaos = found.chaos.as_ref().expect("the chaos test ran");
    let told = r
        .data
        .chaos
        .as_ref()
        .expect("the record tells the chaos test");
    assert_eq!(told.outcomes, chaos.outcomes);
    assert!(!chaos.outcomes.is_empty());
}

#[test]
fn a_review_computes_no_curves_and_no_chaos_yet_seals_the_records_provenance() {
    let k = shipped();
    let answers = usecase("web-app", &k);
    let evidence = Evidence {
        chaos: Some(ChaosChoice { server: "B".into() }),
        ..Evidence::default()
    };
    let whole = decision::findings(&k, &answers, &evidence, decision::Detail::Record)
        .expect("the findings");
    let cheap = decision::findings(&k, &answers, &evidence, decision::Detail::Provenance)
        .expect("the findings");
    assert!(whole.runs[0].curves.is_some(), "the record draws its plots");
    assert!(cheap.runs.iter().all(|r| r.curves.is_none()));
    assert!(cheap.chaos.is_none());
    assert_eq!(
        export::provenance(&k, &cheap),
        export::provenance(&k, &whole)
    );
    // a record is never rendered from findings that lack its plots
    let err = export::record(&k, &cheap, &options(Style::Madr, "0001-story")).unwrap_err();
    assert!(err.to_string().contains("Detail::Record"), "{err}");
}
