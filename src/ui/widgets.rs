//! Small widgets the screens share: sliders that write only when moved, score bars, the archetype
//! colours, headings and badges (the number field is `number_field`'s). Pixels only.

use egui::{Color32, RichText, Ui};

use crate::domain::knowledge::{Archetype, Knowledge, SourceKind};
use crate::domain::rules::Scores;

pub use super::number_field::{number_field, number_field_error, parse_in_range};

/// One colour per archetype, the same on every screen and plot.
pub fn archetype_color(a: Archetype) -> Color32 {
    match a {
        Archetype::Stateless => Color32::from_rgb(52, 128, 235),
        Archetype::Stateful => Color32::from_rgb(230, 126, 34),
        Archetype::Hybrid => Color32::from_rgb(142, 68, 173),
    }
}

/// Distinct series colours (for up to four compared scenarios and for the stacks in one plot),
/// chosen to stay apart for the common colour-vision deficiencies (Okabe–Ito).
pub const SERIES_COLORS: [Color32; 8] = [
    Color32::from_rgb(0, 114, 178),
    Color32::from_rgb(213, 94, 0),
    Color32::from_rgb(0, 158, 115),
    Color32::from_rgb(204, 121, 167),
    Color32::from_rgb(230, 159, 0),
    Color32::from_rgb(86, 180, 233),
    Color32::from_rgb(120, 120, 120),
    Color32::from_rgb(240, 228, 66),
];

pub fn series_color(i: usize) -> Color32 {
    SERIES_COLORS[i % SERIES_COLORS.len()]
}

/// The colour of error text in both themes.
pub fn error_color(ui: &Ui) -> Color32 {
    ui.visuals().error_fg_color
}

/// Adds the monospace font (Hack) as a fallback of the proportional one, so that arrows, bullets and
/// box symbols (→ ● ○ ▲) draw in every text without an emoji font.
pub fn install_fonts(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    if let Some(family) = fonts.families.get_mut(&egui::FontFamily::Proportional)
        && !family.iter().any(|f| f == "Hack")
    {
        family.push("Hack".to_string());
    }
    ctx.set_fonts(fonts);
    install_style(ctx);
}

/// The smallest text the app draws, in points: captions, sources, rule ids and logs.
pub const SMALL_TEXT: f32 = 11.0;
/// Body text.
pub const BODY_TEXT: f32 = 13.0;

/// Text sizes readable at any window size (egui's own small text is 9 points), and a focus ring
/// that a keyboard user can see: a focused widget wears the selection colour's outline, in both
/// themes.
pub fn install_style(ctx: &egui::Context) {
    use egui::{FontId, TextStyle};
    ctx.all_styles_mut(|style| {
        style
            .text_styles
            .insert(TextStyle::Small, FontId::proportional(SMALL_TEXT));
        style
            .text_styles
            .insert(TextStyle::Body, FontId::proportional(BODY_TEXT));
        style
            .text_styles
            .insert(TextStyle::Button, FontId::proportional(BODY_TEXT));
        style
            .text_styles
            .insert(TextStyle::Monospace, FontId::monospace(12.5));
        let focus = style.visuals.selection.stroke.color;
        style.visuals.widgets.active.bg_stroke = egui::Stroke::new(2.0, focus);
    });
}

/// A source as a reader follows it on screen: the document's title and section, or the AWS page's
/// title and address; never the file it is kept in.
pub fn cite(k: &Knowledge, source_id: &str) -> String {
    match k.source(source_id) {
        Some(s) => match s.kind {
            SourceKind::Seed => format!(
                "{} — {}",
                s.title,
                s.section.as_deref().unwrap_or("the whole document")
            ),
            SourceKind::Aws => match &s.url {
                Some(url) => format!("{} — {url}", s.title),
                None => s.title.clone(),
            },
        },
        None => source_id.to_string(),
    }
}

/// A screen's title and a one-line explanation under it.
pub fn screen_header(ui: &mut Ui, title: &str, subtitle: &str) {
    ui.heading(RichText::new(title).strong());
    ui.label(RichText::new(subtitle).weak());
    ui.add_space(6.0);
}

/// A small section title inside a screen.
pub fn section(ui: &mut Ui, title: &str) {
    ui.add_space(8.0);
    ui.label(RichText::new(title).strong().size(15.0));
    ui.add_space(2.0);
}

/// "seed 42", shown beside every simulated result so it can be reproduced.
pub fn seed_badge(ui: &mut Ui, seed: u64) {
    ui.label(RichText::new(format!("seed {seed}")).monospace().weak())
        .on_hover_text("Every simulated number on this screen comes from this seed: the same seed gives the same numbers.");
}

