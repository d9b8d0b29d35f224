//! The number field every screen uses: it never changes a valid value, never applies an invalid
//! one, and reads numbers the way the user's locale writes them.
//!
//! - What is typed is applied when the user is done with the field (Enter, Tab or a click
//!   elsewhere), never keystroke by keystroke: typing 99999999 into a field that stops at 10,240
//!   does not apply 9999 on the way. Escape puts the value back.
//! - A value that is not a number, or is out of range, is refused with a message under the field;
//!   the last valid value stays.
//! - The decimal mark comes from the locale (`LC_ALL`, `LC_NUMERIC`, `LANG`): with a comma locale
//!   "16,5" is sixteen and a half; with a point locale "16,5" is refused plainly instead of being
//!   read as 165, because a comma there only groups thousands ("1,200").
//! - A value is shown with all its digits (300 stays 300, 16.55 stays 16.55), so showing it never
//!   rounds it.

use std::ops::RangeInclusive;

use egui::{Key, RichText, Ui};

use super::widgets::error_color;

/// How the user's locale writes the decimal part of a number.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DecimalMark {
    /// 1,200.5
    #[default]
    Point,
    /// 1.200,5
    Comma,
}

/// Languages whose locales write decimals with a comma (CLDR), and the regions of those
/// languages that use a point instead.
const COMMA_LANGUAGES: &[&str] = &[
    "af", "az", "be", "bg", "bs", "ca", "cs", "da", "de", "el", "es", "et", "eu", "fi", "fo", "fr",
    "gl", "hr", "hu", "hy", "id", "is", "it", "ka", "kk", "ky", "lt", "lv", "mk", "mn", "nb", "nl",
    "nn", "no", "pl", "pt", "ro", "ru", "sk", "sl", "sq", "sr", "sv", "tr", "uk", "uz", "vi",
];
const POINT_REGIONS: &[&str] = &[
    "de_CH", "it_CH", "de_LI", "es_MX", "es_US", "es_PR", "es_GT", "es_HN", "es_NI", "es_PA",
    "es_SV", "es_DO",
];

impl DecimalMark {
    /// The decimal mark of a POSIX locale name such as `de_DE.UTF-8` (`C` and `POSIX` use a point).
    pub fn of_locale(name: &str) -> DecimalMark {
        let name = name.split(['.', '@']).next().unwrap_or_default();
        let language = name.split(['_', '-']).next().unwrap_or_default();
        if POINT_REGIONS.contains(&name.replace('-', "_").as_str()) {
            DecimalMark::Point
        } else if COMMA_LANGUAGES.contains(&language) {
            DecimalMark::Comma
        } else {
            DecimalMark::Point
        }
    }

    /// The mark of the locale this process runs in, by the POSIX precedence of its variables.
    pub fn from_environment() -> DecimalMark {
        ["LC_ALL", "LC_NUMERIC", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|v| !v.is_empty())
            .map_or(DecimalMark::Point, |v| DecimalMark::of_locale(&v))
    }

    fn decimal(self) -> char {
        match self {
            DecimalMark::Point => '.',
            DecimalMark::Comma => ',',
        }
    }

    fn grouping(self) -> char {
        match self {
            DecimalMark::Point => ',',
            DecimalMark::Comma => '.',
        }
    }

    /// "16.5" or "16,5": how the user writes a decimal, for messages.
    fn example(self) -> &'static str {
        match self {
            DecimalMark::Point => "16.5",
            DecimalMark::Comma => "16,5",
        }
    }
}

fn mark_id() -> egui::Id {
    egui::Id::unique("statecraft_decimal_mark")
}

/// Sets the decimal mark every number field reads and writes (the app sets the locale's).
pub fn set_decimal_mark(ctx: &egui::Context, mark: DecimalMark) {
    ctx.data_mut(|d| d.insert_temp(mark_id(), mark));
}

/// The decimal mark the number fields use.
pub fn decimal_mark(ctx: &egui::Context) -> DecimalMark {
    ctx.data(|d| d.get_temp(mark_id())).unwrap_or_default()
}

/// `v` as a field shows it: every digit it has (no rounding), thousands grouped, in `mark`.
pub fn format_for_field(v: f64, mark: DecimalMark) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    let plain = format!("{v}");
    let (sign, plain) = plain
        .strip_prefix('-')
        .map_or(("", plain.as_str()), |p| ("-", p));
    let (int, frac) = plain.split_once('.').unwrap_or((plain, ""));
    let mut out = String::from(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(mark.grouping());
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(mark.decimal());
        out.push_str(frac);
    }
    out
}

