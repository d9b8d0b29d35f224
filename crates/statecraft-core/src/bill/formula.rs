//! How a line's arithmetic is written, and the check that it multiplies out. Quantities are written
//! exactly (never rounded to significant figures) so that every formula re-multiplies to its amount:
//! `500,000,000 requests: 300,000,000 × $1.00 per M + 200,000,000 × $0.90 per M = $480.00`.

use crate::format;

/// A quantity with every digit it has, grouped in thousands: `1,500,000`, `1,740.123456`.
pub fn exact(q: f64) -> String {
    if q.fract() == 0.0 && q.abs() < 1e15 {
        return format::number(q);
    }
    let s = format!("{q}");
    match s.split_once('.') {
        Some((int, frac)) => {
            let int: f64 = int.parse().unwrap_or(0.0);
            let sign = if q < 0.0 && int == 0.0 { "-" } else { "" };
            format!("{sign}{}.{frac}", format::number(int))
        }
        None => s,
    }
}

/// A unit price with all its digits and at least cents: `$0.20`, `$0.0000166667`, `$1.00`.
pub fn price_usd(usd: f64) -> String {
    let s = format!("{usd}");
    match s.split_once('.') {
        None => format!("${s}.00"),
        Some((_, frac)) if frac.len() == 1 => format!("${s}0"),
        Some(_) => format!("${s}"),
    }
}

/// "per M", "per GB-second", "per 10,000".
pub fn per(per: f64, unit: &str) -> String {
    if per == 1e6 {
        "per M".to_string()
    } else if per == 1.0 {
        format!("per {}", singular(unit))
    } else {
        format!("per {}", format::number(per))
    }
}

fn singular(unit: &str) -> String {
    unit.strip_suffix('s').unwrap_or(unit).to_string()
}

/// One product of a formula: `quantity × $usd per N`.
pub fn term(quantity: f64, usd: f64, per_units: f64, unit: &str) -> String {
    format!(
        "{} × {} {}",
        exact(quantity),
        price_usd(usd),
        per(per_units, unit)
    )
}

/// Re-multiplies a formula written by this module: the sum of its terms, or None when it is not one.
/// `…: q × $p per N + … = $x` (the part before the last `: ` says where the quantity came from).
pub fn remultiply(formula: &str) -> Option<f64> {
    let body = formula.rsplit_once(": ").map_or(formula, |(_, b)| b);
    let (terms, _) = body.rsplit_once(" = ")?;
    let mut sum = 0.0;
    for t in terms.split(" + ") {
        let (q, rest) = t.split_once(" × $")?;
        let (p, per_word) = rest.split_once(" per ")?;
        // "2,000,000" or, in a one-term formula, "2,000,000 requests"
        let q: f64 = q.split_whitespace().next()?.replace(',', "").parse().ok()?;
        let p: f64 = p.parse().ok()?;
        let n = if per_word == "M" {
            1e6
        } else {
            // "per 10,000", or "per GB-second": one unit
            per_word.replace(',', "").parse::<f64>().unwrap_or(1.0)
        };
        sum += q * p / n;
    }
    Some(sum)
}

/// The amount a formula states at its end (`= $480.00`).
pub fn stated(formula: &str) -> Option<f64> {
    let (_, x) = formula.rsplit_once(" = $")?;
    x.replace(',', "").parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_keep_every_digit() {
        assert_eq!(exact(1_740.123_456), "1,740.123456");
        assert_eq!(exact(3e6), "3,000,000");
        assert_eq!(exact(0.5), "0.5");
    }

    #[test]
    fn prices_keep_every_digit_and_at_least_cents() {
        assert_eq!(price_usd(0.2), "$0.20");
        assert_eq!(price_usd(1.0), "$1.00");
        assert_eq!(price_usd(0.000_016_666_7), "$0.0000166667");
        assert_eq!(per(10_000.0, "requests"), "per 10,000");
        assert_eq!(per(1.0, "NAT gateway-hours"), "per NAT gateway-hour");
    }

    #[test]
    fn a_tiered_formula_re_multiplies_term_by_term() {
        let f =
            "500,000,000 requests: 300,000,000 × $1.00 per M + 200,000,000 × $0.90 per M = $480.00";
        assert_eq!(remultiply(f), Some(480.0));
        assert_eq!(stated(f), Some(480.0));
    }
}
