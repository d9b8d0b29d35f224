//! `statecraft export` on disk: numbered names in a decisions folder, an existing record kept unless
//! `--force`, nothing half-written, a self-contained HTML file, and a team's own template.

use std::path::Path;

use crate::support::{statecraft, stderr, stdout};

const CART_SHOP: &str = "tests/fixtures/usecases/chaos-monkey-cart-shop.json";

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 temp path")
}

fn export(args: &[&str]) -> std::process::Output {
    let mut all = vec!["export", "--answers", CART_SHOP, "--date", "2026-11-23"];
    all.extend_from_slice(args);
    statecraft(&all)
}

/// Names in a folder, sorted, so leftovers (temporary files) show up.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("list")
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    names
}

#[test]
fn records_take_the_next_number_in_a_decisions_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let decisions = dir.path().join("docs/decisions");
    let first = export(&["--decisions-dir", path(&decisions)]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    std::fs::write(decisions.join("0006-use-postgres.md"), "# by hand\n").expect("write");
    let next = export(&["--decisions-dir", path(&decisions)]);
    assert_eq!(next.status.code(), Some(0), "{}", stderr(&next));
    assert_eq!(
        listing(&decisions),
        [
            "0001-use-hybrid-stack-cost-vs-traffic.svg",
            "0001-use-hybrid-stack-latency-vs-load.svg",
            "0001-use-hybrid-stack.md",
            "0006-use-postgres.md",
            "0007-use-hybrid-stack-cost-vs-traffic.svg",
            "0007-use-hybrid-stack-latency-vs-load.svg",
            "0007-use-hybrid-stack.md"
        ]
    );
    let record = std::fs::read_to_string(decisions.join("0007-use-hybrid-stack.md")).expect("read");
    assert!(record.contains("`statecraft advise --answers 0007-use-hybrid-stack.md`"));
    assert!(stdout(&next).starts_with("wrote "));
    assert!(stdout(&next).contains(
        "0007-use-hybrid-stack.md (hybrid: ALB + EC2 Auto Scaling + ElastiCache sessions + RDS)"
    ));
}

