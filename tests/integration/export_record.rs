//! The decision record as a document: MADR 4.0's layout as comrak parses it, valid YAML front matter
//! that carries the inputs, every cited source present in the knowledge base, and the same bytes for
//! the same inputs (snapshots pin the text).

use comrak::nodes::NodeValue;
use statecraft::domain::decision;
use statecraft::domain::export::{self, Evidence, Style};

use crate::export_support::{DATE, front_matter, madr, options, shipped, usecase, usecase_names};

/// The headings of a markdown text as comrak parses it, indented by level.
fn heading_tree(markdown: &str) -> String {
    let arena = comrak::Arena::new();
    let root = comrak::parse_document(&arena, markdown, &export::comrak_options());
    let mut out = String::new();
    for node in root.descendants() {
        if let NodeValue::Heading(h) = &node.data().value {
            let text: String = node
                .descendants()
                .filter_map(|n| match &n.data().value {
                    NodeValue::Text(t) => Some(t.to_string()),
                    NodeValue::Code(c) => Some(c.literal.clone()),
                    _ => None,
                })
                .collect();
            out += &format!("{}{text}\n", "  ".repeat(usize::from(h.level) - 1));
        }
    }
    out
}

#[test]
fn a_madr_record_parses_into_madr_4s_heading_tree() {
    let k = shipped();
    let record = madr("chaos-monkey-cart-shop", &k);
    assert_eq!(
        heading_tree(&record.markdown),
        "\
Use a hybrid stack: ALB + EC2 Auto Scaling + ElastiCache sessions + RDS
  Context and Problem Statement
  Decision Drivers
  Considered Options
  Decision Outcome
    Consequences
    Confirmation
  Pros and Cons of the Options
    Stateless — ALB + EC2 Auto Scaling + DynamoDB sessions (three-tier)
    Stateful — ALB sticky sessions + EC2 in-memory sessions + RDS
    Hybrid — ALB + EC2 Auto Scaling + ElastiCache sessions + RDS
  More Information
    Cost and latency: From the answers
    Revisit this decision when
    Reproduce
"
    );
    // The outline the app's preview uses is the same tree.
    let outline = export::outline(&record.markdown);
    assert_eq!(outline.len(), 1);
    let sections: Vec<&str> = outline[0]
        .children
        .iter()
        .map(|h| h.text.as_str())
        .collect();
    assert_eq!(
        sections,
        [
            "Context and Problem Statement",
            "Decision Drivers",
            "Considered Options",
            "Decision Outcome",
            "Pros and Cons of the Options",
            "More Information"
        ]
    );
}

#[test]
fn a_nygard_record_has_status_context_decision_consequences() {
    let k = shipped();
    let answers = usecase("web-app", &k);
    let record = decision::record(
        &k,
        &answers,
        &Evidence::default(),
        &options(Style::Nygard, "0002-use-stateless-stack"),
    )
    .expect("record");
    assert_eq!(
        heading_tree(&record.markdown),
        "\
Use a stateless stack: ALB + ECS Fargate with short-lived JWTs
  Status
  Context
  Decision
  Consequences
"
    );
}

