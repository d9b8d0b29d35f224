//! `check-knowledge`: every broken knowledge pack gets its exact error — file, line:column, JSON
//! path, what is wrong and the fix — all problems at once, and exit code 2.

use crate::support::{repo, statecraft, stderr, stdout};

fn check(case: &str) -> (i32, String) {
    let dir = format!("tests/fixtures/broken/{case}");
    let out = statecraft(&["check-knowledge", &dir]);
    assert!(
        out.stdout.is_empty(),
        "nothing on stdout when the check fails"
    );
    (out.status.code().unwrap_or(-1), stderr(&out))
}

#[test]
fn the_shipped_knowledge_is_valid_and_large_enough() {
    let out = statecraft(&["check-knowledge"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("ok: Statecraft shipped knowledge"),
        "{text}"
    );
    let k = statecraft::domain::knowledge::Knowledge::shipped().expect("valid");
    assert!(k.questions.len() >= 15, "at least 15 questions");
    assert!(k.rules.len() >= 40, "at least 40 rules");
    assert!(k.stacks.len() >= 7, "at least 7 stacks");
    assert!(
        k.rules
            .iter()
            .all(|r| r.source.as_deref().is_some_and(|s| k.source(s).is_some())),
        "no rule without a source"
    );
    assert!(
        k.prices
            .iter()
            .all(|p| p.as_of.is_some() && p.source.is_some()),
        "every price dated and sourced"
    );
}

#[test]
fn the_seeds_services_are_all_in_the_base() {
    let k = statecraft::domain::knowledge::Knowledge::shipped().expect("valid");
    for id in [
        "alb",
        "ec2",
        "ecs",
        "fargate",
        "eks",
        "lambda",
        "apigw-http",
        "apigw-rest",
        "apigw-websocket",
        "cloudfront",
        "s3",
        "dynamodb",
        "elasticache-redis",
        "elasticache-memcached",
        "rds-postgres",
        "aurora-serverless",
        "cognito",
        "msk",
    ] {
        assert!(
            k.service(id).is_some(),
            "service `{id}` is in services.json"
        );
    }
}

#[test]
fn a_duplicate_rule_id_names_both_places() {
    let (code, err) = check("duplicate-rule-id");
    assert_eq!(code, 2);
    assert_eq!(
        err,
        r#"error: tests/fixtures/broken/duplicate-rule-id/rules.json:4:6: at `rules[1].id`: duplicate id `team-rule`: it is already used at line 2
  fix: give each entry its own id, or delete one of the two
"#
    );
}

#[test]
fn a_rule_naming_an_unknown_question_suggests_the_near_one() {
    let (code, err) = check("unknown-question");
    assert_eq!(code, 2);
    assert_eq!(
        err,
        r#"error: tests/fixtures/broken/unknown-question/rules.json:2:34: at `rules[0].when.q`: the condition names question `team-realtim`, which questions.json does not define (did you mean `team-realtime`?)
  fix: use the id of a question in questions.json
"#
    );
}

#[test]
fn a_rule_naming_an_unknown_option_lists_the_real_ones() {
    let (code, err) = check("unknown-option");
    assert_eq!(code, 2);
    assert_eq!(
        err,
        r#"error: tests/fixtures/broken/unknown-option/rules.json:2:68: at `rules[0].when.in[1]`: question `team-tier` has no option `huge` (did you mean `large`?)
  fix: use one of: small, large
"#
    );
}

#[test]
fn a_stack_naming_an_unknown_service_is_placed_at_the_service() {
    let (code, err) = check("unknown-service");
    assert_eq!(code, 2);
    assert_eq!(
        err,
        r#"error: tests/fixtures/broken/unknown-service/stacks.json:3:116: at `stacks[0].services[2].service`: stack `team-stack` names service `dynamo-db`, which services.json does not define (did you mean `dynamodb`?)
  fix: use the id of a service in services.json, or add the service
"#
    );
}

#[test]
fn a_price_without_source_or_date_is_refused() {
    let (code, err) = check("price-without-source");
    assert_eq!(code, 2);
    assert_eq!(
        err,
        r#"error: tests/fixtures/broken/price-without-source/prices.json:2:5: at `prices[0]`: price `team-discount` has no `source`
  fix: add "source": the AWS page it comes from
error: tests/fixtures/broken/price-without-source/prices.json:3:5: at `prices[1]`: price `team-cache` has no `as_of` date
  fix: add "as_of": "YYYY-MM" (when the figure was read)
"#
    );
}

#[test]
fn a_branching_cycle_is_reported_once_with_its_loop() {
    let (code, err) = check("branching-cycle");
    assert_eq!(code, 2);
    assert_eq!(
        err,
        r#"error: tests/fixtures/broken/branching-cycle/questions.json:2:82: at `questions[0].show_if`: branching cycle: `team-a` → `team-b` → `team-a` (each is shown only if the next is answered)
  fix: break the loop: a question's show_if may only name questions that come before it
"#
    );
}

#[test]
fn a_weight_out_of_range_names_the_limits() {
    let (code, err) = check("weight-out-of-range");
    assert_eq!(code, 2);
    assert_eq!(
        err,
        r#"error: tests/fixtures/broken/weight-out-of-range/rules.json:2:57: at `rules[0].scores.stateful`: rule `team-rule` gives 50 points; weights go from -10 to 10
  fix: use a weight between -10 and 10; split a stronger effect over several rules
"#
    );
}

#[test]
fn a_truncated_file_says_it_ends_early() {
    let (code, err) = check("truncated-json");
    assert_eq!(code, 2);
    assert_eq!(
        err,
        r#"error: tests/fixtures/broken/truncated-json/rules.json:3:1: at `rules[0]`: the file ends early (EOF while parsing a value); it may be truncated
  fix: close every open bracket, brace and quote, or restore the file from a copy
"#
    );
}

#[test]
fn a_wrong_type_names_the_json_type_expected() {
    let (code, err) = check("wrong-type");
    assert_eq!(code, 2);
    assert_eq!(
        err,
        r#"error: tests/fixtures/broken/wrong-type/prices.json:2:70: at `prices[0].usd`: invalid type: string "cheap", expected a number
  fix: give the value the type named in the message
"#
    );
}

#[test]
fn no_rule_without_a_source() {
    let (code, err) = check("rule-without-source");
    assert_eq!(code, 2);
    assert_eq!(
        err,
        r#"error: tests/fixtures/broken/rule-without-source/rules.json:2:5: at `rules[0].source`: rule `team-rule-a` has no `source`
  fix: add "source": "<id of an entry in sources.json>": no rule without a source
error: tests/fixtures/broken/rule-without-source/rules.json:3:101: at `rules[1].source`: rule `team-rule-b` cites source `seed-chaos-monky`, which sources.json does not define (did you mean `seed-chaos-monkey`?)
  fix: add the source to sources.json (seed document and section, or AWS page), or cite an existing one
"#
    );
}

#[test]
fn disabling_an_unknown_rule_is_an_error() {
    let (code, err) = check("disable-unknown-rule");
    assert_eq!(code, 2);
    assert_eq!(
        err,
        r#"error: tests/fixtures/broken/disable-unknown-rule/manifest.json:1:82: at `disable_rules[0]`: `disable_rules` names `no-such-rule`, which is not a rule of the shipped base
  fix: use the id of a shipped rule (statecraft check-knowledge lists them), or remove the entry
"#
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let (code, err) = check("many-problems");
    assert_eq!(code, 2);
    assert_eq!(
        err,
        r#"error: tests/fixtures/broken/many-problems/rules.json:2:34: at `rules[0].when.q`: the condition names question `team-x`, which questions.json does not define
  fix: use the id of a question in questions.json
error: tests/fixtures/broken/many-problems/rules.json:4:6: at `rules[1].id`: id `Team_Rule` is not lowercase kebab-case
  fix: use lowercase letters, digits and dashes, starting with a letter or digit (e.g. `session-store`)
error: tests/fixtures/broken/many-problems/rules.json:4:57: at `rules[1].scores.hybrid`: rule `Team_Rule` gives -11 points; weights go from -10 to 10
  fix: use a weight between -10 and 10; split a stronger effect over several rules
"#
    );
}

#[test]
fn a_replace_pack_must_hold_every_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    for file in ["sources", "questions", "rules", "services", "stacks"] {
        let from = crate::support::repo()
            .join("knowledge")
            .join(format!("{file}.json"));
        std::fs::copy(from, dir.path().join(format!("{file}.json"))).expect("copy");
    }
    std::fs::write(
        dir.path().join("manifest.json"),
        r#"{"name": "Our own base", "version": "1", "mode": "replace"}"#,
    )
    .expect("write");
    let out = statecraft(&["check-knowledge", dir.path().to_str().expect("utf-8 path")]);
    assert_eq!(out.status.code(), Some(2));
    let manifest = dir.path().join("manifest.json").display().to_string();
    assert_eq!(
        stderr(&out),
        format!(
            "error: {manifest}:1:42: at `mode`: a pack with \"mode\": \"replace\" must hold every file, and prices.json is missing\n  fix: add prices.json to the pack, or use \"mode\": \"overlay\" to take it from the shipped base\n\
             error: {manifest}:1:42: at `mode`: a pack with \"mode\": \"replace\" must hold every file, and figures.json is missing\n  fix: add figures.json to the pack, or use \"mode\": \"overlay\" to take it from the shipped base\n"
        )
    );
}

#[test]
fn a_capability_naming_an_unknown_protocol_suggests_the_known_one() {
    let (code, err) = check("unknown-protocol");
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: tests/fixtures/broken/unknown-protocol/services.json:4:65: at `services[0].capabilities.protocols[1]`: service `team-gateway` names protocol `websockets`, which is not one Statecraft knows (did you mean `websocket`?)
  fix: use one of: http, websocket, tcp, udp, mqtt, sftp, ftps, ftp, dns, graphql
"
    );
}

