//! Undo and redo for the project: each edit the app applies keeps the project as it was before,
//! under a name the Edit menu shows ("Undo Delete scenario “Launch”"). Edits of one thing in quick
//! succession (a slider being dragged, a name being typed) merge into one step, as in any editor.

use std::time::{Duration, Instant};

use crate::domain::project::Project;

/// Edits of the same thing closer together than this are one undo step.
pub const MERGE_WITHIN: Duration = Duration::from_millis(1_000);

/// The most steps kept; the oldest go first.
pub const MAX_STEPS: usize = 200;

/// One step: the project before (for undo) or after (for redo) the edit.
#[derive(Clone, Debug)]
struct Step {
    project: Project,
    label: String,
    /// What was edited ("answer:peak-rps"); steps with a key merge with the next edit of it.
    key: Option<String>,
    at: Instant,
}

#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
}

impl History {
    /// Records an edit named `label` that changed the project from `before`. An edit with the same
    /// `key` as the previous one, soon after it, extends that step instead of adding one.
    pub fn record(&mut self, before: Project, label: &str, key: Option<&str>, now: Instant) {
        self.redo.clear();
        if let Some(last) = self.undo.last_mut()
            && key.is_some()
            && last.key.as_deref() == key
            && now.saturating_duration_since(last.at) < MERGE_WITHIN
        {
            last.at = now;
            return;
        }
        self.undo.push(Step {
            project: before,
            label: label.to_string(),
            key: key.map(str::to_string),
            at: now,
        });
        if self.undo.len() > MAX_STEPS {
            self.undo.remove(0);
        }
    }

    /// The project before the last edit, and that edit's name; `current` goes to the redo list.
    pub fn undo(&mut self, current: &Project) -> Option<(Project, String)> {
        let step = self.undo.pop()?;
        self.redo.push(Step {
            project: current.clone(),
            label: step.label.clone(),
            key: None,
            at: step.at,
        });
        Some((step.project, step.label))
    }

    /// The project after the last undone edit, and that edit's name.
    pub fn redo(&mut self, current: &Project) -> Option<(Project, String)> {
        let step = self.redo.pop()?;
        self.undo.push(Step {
            project: current.clone(),
            label: step.label.clone(),
            // a redone step never merges with the next edit
            key: None,
            at: step.at,
        });
        Some((step.project, step.label))
    }

    /// The name of the edit Undo would take back.
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|s| s.label.as_str())
    }

    /// The name of the edit Redo would apply again.
    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|s| s.label.as_str())
    }

    /// Forgets everything (a new or opened project).
    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seeded(seed: u64) -> Project {
        Project {
            seed,
            ..Project::default()
        }
    }

    #[test]
    fn undo_then_redo_walks_the_edits_back_and_forth() {
        let t = Instant::now();
        let mut h = History::default();
        h.record(seeded(1), "Set the seed", None, t);
        h.record(seeded(2), "Set the seed", None, t);
        assert_eq!(h.undo_label(), Some("Set the seed"));
        let (p, _) = h.undo(&seeded(3)).expect("a step");
        assert_eq!(p.seed, 2);
        let (p, _) = h.undo(&p).expect("a step");
        assert_eq!(p.seed, 1);
        assert!(h.undo(&p).is_none());
        let (p, label) = h.redo(&p).expect("a step");
        assert_eq!((p.seed, label.as_str()), (2, "Set the seed"));
        let (p, _) = h.redo(&p).expect("a step");
        assert_eq!(p.seed, 3);
        assert!(h.redo_label().is_none());
    }

    #[test]
    fn quick_edits_of_one_thing_merge_and_slow_or_different_ones_do_not() {
        let t = Instant::now();
        let mut h = History::default();
        h.record(seeded(1), "Edit the scenario", Some("working"), t);
        h.record(
            seeded(2),
            "Edit the scenario",
            Some("working"),
            t + Duration::from_millis(300),
        );
        h.record(
            seeded(3),
            "Edit the scenario",
            Some("working"),
            t + Duration::from_millis(600),
        );
        let (p, _) = h.undo(&seeded(4)).expect("a step");
        assert_eq!(p.seed, 1, "one drag, one step");
        let mut h = History::default();
        h.record(seeded(1), "Edit the scenario", Some("working"), t);
        h.record(
            seeded(2),
            "Edit the scenario",
            Some("working"),
            t + MERGE_WITHIN * 2,
        );
        h.record(
            seeded(3),
            "Set the seed",
            Some("seed"),
            t + MERGE_WITHIN * 2,
        );
        assert_eq!(h.undo(&seeded(4)).map(|(p, _)| p.seed), Some(3));
        assert_eq!(h.undo(&seeded(3)).map(|(p, _)| p.seed), Some(2));
        assert_eq!(h.undo(&seeded(2)).map(|(p, _)| p.seed), Some(1));
    }

    #[test]
    fn a_new_edit_after_undo_drops_the_redo_steps() {
        let t = Instant::now();
        let mut h = History::default();
        h.record(seeded(1), "Set the seed", None, t);
        let _ = h.undo(&seeded(2));
        assert!(h.redo_label().is_some());
        h.record(seeded(1), "Delete scenario", None, t);
        assert!(h.redo_label().is_none());
    }
}
