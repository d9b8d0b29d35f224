//! Checks of how the bill names each service (prices.json's `billing`): a FOCUS bill's lines are read
//! back to the knowledge's services by these names, so two entries may not claim one name, a
//! service may not be billed under two codes, and every code a price's `offer` carries is named.

use super::super::billing::FOCUS_CATEGORIES;
use super::super::load::Origin;
use super::{Validator, is_date, suggest};
use crate::diagnostic::JsonPath;

fn entry_path(origin: Origin) -> JsonPath {
    JsonPath::root().key("billing").index(origin.index)
}

impl Validator<'_> {
    pub(super) fn billing(&mut self) {
        let entries: Vec<_> = self
            .k
            .billing
            .iter()
            .zip(self.k.origins.billing.iter().copied())
            .collect();
        for (i, &(b, origin)) in entries.iter().enumerate() {
            let path = entry_path(origin);
            let owner = format!("billed service `{}`", b.service_code);
            if b.service_code.is_empty()
                || !b.service_code.chars().all(|c| c.is_ascii_alphanumeric())
            {
                self.report(
                    origin,
                    &path.key("service_code"),
                    format!(
                        "`{}` is not an AWS Price List service code (letters and digits, like `AWSLambda`)",
                        b.service_code
                    ),
                    "write the code as a price's `offer.servicecode` and AWS's `x_ServiceCode` have it",
                );
            }
            if b.service_name.trim().is_empty() {
                self.report(
                    origin,
                    &path.key("service_name"),
                    format!("{owner} has no `service_name`"),
                    "write the service's name as AWS's FOCUS export fills `ServiceName` (e.g. \"AWS Lambda\")",
                );
            } else if let Some(&(first, first_origin)) = entries[..i]
                .iter()
                .find(|(o, _)| o.service_name.eq_ignore_ascii_case(b.service_name.trim()))
            {
                let (line, _) = self.locate(first_origin, &entry_path(first_origin));
                let file = &self.k.origins.files[first_origin.file].src.name;
                self.report(
                    origin,
                    &path.key("service_name"),
                    format!(
                        "{owner} is named `{}`, which already names `{}` ({file}, line {line}): a bill's line could not tell them apart",
                        b.service_name, first.service_code
                    ),
                    "give each service code the one `ServiceName` AWS bills it under, and remove the other",
                );
            }
            if !FOCUS_CATEGORIES.contains(&b.category.as_str()) {
                let hint = suggest(&b.category, FOCUS_CATEGORIES.iter().copied());
                self.report(
                    origin,
                    &path.key("category"),
                    format!(
                        "{owner}'s category `{}` is not a FOCUS 1.0 ServiceCategory{hint}",
                        b.category
                    ),
                    format!("use one of: {}", FOCUS_CATEGORIES.join(", ")),
                );
            }
            for (j, service) in b.services.iter().enumerate() {
                let at = path.key("services").index(j);
                let bill_only = super::super::prices::BILL_ONLY_SERVICES
                    .iter()
                    .any(|(id, _)| id == service);
                if !bill_only {
                    self.service_ref(origin, at.clone(), &owner, service);
                }
                if let Some(&(other, _)) = entries[..i]
                    .iter()
                    .find(|(o, _)| o.services.contains(service))
                {
                    self.report(
                        origin,
                        &at,
                        format!(
                            "{owner} lists service `{service}`, which `{}` already lists: a price is billed under one code",
                            other.service_code
                        ),
                        "list the service under the one code AWS bills its prices under",
                    );
                }
            }
            if b.source.trim().is_empty() {
                self.report(
                    origin,
                    &path.key("source"),
                    format!("{owner} has no `source`"),
                    "add \"source\": the AWS page that names the service so (AWS's FOCUS table dictionary)",
                );
            }
            if !is_date(&b.as_of) {
                self.report(
                    origin,
                    &path.key("as_of"),
                    format!("{owner}'s `as_of` `{}` is not a date", b.as_of),
                    "write when the name was read, as \"YYYY-MM\"",
                );
            }
        }
        self.offers_are_billed();
    }

    /// Every service code a price's offer carries is named: a bill written from the price, or read
    /// back to it, needs its `ServiceName`.
    fn offers_are_billed(&mut self) {
        for (price, &origin) in self.k.prices.iter().zip(&self.k.origins.prices) {
            let Some(offer) = &price.offer else {
                continue;
            };
            if self.k.billed(&offer.servicecode).is_none() {
                let hint = suggest(
                    &offer.servicecode,
                    self.k.billing.iter().map(|b| b.service_code.as_str()),
                );
                self.report(
                    origin,
                    &JsonPath::root()
                        .key("prices")
                        .index(origin.index)
                        .key("offer")
                        .key("servicecode"),
                    format!(
                        "price `{}` is billed under service code `{}`, which prices.json's `billing` does not name{hint}",
                        price.id, offer.servicecode
                    ),
                    "add {\"service_code\", \"service_name\", \"category\", \"source\", \"as_of\"} for it to `billing` (its name as AWS's FOCUS export writes `ServiceName`)",
                );
            }
        }
    }

    fn locate(&self, origin: Origin, path: &JsonPath) -> (usize, usize) {
        self.k.origins.files[origin.file].src.locate(path)
    }
}
