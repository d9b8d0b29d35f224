//! Purpose-built services for search and video. A product whose users search its content gets a
//! search engine (Amazon OpenSearch Service) beside its database; one that broadcasts live video
//! to many viewers gets Amazon IVS, billed per hour broadcast and per hour each viewer watches; one
//! whose users upload videos gets AWS Elemental MediaConvert to transcode them, S3 to keep them and
//! a CDN to play them. None of them appears unless the answers call for it, and answers files
//! written before these questions existed compose the stacks they always did.

use statecraft::domain::answers::Answers;
use statecraft::domain::decision::describe;
use statecraft::domain::json_source::SourceText;
use statecraft::domain::knowledge::{AnswerValue, Knowledge, StackTier};
use statecraft::domain::rules::{Advice, Engine};
use statecraft::domain::sim::{SimReport, simulate};
use statecraft::domain::wizard;

use crate::sim_support::{knowledge, product_answers};
use crate::support::{fixtures, statecraft, stderr};

/// A public web app's founder: people on HTTP, sessions kept, 200 requests/s at the peak.
fn web_app() -> Answers {
    let mut a = product_answers("web-app", 200.0, "daily-cycle");
    a.set("client-kind", AnswerValue::Choices(vec!["people".into()]));
    a.set(
        "client-protocols",
        AnswerValue::Choices(vec!["http".into()]),
    );
    a.set("keeps-sessions", AnswerValue::Bool(true));
    a
}

fn with(mut a: Answers, id: &str, v: AnswerValue) -> Answers {
    a.set(id, v);
    a
}

fn video(kinds: &[&str]) -> AnswerValue {
    AnswerValue::Choices(kinds.iter().map(|s| s.to_string()).collect())
}

fn advise(k: &Knowledge, answers: &Answers) -> Advice {
    Engine::new(k).advise(&wizard::with_defaults(k, answers))
}

/// The month the answers describe, simulated on the advised stack (one run, likely values).
fn month(k: &Knowledge, answers: &Answers) -> (Advice, SimReport) {
    let advice = advise(k, answers);
    let s = statecraft::domain::decision::likely_only(
        &describe(k, &advice.stack.id, answers, 42).scenario,
    );
    let report = simulate(k, &s).expect("the scenario simulates");
    (advice, report)
}

/// The bill's lines for `price`: (quantity, dollars).
fn billed(r: &SimReport, price: &str) -> Option<(f64, f64)> {
    r.cost
        .by_service
        .iter()
        .find(|l| l.price_id == price)
        .map(|l| (l.quantity, l.monthly_usd.0))
}

fn service_total(r: &SimReport, service: &str) -> f64 {
    r.cost
        .by_service
        .iter()
        .filter(|l| l.service == service)
        .map(|l| l.monthly_usd.0)
        .sum()
}

#[test]
fn a_product_whose_users_search_gets_opensearch_and_pays_for_its_nodes_and_index() {
    let k = knowledge();
    let answers = with(web_app(), "search", AnswerValue::Bool(true));
    let (advice, report) = month(&k, &answers);
    assert_eq!(
        advice.stack.in_tier(StackTier::Search),
        Some("opensearch"),
        "{}",
        advice.stack.id
    );
    assert!(advice.stack.id.ends_with("+search=opensearch"));
    // its why cites the rule and the requirement that brought it in, not another tier's rule
    let svc = advice
        .stack
        .services
        .iter()
        .find(|s| s.id == "opensearch")
        .expect("OpenSearch in the stack");
    assert!(
        svc.why.contains("users search the product's content"),
        "{}",
        svc.why
    );
    assert!(svc.why.contains("inverted index"), "{}", svc.why);
    assert!(
        advice
            .requirements
            .iter()
            .any(|r| r.id == "content-searched" && r.met)
    );
    // two r6g.large.search data nodes every hour of the month, at $0.167 an hour
    let (hours, usd) = billed(&report, "opensearch-r6g-large").expect("the domain's nodes");
    assert_eq!(hours, 2.0 * 730.0);
    assert!((usd - 1460.0 * 0.167).abs() < 1e-6, "{usd}");
    // the index holds the data kept with a replica of every shard, and AWS's 45 % overhead
    let (gb, _) = billed(&report, "opensearch-gp3-storage").expect("the index's storage");
    let stored = describe(&k, &advice.stack.id, &answers, 42)
        .scenario
        .traffic
        .stored_gb;
    assert!(stored > 0.0);
    assert!((gb - 2.9 * stored).abs() < 1e-9, "{gb} vs {stored}");
}