#[test]
fn a_requirement_no_service_can_meet_is_refused_at_its_needs() {
    let (code, err) = check("impossible-requirement");
    assert_eq!(code, 2);
    assert!(
        err.starts_with(
            "error: tests/fixtures/broken/impossible-requirement/rules.json:5:6: at `requirements[0].needs`: requirement `websocket-in-a-microsecond`: no service that can be the front door meets it ("
        ),
        "{err}"
    );
    assert!(err.contains("fix: add the capability to a service that has it"));
}

#[test]
fn a_tier_the_requirements_call_for_needs_a_service_that_can_fill_it() {
    // the pack takes Route 53 out of the DNS tier, which the shipped requirements call for when a
    // system spans Regions or answers lookups
    let (code, err) = check("tier-without-candidate");
    assert_eq!(code, 2);
    for id in ["dns-for-regions", "dns-lookups"] {
        assert!(
            err.contains(&format!(
                "requirement `{id}` is about the DNS tier, which no service can fill\n  fix: add \"dns\" to the `tiers` of a service's capabilities"
            )),
            "{err}"
        );
    }
}

#[test]
fn a_design_review_check_needs_a_source_a_mitigation_and_its_cost_and_a_warning_needs_a_check() {
    let (code, err) = check("review-checks");
    assert_eq!(code, 2);
    assert_eq!(
        err,
        r#"error: tests/fixtures/broken/review-checks/rules.json:6:5: at `checks[0].source`: check `team-unsourced` has no `source`
  fix: add "source": "<id of an entry in sources.json>": no rule without a source
error: tests/fixtures/broken/review-checks/rules.json:7:5: at `checks[1]`: check `team-risk-without-mitigation` is a risk with no `mitigation`
  fix: say what mitigates it: "mitigation": {"text": …, "price": PRICE-ID} (or "no_charge": why it costs nothing)
error: tests/fixtures/broken/review-checks/rules.json:8:147: at `checks[2].mitigation`: check `team-mitigation-without-cost`'s mitigation does not say what it costs
  fix: add "price": the id of the price it adds to the bill, or "no_charge": why it adds nothing
error: tests/fixtures/broken/review-checks/rules.json:9:47: at `checks[3].services[0]`: check `team-unknown-price` reviews `alb` in the session tier, which `alb` does not fill
  fix: name a service that fills the check's `tier`, or change the tier
error: tests/fixtures/broken/review-checks/rules.json:9:108: at `checks[3].exceeds.figure`: check `team-unknown-price` compares with figure `alb-lcus`, which figures.json does not define
  fix: name a figure in figures.json: the check's numbers must be sourced and dated
error: tests/fixtures/broken/review-checks/rules.json:9:204: at `checks[3].mitigation.price`: check `team-unknown-price`'s mitigation is priced by `alb-lcus`, which prices.json does not define (did you mean `alb-lcu`?)
  fix: name the price the mitigation adds to the bill
error: tests/fixtures/broken/review-checks/rules.json:3:82: at `rules[0].stacks`: rule `team-warns-about-functions` warns against a reference stack but neither constrains, penalises the services, nor names a design-review check, so a composed stack with the same services would carry the risk without a word
  fix: name the check that carries the warning and its mitigation in "review": [CHECK-ID], the requirement that enforces it in "constrains", or take the points from the services themselves in `services`
"#
    );
}