#[test]
fn the_front_matter_is_yaml_with_madrs_fields_first_and_a_short_stamp() {
    let k = shipped();
    let record = madr("chaos-monkey-cart-shop", &k);
    let front = front_matter(&record.markdown);
    let keys: Vec<&str> = front
        .lines()
        .filter(|l| !l.starts_with(' '))
        .filter_map(|l| l.split(':').next())
        .collect();
    assert_eq!(
        keys,
        [
            "status",
            "date",
            "decision-makers",
            "consulted",
            "informed",
            "statecraft"
        ]
    );
    assert!(front.lines().count() <= 14, "{front}");
    let docs =
        yaml_rust2::YamlLoader::load_from_str(front).expect("the front matter is valid YAML");
    let doc = &docs[0];
    assert_eq!(doc["status"].as_str(), Some("accepted"));
    assert_eq!(doc["date"].as_str(), Some(DATE));
    assert_eq!(doc["decision-makers"][0].as_str(), Some("Ana Lima"));
    assert_eq!(doc["decision-makers"][1].as_str(), Some("Ben Okafor"));
    assert_eq!(doc["consulted"][0].as_str(), Some("SRE team"));
    assert!(doc["informed"].as_vec().is_some_and(Vec::is_empty));
    let stamp = &doc["statecraft"];
    assert_eq!(
        stamp["knowledge"].as_str(),
        Some("Statecraft shipped knowledge 2026.12.1")
    );
    assert_eq!(stamp["recommendation"].as_str(), Some("hybrid"));
    assert_eq!(stamp["stack"].as_str(), Some("alb-ec2-elasticache-rds"));
    for hash in [&stamp["evidence"], &stamp["text"]] {
        assert!(
            hash.as_str()
                .is_some_and(|h| h.starts_with("sha256:") && h.len() == 7 + 64),
            "{hash:?}"
        );
    }
}

#[test]
fn the_evidence_is_json_in_a_comment_that_ends_the_record() {
    let k = shipped();
    let record = madr("chaos-monkey-cart-shop", &k);
    let md = &record.markdown;
    let open = md
        .rfind("<!-- statecraft-evidence:")
        .expect("evidence block");
    let block = &md[open..];
    assert!(block.trim_end().ends_with("-->"), "{block}");
    let json_start = block.find('\n').expect("a line") + 1;
    let json_end = block.rfind("-->").expect("close");
    let evidence: serde_json::Value =
        serde_json::from_str(&block[json_start..json_end]).expect("the evidence is JSON");
    assert_eq!(evidence["answers"]["workload"], "web-app");
    assert_eq!(evidence["answers"]["peak-rps"], 600.0);
    assert_eq!(evidence["answers"]["compliance"][0], "gdpr");
    assert_eq!(evidence["from_answers"], true);
    assert_eq!(evidence["scenarios"][0]["name"], "From the answers");
    assert_eq!(evidence["scenarios"][0]["traffic"]["peak_rps"], 600.0);
    assert_eq!(evidence["seed"], 42);
    // comrak renders the block as an HTML comment: nothing of it shows
    let html = comrak::markdown_to_html(md, &export::comrak_options());
    assert!(
        !html.contains("&quot;answers&quot;"),
        "the evidence shows in the HTML"
    );
}

#[test]
fn every_source_a_record_cites_exists_in_the_knowledge_base() {
    let k = shipped();
    for name in usecase_names() {
        let record = madr(&name, &k);
        let md = &record.markdown;
        let cited = export::cited_sources(md);
        assert!(!cited.is_empty(), "{name}: cites nothing");
        for id in &cited {
            assert!(
                k.source(id).is_some(),
                "{name}: cites unknown source `{id}`"
            );
        }
        // Every `[^id]` in the text is a footnote comrak resolved, i.e. one with its definition.
        let mut written: Vec<&str> = md
            .split("[^")
            .skip(1)
            .filter_map(|rest| rest.split(']').next())
            .collect();
        written.sort_unstable();
        written.dedup();
        let mut resolved: Vec<&str> = cited.iter().map(String::as_str).collect();
        resolved.sort_unstable();
        assert_eq!(
            written, resolved,
            "{name}: a reference without its footnote"
        );
        // Every rule named exists too.
        for rest in md.split("(rule `").skip(1) {
            let id = rest.split('`').next().unwrap_or_default();
            assert!(k.rule(id).is_some(), "{name}: names unknown rule `{id}`");
        }
    }
}

#[test]
fn drivers_are_the_strongest_fired_rules_for_the_recommendation() {
    let k = shipped();
    let record = madr("chaos-monkey-cart-shop", &k);
    let first = &record.data.drivers[0];
    assert_eq!(first.rule.as_deref(), Some("transactions-stateful-core"));
    assert_eq!(first.points.as_deref(), Some("+4 hybrid"));
    assert_eq!(first.sources, ["seed-hybrid-designs"]);
    assert!(record.markdown.contains(
        "* Core transaction logic that must stay strongly consistent belongs in a stateful component such as an Aurora-backed endpoint, with stateless services around it. (rule `transactions-stateful-core`, +4 hybrid)[^seed-hybrid-designs]\n"
    ));
}