#[test]
fn a_product_without_search_has_no_search_engine_and_pays_for_none() {
    let k = knowledge();
    for answers in [
        web_app(),
        with(web_app(), "search", AnswerValue::Bool(false)),
    ] {
        let (advice, report) = month(&k, &answers);
        assert_eq!(advice.stack.in_tier(StackTier::Search), None);
        assert!(!advice.stack.id.contains("opensearch"));
        assert_eq!(service_total(&report, "opensearch"), 0.0);
    }
    // the same product with search costs more by the domain's lines alone
    let (_, without) = month(&k, &web_app());
    let (_, searched) = month(&k, &with(web_app(), "search", AnswerValue::Bool(true)));
    let domain = service_total(&searched, "opensearch");
    assert!(domain > 240.0, "{domain}");
    assert!(
        (searched.cost.monthly_usd.0 - without.cost.monthly_usd.0 - domain).abs() < 0.01,
        "{} vs {} + {domain}",
        searched.cost.monthly_usd.0,
        without.cost.monthly_usd.0
    );
}

#[test]
fn an_availability_above_99_percent_flags_a_search_domain_in_too_few_zones_with_the_third_node_priced()
 {
    let k = knowledge();
    let searched = with(web_app(), "search", AnswerValue::Bool(true));
    let finding = |a: &Answers| {
        advise(&k, a)
            .review
            .into_iter()
            .find(|f| f.check == "search-domain-zones")
    };
    let f = finding(&with(
        searched.clone(),
        "availability",
        AnswerValue::Choice("99-99".into()),
    ))
    .expect("the review names the zones");
    assert_eq!(f.service.as_deref(), Some("opensearch"));
    assert_eq!(f.mitigation_price.as_deref(), Some("opensearch-r6g-large"));
    assert!(
        finding(&with(
            searched,
            "availability",
            AnswerValue::Choice("99".into())
        ))
        .is_none()
    );
}

fn live_show(users: f64) -> Answers {
    let mut a = with(web_app(), "video", video(&["live"]));
    a.set(
        "client-protocols",
        AnswerValue::Choices(vec!["http".into(), "websocket".into()]),
    );
    a.set("realtime", AnswerValue::Bool(true));
    a.set("connection-pattern", AnswerValue::Choice("rooms".into()));
    a.set("monthly-users", AnswerValue::Number(users));
    a
}

#[test]
fn a_live_broadcast_gets_ivs_and_its_bill_grows_with_the_viewers() {
    let k = knowledge();
    let (advice, small) = month(&k, &live_show(1_000.0));
    assert_eq!(advice.stack.in_tier(StackTier::Broadcast), Some("ivs"));
    // no server of the product's carries the video; the review says IVS is one-to-many and that
    // the account's concurrent views are limited, with the (free) quota increase as mitigation
    for check in ["ivs-is-one-to-many", "ivs-concurrent-views-quota"] {
        assert!(advice.review.iter().any(|f| f.check == check), "{check}");
    }
    // 100 hours broadcast (the question's default) on a standard channel, at $2.00 an hour
    assert_eq!(billed(&small, "ivs-input-standard"), Some((100.0, 200.0)));
    // 1,000 users × 2 hours each (the default), at $0.075 an HD viewer-hour
    let (hours, usd) = billed(&small, "ivs-output-hd").expect("the viewers' hours");
    assert_eq!(hours, 2_000.0);
    assert!((usd - 150.0).abs() < 1e-9, "{usd}");
    // ten times the viewers: ten times the viewer-hours; the broadcast's own hours are unchanged
    let (_, large) = month(&k, &live_show(10_000.0));
    assert_eq!(billed(&large, "ivs-output-hd").map(|l| l.0), Some(20_000.0));
    assert_eq!(billed(&large, "ivs-input-standard"), Some((100.0, 200.0)));
    assert!(service_total(&large, "ivs") > service_total(&small, "ivs") + 1_300.0);
    // a founder's own figures replace the defaults
    let mut answered = live_show(1_000.0);
    answered.set("live-hours-month", AnswerValue::Number(40.0));
    answered.set("viewer-hours-per-user", AnswerValue::Number(0.5));
    let (_, r) = month(&k, &answered);
    assert_eq!(billed(&r, "ivs-input-standard"), Some((40.0, 80.0)));
    assert_eq!(billed(&r, "ivs-output-hd").map(|l| l.0), Some(500.0));
}