/// Horizontal bars of the three archetype scores, the leader in bold.
pub fn score_bars(ui: &mut Ui, scores: &Scores, width: f32) {
    let leader = scores.winner();
    let max = Archetype::ALL
        .iter()
        .map(|&a| scores.get(a).abs())
        .max()
        .unwrap_or(0)
        .max(1) as f32;
    egui::Grid::new(ui.next_auto_id())
        .num_columns(3)
        .spacing([8.0, 6.0])
        .show(ui, |ui| {
            for a in Archetype::ALL {
                let score = scores.get(a);
                let name = RichText::new(a.as_str());
                ui.label(if a == leader { name.strong() } else { name });
                let (rect, _) =
                    ui.allocate_exact_size(egui::vec2(width, 16.0), egui::Sense::hover());
                let painter = ui.painter();
                painter.rect_filled(rect, 3.0, ui.visuals().faint_bg_color);
                let frac = (score.max(0) as f32 / max).clamp(0.0, 1.0);
                if frac > 0.0 {
                    let mut bar = rect;
                    bar.set_width(rect.width() * frac);
                    let mut color = archetype_color(a);
                    if a != leader {
                        color = color.gamma_multiply(0.55);
                    }
                    painter.rect_filled(bar, 3.0, color);
                }
                let unit = if score.abs() == 1 { "pt" } else { "pts" };
                let points = RichText::new(format!("{score} {unit}")).monospace();
                ui.label(if a == leader { points.strong() } else { points });
                ui.end_row();
            }
        });
}

/// A slider with its label on the line above, so that a narrow panel never clips the label, and
/// the slider as wide as the panel allows (labelled for screen readers by that line).
///
/// The slider writes its value only when the user moves it: egui's default clamps and rounds the
/// value it is shown every frame, which would turn a typed 300 into 200 on a rail that stops at
/// 200, or 250.5 into 251 on an integer rail, without the user touching it.
pub fn labelled_slider(ui: &mut Ui, label: &str, slider: egui::Slider<'_>) -> egui::Response {
    let label = ui.label(label);
    // room for the value box beside the slider
    ui.spacing_mut().slider_width = (ui.available_width() - 110.0).max(80.0);
    ui.add(slider.clamping(egui::SliderClamping::Edits))
        .labelled_by(label.id)
}

/// Content wider than the window (a table, a diagram) in a sideways scroll area whose bar is drawn
/// whenever it is needed, not only under the pointer, so a user sees there is more to the right.
pub fn sideways<R>(ui: &mut Ui, id: &str, add_contents: impl FnOnce(&mut Ui) -> R) -> R {
    ui.scope(|ui| {
        ui.spacing_mut().scroll = egui::style::ScrollStyle::solid();
        egui::ScrollArea::horizontal()
            .id_salt(id)
            .show(ui, add_contents)
            .inner
    })
    .inner
}

/// Below this width two cards stack instead of standing side by side.
pub const TWO_UP_MIN_WIDTH: f32 = 720.0;

/// Two cards side by side when there is room, one above the other when not; `cell` draws card 0
/// or card 1 in the `Ui` it is given.
pub fn two_up(ui: &mut Ui, mut cell: impl FnMut(&mut Ui, usize)) {
    if ui.available_width() >= TWO_UP_MIN_WIDTH {
        ui.columns(2, |cols| {
            for (i, col) in cols.iter_mut().enumerate() {
                cell(col, i);
            }
        });
    } else {
        for i in 0..2 {
            ui.scope(|ui| cell(ui, i));
        }
    }
}

/// A table whose rows grow to fit their tallest cell, so that wrapped text never runs into the
/// next row and the stripes sit under the rows they belong to. `fractions` share the width out.
pub fn table(ui: &mut Ui, fractions: &[f32], header: &[&str], rows: &[Vec<egui::WidgetText>]) {
    let header: Vec<egui::WidgetText> = header
        .iter()
        .map(|h| RichText::new(*h).strong().into())
        .collect();
    table_with_header(ui, fractions, header, rows);
}

/// [`table`] with a header of styled text (a compared scenario's name in its series colour).
pub fn table_with_header(
    ui: &mut Ui,
    fractions: &[f32],
    header: Vec<egui::WidgetText>,
    rows: &[Vec<egui::WidgetText>],
) {
    let gap = 10.0;
    let columns = fractions.len().max(1);
    let total: f32 = fractions.iter().sum::<f32>().max(f32::EPSILON);
    let usable = ui.available_width() - gap * (columns as f32 - 1.0) - 8.0;
    let widths: Vec<f32> = fractions
        .iter()
        .map(|f| (usable * f / total).max(48.0))
        .collect();
    let stripe = ui.visuals().faint_bg_color;
    let saved_spacing = ui.spacing().item_spacing;
    ui.spacing_mut().item_spacing.y = 2.0;
    for (r, row) in std::iter::once(&header).chain(rows).enumerate() {
        let background = ui.painter().add(egui::Shape::Noop);
        let response = ui
            .horizontal_top(|ui| {
                ui.spacing_mut().item_spacing.x = gap;
                ui.add_space(4.0);
                for (cell, w) in row.iter().zip(&widths) {
                    ui.allocate_ui_with_layout(
                        egui::vec2(*w, 0.0),
                        egui::Layout::top_down(egui::Align::Min),
                        |ui| {
                            ui.set_width(*w);
                            ui.add(egui::Label::new(cell.clone()).wrap());
                        },
                    );
                }
            })
            .response;
        if r % 2 == 1 {
            ui.painter().set(
                background,
                egui::Shape::rect_filled(response.rect.expand2(egui::vec2(0.0, 2.0)), 2.0, stripe),
            );
        }
    }
    ui.spacing_mut().item_spacing = saved_spacing;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_reads_as_its_title_and_section_never_its_file() {
        let k = Knowledge::shipped().expect("the shipped knowledge");
        let line = cite(&k, "seed-stateful-vs-stateless-defined");
        assert_eq!(
            line,
            "How do I build a cloud-ready application & what does a stateless application mean? — Stateful vs stateless"
        );
        assert!(!line.contains(".txt"));
    }
}
