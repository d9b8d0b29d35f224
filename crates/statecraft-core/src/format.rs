//! How numbers read in text, tables and records: no float noise, thousands separated.

/// `1234567.0` → `1,234,567`; `0.25` → `0.25`; `2.0800000001` → `2.08`.
pub fn number(n: f64) -> String {
    if !n.is_finite() {
        return n.to_string();
    }
    if n.fract() == 0.0 && n.abs() < 1e15 {
        return group(&format!("{}", n as i64));
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