#[test]
fn uploaded_videos_are_transcoded_by_mediaconvert_kept_in_s3_and_played_through_a_cdn() {
    let k = knowledge();
    // an API's founder, whose stack would have no CDN or bucket of its own
    let mut a = product_answers("rest-api", 200.0, "daily-cycle");
    a.set(
        "client-protocols",
        AnswerValue::Choices(vec!["http".into()]),
    );
    let (plain, _) = month(&k, &a);
    assert_eq!(plain.stack.in_tier(StackTier::Transcode), None);
    a.set("video", video(&["uploaded"]));
    a.set("video-minutes-month", AnswerValue::Number(3_000.0));
    let (advice, report) = month(&k, &a);
    assert_eq!(
        advice.stack.in_tier(StackTier::Transcode),
        Some("mediaconvert")
    );
    assert_eq!(advice.stack.in_tier(StackTier::Files), Some("s3"));
    assert_eq!(advice.stack.in_tier(StackTier::Cdn), Some("cloudfront"));
    for id in [
        "uploaded-video-transcoded",
        "uploaded-video-kept",
        "uploaded-video-from-cdn",
    ] {
        assert!(
            advice.requirements.iter().any(|r| r.id == id && r.met),
            "{id}: {:?}",
            advice.requirements
        );
    }
    // three renditions of every uploaded minute: two HD at $0.015 and one SD at $0.0075
    assert_eq!(
        billed(&report, "mediaconvert-basic-hd").map(|l| l.0),
        Some(6_000.0)
    );
    assert_eq!(
        billed(&report, "mediaconvert-basic-sd").map(|l| l.0),
        Some(3_000.0)
    );
    assert!((service_total(&report, "mediaconvert") - 112.5).abs() < 1e-9);
    assert!(
        advice
            .review
            .iter()
            .any(|f| f.check == "uploaded-video-plays-after-transcoding")
    );
}

#[test]
fn a_product_with_both_kinds_of_video_gets_both_services() {
    let k = knowledge();
    let advice = advise(
        &k,
        &with(live_show(1_000.0), "video", video(&["uploaded", "live"])),
    );
    assert_eq!(advice.stack.in_tier(StackTier::Broadcast), Some("ivs"));
    assert_eq!(
        advice.stack.in_tier(StackTier::Transcode),
        Some("mediaconvert")
    );
}

#[test]
fn no_video_stands_alone_and_asks_for_no_video_service() {
    let k = knowledge();
    let advice = advise(&k, &with(web_app(), "video", video(&["none"])));
    assert_eq!(advice.stack.in_tier(StackTier::Broadcast), None);
    assert_eq!(advice.stack.in_tier(StackTier::Transcode), None);
    // "No video" beside a kind of video is refused, naming the question
    let file = std::env::temp_dir().join(format!("statecraft-video-{}.json", std::process::id()));
    std::fs::write(
        &file,
        r#"{"answers": {"workload": "web-app", "video": ["none", "live"]}}"#,
    )
    .expect("a temporary answers file");
    let out = statecraft(&["advise", "--answers", &file.display().to_string()]);
    let _ = std::fs::remove_file(&file);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("video"), "{}", stderr(&out));
}

