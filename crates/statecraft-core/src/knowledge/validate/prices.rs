//! Checks of the figures Statecraft prices and simulates with: each price, figure and request
//! profile dated, sourced and within its range.

use super::super::KnowledgeFile;
use super::super::catalogue::{MAX_FIGURE, MAX_PRICE_PER, MAX_PRICE_USD, MIN_PRICE_PER};
use super::super::load::Origin;
use super::super::model::*;
use super::{Validator, figure_text, is_date, suggest};
use crate::diagnostic::JsonPath;

impl Validator<'_> {
    pub(super) fn dated(
        &mut self,
        origin: Origin,
        path: &JsonPath,
        owner: &str,
        as_of: Option<&str>,
        source: Option<&str>,
    ) {
        match as_of {
            None => self.report(
                origin,
                path,
                format!("{owner} has no `as_of` date"),
                "add \"as_of\": \"YYYY-MM\" (when the figure was read)",
            ),
            Some(d) if !is_date(d) => self.report(
                origin,
                &path.key("as_of"),
                format!("{owner} has `as_of` \"{d}\", which is not a date"),
                "write a real date from 2000 to 2100 as YYYY-MM or YYYY-MM-DD",
            ),
            _ => {}
        }
        if source.is_none_or(|s| s.trim().is_empty()) {
            self.report(
                origin,
                path,
                format!("{owner} has no `source`"),
                "add \"source\": the AWS page it comes from",
            );
        }
    }

    pub(super) fn prices(&mut self) {
        for (price, &origin) in self.k.prices.iter().zip(&self.k.origins.prices) {
            self.check_id(KnowledgeFile::Prices, origin, &price.id);
            let path = self.item_path(KnowledgeFile::Prices, origin);
            let owner = format!("price `{}`", price.id);
            if !super::super::prices::BILL_ONLY_SERVICES
                .iter()
                .any(|(id, _)| *id == price.service)
            {
                self.service_ref(origin, path.key("service"), &owner, &price.service);
            }
            if let Some((t, why)) = super::super::prices::ladder_problem(price.usd, &price.tiers) {
                self.report(
                    origin,
                    &path.key("tiers").index(t),
                    format!("{owner}: {why}"),
                    "list tiers by rising `above`, each no dearer than the one below",
                );
            }
            for (key, i, why, fix) in super::super::prices::extras_problems(price) {
                let at = if key == "free" {
                    path.key("free").index(i)
                } else {
                    path.key(&key)
                };
                self.report(origin, &at, format!("{owner}: {why}"), fix);
            }
            if !(price.usd.is_finite() && (0.0..=MAX_PRICE_USD).contains(&price.usd)) {
                self.report(
                    origin,
                    &path.key("usd"),
                    format!(
                        "{owner} is {} USD; a price is an amount from 0 to {} USD",
                        figure_text(price.usd),
                        crate::format::number(MAX_PRICE_USD)
                    ),
                    "correct the amount",
                );
            }
            if !(price.per.is_finite() && price.per >= MIN_PRICE_PER && price.per <= MAX_PRICE_PER)
            {
                self.report(
                    origin,
                    &path.key("per"),
                    format!(
                        "{owner} is per {} units; `per` must be from {} to {}",
                        figure_text(price.per),
                        crate::format::number(MIN_PRICE_PER),
                        crate::format::number(MAX_PRICE_PER)
                    ),
                    "write how many units the price is for, e.g. 1000000",
                );
            }
            self.dated(
                origin,
                &path,
                &owner,
                price.as_of.as_deref(),
                price.source.as_deref(),
            );
        }
    }

    pub(super) fn figures(&mut self) {
        for (figure, &origin) in self.k.figures.iter().zip(&self.k.origins.figures) {
            self.check_id(KnowledgeFile::Figures, origin, &figure.id);
            let path = self.item_path(KnowledgeFile::Figures, origin);
            let owner = format!("figure `{}`", figure.id);
            if let Some(service) = &figure.service {
                self.service_ref(origin, path.key("service"), &owner, service);
            }
            let low = figure.low.unwrap_or(figure.value);
            let high = figure.high.unwrap_or(figure.value);
            if !(figure.value.is_finite()
                && low.is_finite()
                && high.is_finite()
                && low <= figure.value
                && figure.value <= high)
            {
                self.report(
                    origin,
                    &path.key("value"),
                    format!(
                        "{owner} has value {} outside its range {low}..{high}",
                        figure.value
                    ),
                    "make low ≤ value ≤ high, all finite",
                );
            }
            self.figure_range(origin, &path, &owner, figure);
            self.dated(
                origin,
                &path,
                &owner,
                figure.as_of.as_deref(),
                figure.source.as_deref(),
            );
        }
    }

    /// Every figure of every request profile in range (low ≤ value ≤ high), dated and sourced, and a
    /// profile for every workload the wizard offers (the scenario the answers describe starts there).
    pub(super) fn profiles(&mut self) {
        let list_path = JsonPath::root().key("profiles");
        let workload = self.k.question(super::super::profiles::WORKLOAD);
        for (profile, &origin) in self.k.profiles.iter().zip(&self.k.origins.profiles) {
            let path = list_path.index(origin.index);
            self.check_id_at(origin, path.key("id"), &profile.id);
            if let Some(q) = workload
                && q.option(&profile.id).is_none()
            {
                self.report(
                    origin,
                    &path.key("id"),
                    format!(
                        "profile `{}` names no option of question `{}`{}",
                        profile.id,
                        super::super::profiles::WORKLOAD,
                        suggest(&profile.id, q.options.iter().map(|o| o.id.as_str()))
                    ),
                    "name the profile after a workload option's id, or delete it",
                );
            }
            for spec in super::super::profiles::FIELDS {
                let f = (spec.get)(profile);
                let at = path.key(spec.name);
                let owner = format!("profile `{}`'s `{}`", profile.id, spec.name);
                let (low, high) = (f.low(), f.high());
                let finite = [f.value, low, high].iter().all(|v| v.is_finite());
                if !finite || low > f.value || f.value > high {
                    self.report(
                        origin,
                        &at.key("value"),
                        format!(
                            "{owner} has value {} outside its range {}..{}",
                            figure_text(f.value),
                            figure_text(low),
                            figure_text(high)
                        ),
                        "make low ≤ value ≤ high, all finite",
                    );
                } else if low < spec.min || high > spec.max {
                    self.report(
                        origin,
                        &at,
                        format!(
                            "{owner} spans {}..{} {}, outside {}..{} {}",
                            figure_text(low),
                            figure_text(high),
                            spec.unit,
                            crate::format::number(spec.min),
                            crate::format::number(spec.max),
                            spec.unit
                        ),
                        format!(
                            "give values from {} to {} {}",
                            crate::format::number(spec.min),
                            crate::format::number(spec.max),
                            spec.unit
                        ),
                    );
                }
                if f.basis.trim().is_empty() {
                    self.report(
                        origin,
                        &at.key("basis"),
                        format!("{owner} does not say how its value follows from its source"),
                        "write the arithmetic or the measurement in `basis`",
                    );
                }
                self.dated(origin, &at, &owner, Some(&f.as_of), Some(&f.source));
            }
        }
        for (q, &origin) in self.k.questions.iter().zip(&self.k.origins.questions) {
            let Some(field) = &q.profile_default else {
                continue;
            };
            let path = self
                .item_path(KnowledgeFile::Questions, origin)
                .key("profile_default");
            if !super::super::profiles::FIELDS
                .iter()
                .any(|f| f.name == field)
            {
                self.report(
                    origin,
                    &path,
                    format!(
                        "question `{}`'s `profile_default` `{field}` is no request profile figure{}",
                        q.id,
                        suggest(field, super::super::profiles::FIELDS.iter().map(|f| f.name))
                    ),
                    "name a figure of a request profile (request_ms, response_kb, stored_gb, users_per_peak_rps…)",
                );
            } else if q.kind != QuestionKind::Number {
                self.report(
                    origin,
                    &path,
                    format!(
                        "question `{}` takes its usual answer from a request profile but is not a number question",
                        q.id
                    ),
                    "make it \"kind\": \"number\", or drop `profile_default`",
                );
            }
        }
        if let Some(q) = workload {
            for option in &q.options {
                if self.k.profile(&option.id).is_none() {
                    let origin = self.list_origin(KnowledgeFile::Figures);
                    self.report(
                        origin,
                        &list_path,
                        format!(
                            "workload `{}` has no request profile, so the scenario its answers describe would have no figures to start from",
                            option.id
                        ),
                        format!(
                            "add a profile with \"id\": \"{}\" to figures.json's `profiles` (see knowledge/SCHEMA.md)",
                            option.id
                        ),
                    );
                }
            }
        }
    }

    /// A figure's value, low and high within the range its catalogue entry gives (or, for a figure
    /// the code does not read, 0 to `MAX_FIGURE`).
    pub(super) fn figure_range(
        &mut self,
        origin: Origin,
        path: &JsonPath,
        owner: &str,
        figure: &Figure,
    ) {
        let spec = super::super::catalogue::figure_spec(&figure.id);
        let (min, max) = spec.map_or((0.0, MAX_FIGURE), |s| (s.min, s.max));
        let fields = [
            ("value", Some(figure.value)),
            ("low", figure.low),
            ("high", figure.high),
        ];
        for (field, value) in fields {
            let Some(value) = value else { continue };
            if !value.is_finite() {
                continue; // reported above as not finite
            }
            let why = if value < min || value > max {
                Some(format!(
                    "is {} {}, outside {}..{} {}",
                    figure_text(value),
                    figure.unit,
                    crate::format::number(min),
                    crate::format::number(max),
                    figure.unit
                ))
            } else if spec.is_some_and(|s| s.whole) && value.fract() != 0.0 {
                Some(format!(
                    "is {value} {}; it counts whole {}",
                    figure.unit, figure.unit
                ))
            } else {
                None
            };
            if let Some(why) = why {
                let reason = spec.map_or(String::new(), |s| {
                    format!(" (the simulator reads it for {})", s.used_for)
                });
                self.report(
                    origin,
                    &path.key(field),
                    format!("{owner}'s `{field}` {why}{reason}"),
                    format!(
                        "give a value from {} to {}{}",
                        crate::format::number(min),
                        crate::format::number(max),
                        if spec.is_some_and(|s| s.whole) {
                            ", a whole number"
                        } else {
                            ""
                        }
                    ),
                );
            }
        }
    }
}
