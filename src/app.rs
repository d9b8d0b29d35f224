//! The desktop app: owns the knowledge and the user's answers and routes to the screens.

use std::path::PathBuf;

use crate::domain::answers::Answers;
use crate::domain::knowledge::Knowledge;
use crate::ui::wizard::WizardState;

/// Opens the window; `pack` is a team's knowledge folder to overlay.
pub fn run(pack: Option<PathBuf>) -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Statecraft")
            .with_inner_size([1100.0, 760.0])
            .with_min_inner_size([720.0, 520.0]),
        ..Default::default()
    };
    eframe::run_native(
        "Statecraft",
        options,
        Box::new(move |_cc| Ok(Box::new(StatecraftApp::new(pack.as_deref())))),
    )
}

pub struct StatecraftApp {
    /// The knowledge, or why it could not be loaded (shown instead of the screens).
    pub knowledge: Result<Knowledge, String>,
    pub wizard: WizardState,
}

impl StatecraftApp {
    pub fn new(pack: Option<&std::path::Path>) -> Self {
        let knowledge = Knowledge::load(pack).map_err(|e| e.to_string());
        let wizard = match &knowledge {
            Ok(k) => WizardState::new(k, Answers::default()),
            Err(_) => WizardState::default(),
        };
        StatecraftApp { knowledge, wizard }
    }
}

impl eframe::App for StatecraftApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| match &self.knowledge {
            Ok(k) => self.wizard.ui(ui, k),
            Err(e) => {
                ui.heading("The knowledge base could not be loaded");
                ui.label(egui::RichText::new(e).monospace());
            }
        });
    }
}