/// Reads a typed number in `mark` (" 1,200 ", "16.5", "1 200,5" with a comma mark). Thousands
/// separators must stand where thousands are: "16,5" with a point mark is refused, not read as 165.
pub fn parse_number(text: &str, mark: DecimalMark) -> Result<f64, String> {
    let typed = text.trim();
    let cleaned: String = typed
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '\u{a0}' | '\u{202f}' | '\''))
        .collect();
    let (decimal, grouping) = (mark.decimal(), mark.grouping());
    if cleaned.matches(decimal).count() > 1 {
        return Err(format!(
            "“{typed}” has more than one decimal mark; write a decimal like {}",
            mark.example()
        ));
    }
    let (int, frac) = cleaned.split_once(decimal).unwrap_or((&cleaned, ""));
    if frac.contains(grouping) {
        return Err(grouping_error(typed, mark));
    }
    let digits = int.strip_prefix(['-', '+']).unwrap_or(int);
    if digits.contains(grouping) {
        let mut groups = digits.split(grouping);
        let first_ok = groups.next().is_some_and(|g| (1..=3).contains(&g.len()));
        if !first_ok || !groups.all(|g| g.len() == 3) {
            return Err(grouping_error(typed, mark));
        }
    }
    let standard = format!("{}.{frac}", int.replace(grouping, ""));
    let standard = standard.trim_end_matches('.');
    standard
        .parse::<f64>()
        .map_err(|_| String::new())
        .and_then(|v| {
            if v.is_finite() {
                Ok(v)
            } else {
                Err(String::new())
            }
        })
}

/// Why a separator in the wrong place is refused, in words that show the right way.
fn grouping_error(typed: &str, mark: DecimalMark) -> String {
    match mark {
        DecimalMark::Point => format!(
            "“{typed}”: a comma here only separates thousands (1,200); write a decimal with a point, like 16.5"
        ),
        DecimalMark::Comma => format!(
            "“{typed}”: your locale writes decimals with a comma (16,5) and separates thousands with a point (1.200)"
        ),
    }
}

/// Reads a typed number and checks it against `range`; the error says why not.
pub fn parse_in_range(
    text: &str,
    range: &RangeInclusive<f64>,
    unit: Option<&str>,
    mark: DecimalMark,
) -> Result<f64, String> {
    let unit_text = unit.map(|u| format!(" {u}")).unwrap_or_default();
    let span = format!(
        "{}..{}{unit_text}",
        format_for_field(*range.start(), mark),
        format_for_field(*range.end(), mark)
    );
    let typed = text.trim();
    if typed.is_empty() {
        return Err(format!("enter a number from {span}"));
    }
    match parse_number(typed, mark) {
        Ok(v) if !range.contains(&v) => Err(format!(
            "{typed} is out of range: enter a number from {span}"
        )),
        Ok(v) => Ok(v),
        Err(why) if why.is_empty() => Err(format!("“{typed}” is not a number: enter {span}")),
        Err(why) => Err(why),
    }
}

/// The per-field state a [`number_field`] keeps between frames: the text being typed and the
/// message for a refused value.
#[derive(Clone, Default)]
struct NumberFieldState {
    text: String,
    error: Option<String>,
    /// The value the text was last in step with, to notice a change made elsewhere.
    value: f64,
}

fn number_field_id(ui: &Ui, label: &str) -> egui::Id {
    ui.make_persistent_id(("number_field", label))
}

fn unedited_id() -> egui::Id {
    egui::Id::unique("statecraft_unedited_number_field")
}

/// True when the widget with the keyboard is a number field with nothing typed in it yet (it
/// took the keyboard on arrival): Ctrl+Z there undoes the project's last edit, not the typing.
pub fn focused_field_is_unedited(ctx: &egui::Context) -> bool {
    let focused = ctx.memory(|m| m.focused());
    focused.is_some() && ctx.data(|d| d.get_temp::<egui::Id>(unedited_id())) == focused
}

/// Gives the [`number_field`] labelled `label` (in this `ui`'s id scope) the keyboard when it is
/// next drawn.
pub fn request_focus(ui: &Ui, label: &str) {
    let id = number_field_id(ui, label).with("focus");
    ui.data_mut(|d| d.insert_temp(id, true));
}

/// Why the [`number_field`] labelled `label` (in this `ui`'s id scope) refuses what is typed in it,
/// if it does: a form checks this before accepting.
pub fn number_field_error(ui: &Ui, label: &str) -> Option<String> {
    let id = number_field_id(ui, label);
    ui.data(|d| d.get_temp::<NumberFieldState>(id))
        .and_then(|s| s.error)
}