#[test]
fn answers_files_written_before_search_and_video_existed_compose_the_stacks_they_always_did() {
    let k = knowledge();
    let all = std::fs::read_to_string(fixtures().join("usecase-expectations/expected.json"))
        .expect("expectations readable");
    let all: serde_json::Value = serde_json::from_str(&all).expect("json");
    let cases = all.as_object().expect("use cases by name");
    assert!(cases.len() >= 20);
    for (name, expected) in cases {
        let path = fixtures().join("usecases").join(format!("{name}.json"));
        let src = SourceText::read(&path, "answers").expect("fixture readable");
        let answers = Answers::parse(&src, &k).expect("an old answers file still loads");
        for id in [
            "search",
            "video",
            "video-minutes-month",
            "live-hours-month",
            "viewer-hours-per-user",
        ] {
            assert!(answers.get(id).is_none(), "{name} predates `{id}`");
        }
        // the new questions are not answered: the record lists them as defaults
        let defaulted = statecraft::domain::decision::defaulted(&k, &answers);
        assert!(defaulted.iter().any(|q| q == "search"), "{name}");
        assert!(defaulted.iter().any(|q| q == "video"), "{name}");
        // as the use cases' expectations were recorded: the answers as the file gives them
        let as_given = Engine::new(&k).advise(&answers);
        if let Some(stack) = expected["expected_stack"].as_str() {
            assert_eq!(as_given.stack.id, stack, "{name}");
        }
        // and with every unanswered question at its default, as the record advises
        let advice = advise(&k, &answers);
        for tier in [
            StackTier::Search,
            StackTier::Broadcast,
            StackTier::Transcode,
        ] {
            assert_eq!(as_given.stack.in_tier(tier), None, "{name}");
            assert_eq!(advice.stack.in_tier(tier), None, "{name}");
        }
        // and the month costs nothing for them
        let s = describe(&k, &advice.stack.id, &answers, 42).scenario;
        assert_eq!(s.traffic.video_minutes, 0.0, "{name}");
        assert_eq!(s.traffic.live_hours, 0.0, "{name}");
    }
}

#[test]
fn check_knowledge_refuses_a_search_or_video_service_or_price_without_a_source() {
    let out = statecraft(&[
        "check-knowledge",
        "tests/fixtures/broken/media-without-source",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: tests/fixtures/broken/media-without-source/services.json:2:5: at `services[0].source`: service `opensearch` has no `source`\n  fix: add \"source\": \"<id of an entry in sources.json>\": no rule without a source\nerror: tests/fixtures/broken/media-without-source/prices.json:2:5: at `prices[0]`: price `ivs-output-hd` has no `source`\n  fix: add \"source\": the AWS page it comes from\n"
    );
    // the shipped ones carry theirs, dated, and the regional packs say they have no figure
    let k = knowledge();
    for id in [
        "opensearch-r6g-large",
        "opensearch-gp3-storage",
        "ivs-input-standard",
        "ivs-output-hd",
        "mediaconvert-basic-hd",
        "mediaconvert-basic-sd",
    ] {
        let p = k.price(id).expect("a shipped price");
        assert!(
            p.source
                .as_deref()
                .is_some_and(|s| s.starts_with("aws.amazon.com/")),
            "{id}"
        );
        assert_eq!(p.as_of.as_deref(), Some("2026-12"), "{id}");
    }
}

#[test]
fn the_media_meters_say_where_they_come_from_in_the_scenario_the_answers_describe() {
    use statecraft::domain::decision::Origin;
    let k = knowledge();
    let advice = advise(&k, &live_show(1_000.0));
    let described = describe(&k, &advice.stack.id, &live_show(1_000.0), 42);
    // unanswered: the questions' defaults, shown as such
    for (field, question) in [
        ("traffic.live_hours", "live-hours-month"),
        ("traffic.viewer_hours_per_user", "viewer-hours-per-user"),
    ] {
        assert_eq!(
            described.origins.get(field),
            Some(&Origin::Default {
                question: question.into()
            }),
            "{field}"
        );
    }
    // answered: the team's figure
    let mut answered = live_show(1_000.0);
    answered.set("viewer-hours-per-user", AnswerValue::Number(3.0));
    let described = describe(&k, &advice.stack.id, &answered, 42);
    assert_eq!(described.scenario.traffic.viewer_hours_per_user, 3.0);
    assert_eq!(
        described.origins.get("traffic.viewer_hours_per_user"),
        Some(&Origin::Answered {
            question: "viewer-hours-per-user".into()
        })
    );
    // a stack without the service that bills a meter leaves it out
    assert!(!described.origins.contains_key("traffic.video_minutes"));
    assert_eq!(described.scenario.traffic.video_minutes, 0.0);
}
