//! How AWS's bill names each service (prices.json's `billing`): the Price List service code a price's
//! `offer` carries, the `ServiceName` AWS's FOCUS export gives it, and its FOCUS 1.0
//! `ServiceCategory`. `simulate --format focus` writes a price's line under these, and `review
//! --observed` reads a bill's lines back to the knowledge's services by them.

use serde::{Deserialize, Serialize};

use super::{Knowledge, Price};

/// One AWS service as a bill names it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BilledService {
    /// AWS's Price List service code (`AWSLambda`): a price's `offer.servicecode`, FOCUS's
    /// `x_ServiceCode`.
    pub service_code: String,
    /// FOCUS's `ServiceName` as AWS's export fills it (`AWS Lambda`).
    pub service_name: String,
    /// FOCUS 1.0's `ServiceCategory` (`Compute`).
    pub category: String,
    /// Knowledge services (or bill lines) whose prices without an `offer` AWS bills under this code
    /// (`ecs` for `AmazonECS`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<String>,
    /// The AWS page that names the service so (the FOCUS table dictionary).
    pub source: String,
    pub as_of: String,
}

/// FOCUS 1.0's allowed `ServiceCategory` values (FOCUS Specification v1.0, ServiceCategory).
pub const FOCUS_CATEGORIES: [&str; 19] = [
    "AI and Machine Learning",
    "Analytics",
    "Business Applications",
    "Compute",
    "Databases",
    "Developer Tools",
    "Multicloud",
    "Identity",
    "Integration",
    "Internet of Things",
    "Management and Governance",
    "Media",
    "Migration",
    "Mobile",
    "Networking",
    "Security",
    "Storage",
    "Web",
    "Other",
];

impl Knowledge {
    /// The billed service of a service code.
    pub fn billed(&self, service_code: &str) -> Option<&BilledService> {
        self.billing.iter().find(|b| b.service_code == service_code)
    }

    /// The billed service a FOCUS `ServiceName` names (AWS's spelling, any case).
    pub fn billed_by_name(&self, service_name: &str) -> Option<&BilledService> {
        let name = service_name.trim();
        self.billing
            .iter()
            .find(|b| b.service_name.eq_ignore_ascii_case(name))
    }

    /// The service a price is billed under: its offer's code; else the one listing its service;
    /// else the code of the same service's other prices.
    pub fn billed_for(&self, price: &Price) -> Option<&BilledService> {
        if let Some(offer) = &price.offer {
            return self.billed(&offer.servicecode);
        }
        self.billing
            .iter()
            .find(|b| b.services.contains(&price.service))
            .or_else(|| {
                self.prices
                    .iter()
                    .filter(|p| p.service == price.service)
                    .find_map(|p| p.offer.as_ref())
                    .and_then(|o| self.billed(&o.servicecode))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_offer_code_of_the_shipped_prices_has_a_focus_name_read_back_to_the_same_code() {
        let k = Knowledge::shipped().expect("shipped knowledge");
        for price in &k.prices {
            let b = k
                .billed_for(price)
                .unwrap_or_else(|| panic!("price `{}` has no billed service", price.id));
            assert!(FOCUS_CATEGORIES.contains(&b.category.as_str()));
            let back = k.billed_by_name(&b.service_name.to_uppercase());
            assert_eq!(back.map(|b| &b.service_code), Some(&b.service_code));
        }
        assert_eq!(
            k.billed_by_name("Amazon Elastic Compute Cloud")
                .map(|b| b.service_code.as_str()),
            Some("AmazonEC2")
        );
        // a price without an offer: its service's listing, else its service's other prices
        let ecs = k.price("ecs-control-plane").expect("ecs price");
        assert_eq!(
            k.billed_for(ecs).map(|b| b.service_code.as_str()),
            Some("AmazonECS")
        );
        let proxy = k.price("rds-proxy-vcpu").expect("rds proxy price");
        assert_eq!(
            k.billed_for(proxy).map(|b| b.service_name.as_str()),
            Some("Amazon Relational Database Service")
        );
    }
}