#[test]
fn the_confirmation_is_a_fis_experiment_that_kills_one_server_of_the_chosen_stack() {
    let k = shipped();
    let record = madr("chaos-monkey-cart-shop", &k);
    let experiment = record
        .data
        .confirmation
        .experiment
        .as_ref()
        .expect("an experiment");
    assert_eq!(experiment.action, "aws:ec2:terminate-instances");
    let template: serde_json::Value =
        serde_json::from_str(&experiment.template_json).expect("the template is JSON");
    assert_eq!(
        template["actions"]["kill-one-server"]["actionId"],
        "aws:ec2:terminate-instances"
    );
    assert_eq!(
        template["targets"]["one-server"]["selectionMode"],
        "COUNT(1)"
    );
    assert_eq!(
        template["targets"]["one-server"]["resourceType"],
        "aws:ec2:instance"
    );
    assert!(template["stopConditions"][0]["source"] == "aws:cloudwatch:alarm");
    assert!(record.markdown.contains("```json\n{\n  \"actions\""));
    assert!(record.markdown.contains("Expected: No session is lost"));
    // A static site has no servers to kill, and says so.
    let site = madr("static-site", &k);
    assert!(site.data.confirmation.experiment.is_none());
    assert!(site.markdown.contains("there is nothing to kill"));
}

#[test]
fn tripwires_come_from_the_tipping_points() {
    let k = shipped();
    let record = madr("chaos-monkey-cart-shop", &k);
    assert!(record.markdown.contains(
        "* Answer “50,000 requests/s” to “What peak traffic do you expect?” (now “600 requests/s”) and the recommendation becomes stateless. Its stack would be ALB + EC2 Auto Scaling + DynamoDB sessions (three-tier).\n"
    ));
}

#[test]
fn the_chosen_stack_is_drawn_as_a_mermaid_flowchart() {
    let k = shipped();
    let record = madr("chaos-monkey-cart-shop", &k);
    let diagram = export::blocks(&record.markdown)
        .into_iter()
        .find_map(|b| match b {
            export::PreviewBlock::Code { info, text } if info == "mermaid" => Some(text),
            _ => None,
        })
        .expect("a mermaid block");
    assert_eq!(
        diagram,
        "\
flowchart LR
  users([Users])
  alb[\"Application Load Balancer\"]
  ec2[\"Amazon EC2 with Auto Scaling\"]
  elasticache_redis[(\"Amazon ElastiCache (Redis OSS / Valkey)\")]
  rds_postgres[(\"Amazon RDS for PostgreSQL\")]
  s3[(\"Amazon S3\")]
  users --> alb
  alb --> ec2
  ec2 -->|sessions| elasticache_redis
  ec2 -->|data| rds_postgres
  ec2 -->|files| s3
"
    );
}

#[test]
fn the_same_inputs_give_the_same_bytes() {
    let k = shipped();
    assert_eq!(
        madr("realtime-game", &k).markdown,
        madr("realtime-game", &k).markdown
    );
}

#[test]
fn madr_record_of_the_chaos_monkey_cart_shop() {
    let k = shipped();
    insta::assert_snapshot!(madr("chaos-monkey-cart-shop", &k).markdown);
}

#[test]
fn madr_record_of_a_static_site() {
    let k = shipped();
    insta::assert_snapshot!(madr("static-site", &k).markdown);
}

#[test]
fn nygard_record_of_a_realtime_game() {
    let k = shipped();
    let answers = usecase("realtime-game", &k);
    let record = decision::record(
        &k,
        &answers,
        &Evidence::default(),
        &options(Style::Nygard, "0003-use-stateful-stack"),
    )
    .expect("record");
    insta::assert_snapshot!(record.markdown);
}