#[test]
fn a_service_alias_taken_twice_and_a_missing_price_that_is_not_one_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut services: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(crate::support::repo().join("knowledge/services.json"))
            .expect("services"),
    )
    .expect("json");
    let memcached = services["services"]
        .as_array_mut()
        .expect("services")
        .iter_mut()
        .find(|s| s["id"] == "elasticache-memcached")
        .expect("memcached");
    // `elasticache` already names elasticache-redis, and `s3` is a service's id
    memcached["aliases"] = serde_json::json!(["elasticache", "s3"]);
    std::fs::write(
        dir.path().join("services.json"),
        serde_json::json!({"services": [memcached.clone()]}).to_string(),
    )
    .expect("write");
    std::fs::write(
        dir.path().join("manifest.json"),
        r#"{"name": "Aliases", "version": "1", "mode": "overlay"}"#,
    )
    .expect("manifest");
    std::fs::create_dir(dir.path().join("prices")).expect("prices folder");
    std::fs::write(
        dir.path().join("prices/ap-southeast-2.json"),
        r#"{"region": "ap-southeast-2", "name": "Asia Pacific (Sydney)", "as_of": "2026-12", "source": "test",
            "prices": [], "missing": {"note": "none found", "ids": ["alb-hours", "alb-hourz"]}}"#,
    )
    .expect("pack");
    let out = statecraft(&["check-knowledge", dir.path().to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains("at `services[0].aliases[0]`: service `elasticache-memcached`: the alias `elasticache` names more than one service (elasticache-redis, elasticache-memcached)"),
        "{err}"
    );
    assert!(
        err.contains("at `services[0].aliases[1]`: service `elasticache-memcached`: the alias `s3` is the id of service `s3`"),
        "{err}"
    );
    assert!(
        err.contains("ap-southeast-2.json:2:82: at `missing.ids[1]`: `alb-hourz` is not a price of prices.json"),
        "{err}"
    );
}

