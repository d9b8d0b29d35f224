//! How numbers read in text, tables and records: no float noise, thousands separated.

/// The text with its first letter a capital, the rest as it is: `stateful` → `Stateful`, a stack
/// title that starts with a lower-case pattern ("direct to the game session + …") → "Direct …".
pub fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// `1234567.0` → `1,234,567`; `0.25` → `0.25`; `2.0800000001` → `2.08`.
pub fn number(n: f64) -> String {
    if !n.is_finite() {
        return n.to_string();
    }
    if n.fract() == 0.0 && n.abs() < 1e15 {
        return group(&format!("{}", n as i64));
    }
    // past a thousand trillion, digits stop meaning anything: `1e308`, not 309 of them
    if n.abs() >= 1e15 {
        return format!("{n:e}");
    }
    let digits = if n.abs() >= 100.0 {
        1
    } else if n.abs() >= 1.0 {
        2
    } else {
        // six significant digits, enough for small prices such as 0.0000166667
        (-(n.abs().log10().floor()) as usize + 5).min(12)
    };
    let s = format!("{n:.digits$}");
    let s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    // a tiny negative rounds to "-0", which reads as a sign error
    if s == "-0" {
        return "0".to_string();
    }
    match s.split_once('.') {
        Some((int, frac)) => format!("{}.{frac}", group(int)),
        None => group(&s),
    }
}

/// Dollars with cents: `1234.5` → `$1,234.50`.
pub fn usd(n: f64) -> String {
    if n.abs() >= 0.01 || n == 0.0 {
        let s = format!("{:.2}", n.abs());
        let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
        format!("{}${}.{frac}", if n < 0.0 { "-" } else { "" }, group(int))
    } else {
        format!("${}", number(n))
    }
}

/// The years a date in knowledge, a record or an offer file may fall in: AWS published its first
/// prices in 2006, and a date past 2100 would switch the price-age check off for good.
pub const DATE_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// Whether `s` is a real calendar date written `YYYY-MM` or `YYYY-MM-DD` (zero-padded, the day in
/// its month, the year in [`DATE_YEARS`]): `9999-99-99`, `0000-00` and `2026-02-30` are not.
pub fn is_calendar_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let digits = |p: &str, len: usize| p.len() == len && p.bytes().all(|b| b.is_ascii_digit());
    let (y, m, d) = match parts.as_slice() {
        [y, m] if digits(y, 4) && digits(m, 2) => (*y, *m, "01"),
        [y, m, d] if digits(y, 4) && digits(m, 2) && digits(d, 2) => (*y, *m, *d),
        _ => return false,
    };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u8>(), d.parse::<u8>()) else {
        return false;
    };
    DATE_YEARS.contains(&y)
        && time::Month::try_from(m)
            .ok()
            .is_some_and(|m| time::Date::from_calendar_date(y, m, d).is_ok())
}

fn group(int: &str) -> String {
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_real_calendar_dates_in_sensible_years_are_dates() {
        assert!(is_calendar_date("2026-01"));
        assert!(is_calendar_date("2024-02-29"));
        for bad in [
            "9999-99-99",
            "0000-00",
            "2026-02-30",
            "2026-13",
            "9999-12-31",
            "26-01",
            "2026-1",
        ] {
            assert!(!is_calendar_date(bad), "{bad}");
        }
    }

    #[test]
    fn a_huge_number_reads_in_scientific_form() {
        assert_eq!(number(1e308), "1e308");
        assert_eq!(number(-2.5e20), "-2.5e20");
    }

    #[test]
    fn a_tiny_negative_never_reads_as_minus_zero() {
        assert_eq!(number(-0.0), "0");
        assert_eq!(number(-1e-14), "0");
    }

    #[test]
    fn numbers_read_without_float_noise() {
        assert_eq!(number(1234567.0), "1,234,567");
        assert_eq!(number(0.25), "0.25");
        assert_eq!(number(2.0800000001), "2.08");
        assert_eq!(number(0.0000166667), "0.0000166667");
        assert_eq!(number(-4000.0), "-4,000");
    }

    #[test]
    fn dollars_have_cents() {
        assert_eq!(usd(1234.5), "$1,234.50");
        assert_eq!(usd(2.0), "$2.00");
        assert_eq!(usd(0.0), "$0.00");
    }
}