#[test]
fn an_existing_record_is_kept_unless_forced() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("0001-use-hybrid-stack.md");
    std::fs::write(&out, "our own notes\n").expect("write");
    let refused = export(&["--out", path(&out)]);
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(
        stderr(&refused),
        format!(
            "error: {}: the file already exists and was left as it is\n  fix: pass --force to replace it, or choose another --out (with --decisions-dir the next number is taken for you)\n",
            out.display()
        )
    );
    assert_eq!(
        std::fs::read_to_string(&out).expect("read"),
        "our own notes\n"
    );
    assert_eq!(listing(dir.path()), ["0001-use-hybrid-stack.md"]);

    let forced = export(&["--out", path(&out), "--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
    assert!(
        std::fs::read_to_string(&out)
            .expect("read")
            .starts_with("---\nstatus: \"proposed\"\n")
    );
    assert_eq!(
        listing(dir.path()),
        [
            "0001-use-hybrid-stack-cost-vs-traffic.svg",
            "0001-use-hybrid-stack-latency-vs-load.svg",
            "0001-use-hybrid-stack.md"
        ],
        "the record and its plots, and no temporary file"
    );
}

#[test]
fn an_existing_html_file_blocks_the_whole_export() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("0001-use-hybrid-stack.md");
    let html = dir.path().join("0001-use-hybrid-stack.html");
    std::fs::write(&html, "<p>old</p>").expect("write");
    let o = export(&["--out", path(&out), "--html", path(&html)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!out.exists(), "nothing is written when one file is refused");
    assert_eq!(std::fs::read_to_string(&html).expect("read"), "<p>old</p>");
}

#[test]
fn a_missing_folder_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("no-such-folder/0001.md");
    let o = export(&["--out", path(&out)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("does not exist"), "{}", stderr(&o));
    assert!(listing(dir.path()).is_empty());
}

#[test]
fn the_html_is_one_self_contained_file_rendered_from_the_record() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("0001-use-hybrid-stack.md");
    let html_path = dir.path().join("0001-use-hybrid-stack.html");
    let o = export(&[
        "--out",
        path(&out),
        "--html",
        path(&html_path),
        "--decision-maker",
        "Ana <Lima>",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = std::fs::read_to_string(&html_path).expect("read");
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(html.contains(
        "<h1>Use a hybrid stack: ALB + EC2 Auto Scaling + ElastiCache sessions + RDS</h1>"
    ));
    assert!(html.contains("<h2>Decision Outcome</h2>"));
    assert!(html.contains("<table>"));
    assert!(html.contains("<section class=\"footnotes\""));
    assert!(html.contains("Decision-makers: Ana &lt;Lima&gt;"));
    // Nothing is fetched: no scripts, no stylesheets or images from elsewhere, and the machine part of
    // the front matter stays in the markdown.
    assert!(!html.contains("<script"));
    assert!(!html.contains("<link"));
    assert!(!html.contains(" src=\"http"));
    assert!(!html.contains("\"fingerprints\""));
    // The stack is drawn in place of the mermaid block, which needs a script to render.
    assert!(html.contains("<figure class=\"diagram\">\n<svg"));
    assert!(html.contains("<title>The chosen stack</title>"));
}

#[test]
fn the_nygard_style_is_available() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("0001-use-hybrid-stack.md");
    let o = export(&["--out", path(&out), "--style", "nygard"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = std::fs::read_to_string(&out).expect("read");
    assert!(md.contains("\n## Status\n\nProposed\n"), "{md}");
    assert!(md.contains("\n## Decision\n\nWe will use the hybrid stack ALB + EC2 Auto Scaling + ElastiCache sessions + RDS, because"));
}

#[test]
fn a_team_template_renders_the_same_values() {
    let dir = tempfile::tempdir().expect("temp dir");
    let template = dir.path().join("team.md.j2");
    std::fs::write(
        &template,
        "# ADR: {{ title }}\n\nWe chose **{{ recommendation }}** ({{ chosen.stack_id }}) on {{ meta.date }}.\n{% for d in drivers %}\n- {{ d.text }}{{ d.sources|cite }}\n{% endfor %}\n\n{% for s in sources %}\n[^{{ s.id }}]: {{ s.citation }}\n{% endfor %}\n",
    )
    .expect("write");
    let out = dir.path().join("0001-use-hybrid-stack.md");
    let o = export(&["--out", path(&out), "--template", path(&template)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = std::fs::read_to_string(&out).expect("read");
    assert!(md.contains("\n# ADR: Use a hybrid stack: ALB + EC2 Auto Scaling + ElastiCache sessions + RDS\n\nWe chose **hybrid** (alb-ec2-elasticache-rds) on 2026-11-23.\n"), "{md}");
    assert!(md.contains("\n- Core transaction logic that must stay strongly consistent belongs in a stateful component such as an Aurora-backed endpoint, with stateless services around it.[^seed-hybrid-designs]\n"));
    // The front matter is Statecraft's, so a team's record opens again all the same.
    let back = statecraft(&["advise", "--answers", path(&out)]);
    assert_eq!(back.status.code(), Some(0), "{}", stderr(&back));
    assert!(stdout(&back).starts_with("Recommendation: hybrid"));
}

#[test]
fn a_broken_team_template_is_placed_at_its_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let template = dir.path().join("team.md.j2");
    std::fs::write(
        &template,
        "# {{ title }}\n\n{% for d in drivers %}\n- {{ d.text }\n",
    )
    .expect("write");
    let out = dir.path().join("0001.md");
    let o = export(&["--out", path(&out), "--template", path(&template)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with(&format!(
            "error: {}:4:1: the template has a syntax error",
            template.display()
        )),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());

    std::fs::write(&template, "# {{ title }}\n{{ no_such_value }}\n").expect("write");
    let o = export(&["--out", path(&out), "--template", path(&template)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(":2:1: the template uses a value the record does not have"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_bad_date_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("0001.md");
    let o = statecraft(&[
        "export",
        "--answers",
        CART_SHOP,
        "--out",
        path(&out),
        "--date",
        "2026-02-30",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: --date: `2026-02-30` is not a date written YYYY-MM-DD\n  fix: give the date as YYYY-MM-DD, like --date 2026-11-23\n"
    );
}

#[test]
fn a_record_can_be_exported_again_from_itself() {
    let dir = tempfile::tempdir().expect("temp dir");
    let first = dir.path().join("a/0001-use-hybrid-stack.md");
    let second = dir.path().join("b/0001-use-hybrid-stack.md");
    std::fs::create_dir_all(first.parent().expect("parent")).expect("mkdir");
    std::fs::create_dir_all(second.parent().expect("parent")).expect("mkdir");
    assert_eq!(export(&["--out", path(&first)]).status.code(), Some(0));
    let again = statecraft(&[
        "export",
        "--answers",
        path(&first),
        "--out",
        path(&second),
        "--date",
        "2026-11-23",
    ]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(
        std::fs::read(&first).expect("read"),
        std::fs::read(&second).expect("read"),
        "same inputs, same bytes"
    );
}

#[cfg(unix)]
#[test]
fn a_replaced_record_keeps_the_files_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("0001-use-hybrid-stack.md");
    std::fs::write(&out, "old\n").expect("write");
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let o = export(&["--out", path(&out), "--force"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mode = std::fs::metadata(&out).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
}