#[test]
fn a_bill_name_two_services_claim_an_unknown_category_or_an_unnamed_offer_code_is_refused() {
    let (code, err) = check("billing-names");
    assert_eq!(code, 2);
    // the shipped entry the pack collides with, wherever it sits in the shipped file
    let shipped = std::fs::read_to_string(repo().join("knowledge/prices.json")).expect("prices");
    let line = shipped
        .lines()
        .position(|l| l.contains(r#""service_code": "AWSLambda""#))
        .expect("the shipped Lambda billing entry")
        + 1;
    let err = err.replace(&format!("line {line})"), "line N)");
    assert_eq!(
        err,
        r#"error: tests/fixtures/broken/billing-names/prices.json:5:36: at `billing[0].service_name`: billed service `TeamLambda` is named `aws lambda`, which already names `AWSLambda` (knowledge/prices.json, line N): a bill's line could not tell them apart
  fix: give each service code the one `ServiceName` AWS bills it under, and remove the other
error: tests/fixtures/broken/billing-names/prices.json:6:65: at `billing[1].category`: billed service `TeamQueue`'s category `Queues` is not a FOCUS 1.0 ServiceCategory
  fix: use one of: AI and Machine Learning, Analytics, Business Applications, Compute, Databases, Developer Tools, Multicloud, Identity, Integration, Internet of Things, Management and Governance, Media, Migration, Mobile, Networking, Security, Storage, Web, Other
error: tests/fixtures/broken/billing-names/prices.json:6:100: at `billing[1].services[0]`: billed service `TeamQueue` names service `sqs-fifo`, which services.json does not define
  fix: use the id of a service in services.json, or add the service
error: tests/fixtures/broken/billing-names/prices.json:7:111: at `billing[2].services[0]`: billed service `TeamContainers` lists service `ecs`, which `AmazonECS` already lists: a price is billed under one code
  fix: list the service under the one code AWS bills its prices under
error: tests/fixtures/broken/billing-names/prices.json:2:195: at `prices[0].offer.servicecode`: price `team-queue-requests` is billed under service code `AWSQueueServce`, which prices.json's `billing` does not name (did you mean `AWSQueueService`?)
  fix: add {"service_code", "service_name", "category", "source", "as_of"} for it to `billing` (its name as AWS's FOCUS export writes `ServiceName`)
"#
    );
}

#[test]
fn a_purpose_built_service_without_a_source_a_price_for_what_it_bills_or_capabilities_is_refused() {
    let (code, err) = check("unpriced-service");
    assert_eq!(code, 2);
    for expected in [
        "at `services[0].source`: service `team-keydb` has no `source`",
        "at `services[0].capabilities.usage[0].meter`: service `team-keydb` bills `node_hours`, which no price of the service meters\n  fix: add a price for `team-keydb` to prices.json",
        "at `services[1].source`: service `opensearch` cites source `aws-opensearch-nowhere`, which sources.json does not define",
        "at `services[1]`: service `opensearch` declares no `capabilities`, so no stack can be composed with it",
    ] {
        assert!(err.contains(expected), "{expected}\nnot in\n{err}");
    }
}

#[test]
fn a_door_that_hands_a_target_a_protocol_it_does_not_speak_or_a_target_it_lacks_is_refused() {
    let (code, err) = check("door-hands-unknown");
    assert_eq!(code, 2);
    assert!(
        err.contains("at `services[0].capabilities.target_protocols.gamelift`: service `alb` says what it hands `gamelift`, which is not one of its `targets`"),
        "{err}"
    );
    assert!(
        err.contains("at `services[0].capabilities.target_protocols.lambda[1]`: service `alb` hands `lambda` udp, a protocol it does not speak itself"),
        "{err}"
    );
}

#[test]
fn where_the_review_checks_compliance_scopes_every_service_says_its_own_and_each_names_a_real_program()
 {
    let (code, err) = check("compliance-scope");
    assert_eq!(code, 2);
    for expected in [
        "at `checks[0].outside_scope`: check `team-outside-fedramp` checks the scope of `fedramp`, which is not a compliance program the `compliance` question offers",
        "at `services[0].in_scope`: service `team-queue` does not say which compliance programs list it, and the design review checks them",
        "at `services[1].in_scope[1]`: service `team-cache` is in the scope of `fedramp`, which is not a compliance program the `compliance` question offers",
    ] {
        assert!(err.contains(expected), "{expected}\nnot in\n{err}");
    }
}
