//! The command line reaches the domain only: it never imports the app's screens, its worker threads
//! or egui. (Launching the app when no command is given is its one way into the GUI.)

use crate::support::repo;

#[test]
fn the_command_line_never_imports_the_app() {
    let mut files = vec![repo().join("src/cli.rs")];
    for entry in std::fs::read_dir(repo().join("src/cli")).expect("src/cli") {
        files.push(entry.expect("an entry").path());
    }
    assert!(files.len() > 3, "{files:?}");
    for file in &files {
        let text = std::fs::read_to_string(file).expect("a source file");
        for (n, line) in text.lines().enumerate() {
            let forbidden = ["crate::worker", "crate::ui", "egui"]
                .iter()
                .any(|w| line.contains(w))
                || (line.contains("crate::app") && !line.contains("crate::app::run("));
            assert!(
                !forbidden,
                "{}:{}: the command line reaches the app: {line}",
                file.display(),
                n + 1
            );
        }
    }
}