/// A labelled text field for a number in `range`. What is typed is applied when the user leaves
/// the field (Enter, Tab, a click elsewhere); a value that is not a number, or is out of range, is
/// refused with a message under the field and `value` keeps its old value. Escape puts the value
/// back. Returns true when `value` changed.
pub fn number_field(
    ui: &mut Ui,
    label: &str,
    value: &mut f64,
    range: RangeInclusive<f64>,
    unit: Option<&str>,
) -> bool {
    let id = number_field_id(ui, label);
    let mark = decimal_mark(ui.ctx());
    let mut state: NumberFieldState =
        ui.data_mut(|d| d.get_temp(id))
            .unwrap_or_else(|| NumberFieldState {
                text: format_for_field(*value, mark),
                value: *value,
                ..NumberFieldState::default()
            });
    let mut changed = false;
    ui.vertical(|ui| {
        // on a narrow panel the field goes under its label rather than past the edge
        ui.horizontal_wrapped(|ui| {
            let label_response = ui.label(label);
            let response = ui
                .add(egui::TextEdit::singleline(&mut state.text).desired_width(100.0))
                .labelled_by(label_response.id);
            if ui.data_mut(|d| d.remove_temp::<bool>(id.with("focus"))) == Some(true) {
                response.request_focus();
            }
            // a field that has the keyboard but nothing typed in it leaves Ctrl+Z to the app
            let unedited = response.has_focus() && state.text == format_for_field(*value, mark);
            ui.data_mut(|d| {
                if unedited {
                    d.insert_temp(unedited_id(), response.id);
                } else if d.get_temp::<egui::Id>(unedited_id()) == Some(response.id) {
                    d.remove::<egui::Id>(unedited_id());
                }
            });
            if let Some(unit) = unit {
                ui.label(RichText::new(unit).weak());
            }
            if response.changed() {
                // said at once, applied only when the user is done
                state.error = parse_in_range(&state.text, &range, unit, mark).err();
            }
            if response.lost_focus() {
                if ui.input(|i| i.key_pressed(Key::Escape)) {
                    state.text = format_for_field(*value, mark);
                    state.error = None;
                } else {
                    match parse_in_range(&state.text, &range, unit, mark) {
                        Ok(v) => {
                            state.error = None;
                            state.text = format_for_field(v, mark);
                            if v != *value {
                                *value = v;
                                changed = true;
                            }
                        }
                        Err(why) => state.error = Some(why),
                    }
                }
            } else if !response.has_focus() && state.value != *value {
                // the value was set elsewhere (a slider, undo, an opened file): show it
                state.text = format_for_field(*value, mark);
                state.error = None;
            }
        });
        if let Some(error) = &state.error {
            ui.add(
                egui::Label::new(RichText::new(format!("! {error}")).color(error_color(ui))).wrap(),
            );
        }
    });
    state.value = *value;
    ui.data_mut(|d| d.insert_temp(id, state));
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_numbers_are_checked_against_their_range() {
        let p = DecimalMark::Point;
        assert_eq!(
            parse_in_range(" 1,200 ", &(0.0..=2000.0), None, p),
            Ok(1200.0)
        );
        let e = parse_in_range("5000", &(0.0..=2000.0), Some("ms"), p).unwrap_err();
        assert_eq!(e, "5000 is out of range: enter a number from 0..2,000 ms");
        let e = parse_in_range("abc", &(0.0..=1.0), None, p).unwrap_err();
        assert!(e.contains("is not a number"), "{e}");
        assert!(parse_in_range("NaN", &(0.0..=1.0), None, p).is_err());
        assert!(parse_in_range("inf", &(0.0..=1.0), None, p).is_err());
    }

    #[test]
    fn a_comma_decimal_is_read_in_a_comma_locale_and_refused_in_a_point_one() {
        assert_eq!(parse_number("16,5", DecimalMark::Comma), Ok(16.5));
        assert_eq!(parse_number("1.200,25", DecimalMark::Comma), Ok(1200.25));
        assert_eq!(parse_number("1 200,5", DecimalMark::Comma), Ok(1200.5));
        let e = parse_number("16,5", DecimalMark::Point).unwrap_err();
        assert!(e.contains("write a decimal with a point, like 16.5"), "{e}");
        assert!(
            parse_number("16.5", DecimalMark::Comma).is_err(),
            "16.5 is not 165"
        );
        assert_eq!(parse_number("16.5", DecimalMark::Point), Ok(16.5));
        assert_eq!(
            parse_number("1,234,567.5", DecimalMark::Point),
            Ok(1_234_567.5)
        );
        assert!(parse_number("1,2345", DecimalMark::Point).is_err());
        assert!(parse_number("1.2.3", DecimalMark::Point).is_err());
    }

    #[test]
    fn the_locale_names_its_decimal_mark() {
        assert_eq!(DecimalMark::of_locale("de_DE.UTF-8"), DecimalMark::Comma);
        assert_eq!(DecimalMark::of_locale("fr_FR"), DecimalMark::Comma);
        assert_eq!(DecimalMark::of_locale("de_CH.UTF-8"), DecimalMark::Point);
        assert_eq!(DecimalMark::of_locale("en_GB.UTF-8"), DecimalMark::Point);
        assert_eq!(DecimalMark::of_locale("C.UTF-8"), DecimalMark::Point);
        assert_eq!(DecimalMark::of_locale("POSIX"), DecimalMark::Point);
    }

    #[test]
    fn a_value_is_shown_with_every_digit_it_has() {
        let p = DecimalMark::Point;
        assert_eq!(format_for_field(200.0, p), "200");
        assert_eq!(format_for_field(123.45, p), "123.45");
        assert_eq!(format_for_field(1_234_567.0, p), "1,234,567");
        assert_eq!(format_for_field(1200.25, DecimalMark::Comma), "1.200,25");
        for v in [200.0, 0.1, 16.55, 1_234_567.125, 9_007_199_254_740_991.0] {
            for mark in [DecimalMark::Point, DecimalMark::Comma] {
                assert_eq!(parse_number(&format_for_field(v, mark), mark), Ok(v));
            }
        }
    }
}
