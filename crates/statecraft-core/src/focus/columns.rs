//! The FOCUS 1.0 columns Statecraft writes. How an AWS service is named in a FOCUS export is
//! knowledge (prices.json's `billing`, see `knowledge::billing`).
//!
//! Column names and meanings follow the FOCUS 1.0 specification (FinOps Foundation, "FOCUS
//! Specification v1.0", Columns) and AWS's "FOCUS 1.0 with AWS columns" table dictionary (AWS Data
//! Exports User Guide), which adds `x_ServiceCode`, `x_UsageType` and `x_Operation`.

/// Every column FOCUS 1.0 requires, in the specification's (alphabetical) order, then AWS's `x_`
/// columns and Statecraft's own: `x_PriceId` (the knowledge's price id, so a line traces back to its
/// price) and the price's source and date.
pub const COLUMNS: &[&str] = &[
    "AvailabilityZone",
    "BilledCost",
    "BillingAccountId",
    "BillingAccountName",
    "BillingCurrency",
    "BillingPeriodEnd",
    "BillingPeriodStart",
    "ChargeCategory",
    "ChargeClass",
    "ChargeDescription",
    "ChargeFrequency",
    "ChargePeriodEnd",
    "ChargePeriodStart",
    "CommitmentDiscountCategory",
    "CommitmentDiscountId",
    "CommitmentDiscountName",
    "CommitmentDiscountStatus",
    "CommitmentDiscountType",
    "ConsumedQuantity",
    "ConsumedUnit",
    "ContractedCost",
    "ContractedUnitPrice",
    "EffectiveCost",
    "InvoiceIssuerName",
    "ListCost",
    "ListUnitPrice",
    "PricingCategory",
    "PricingQuantity",
    "PricingUnit",
    "ProviderName",
    "PublisherName",
    "RegionId",
    "RegionName",
    "ResourceId",
    "ResourceName",
    "ResourceType",
    "ServiceCategory",
    "ServiceName",
    "SkuId",
    "SkuPriceId",
    "SubAccountId",
    "SubAccountName",
    "Tags",
    "x_ServiceCode",
    "x_UsageType",
    "x_PriceId",
    "x_PriceSource",
    "x_PriceAsOf",
];

/// `ProviderName`, `PublisherName` and `InvoiceIssuerName` as AWS's own FOCUS export fills them.
pub const PROVIDER: &str = "AWS";
pub const PUBLISHER: &str = "Amazon Web Services, Inc.";

/// The one currency the knowledge's prices are in.
pub const CURRENCY: &str = "USD";

/// The tag a team sets on its resources (AWS cost allocation tags appear in FOCUS's `Tags`) to tie
/// the bill's lines to a decision record: `statecraft-decision=0007`.
pub const DECISION_TAG: &str = "statecraft-decision";

/// `ServiceName` and `ServiceCategory` where the knowledge names no service code for a price: FOCUS's
/// catch-all.
pub const UNNAMED: (&str, &str) = ("AWS", "Other");

/// AWS's usage type without its region prefix: `USE1-Request` and `EUW1-Request` are `Request`
/// (us-east-1 often has no prefix at all).
pub fn bare_usage_type(usage_type: &str) -> &str {
    match usage_type.split_once('-') {
        Some((prefix, rest))
            if (3..=5).contains(&prefix.len())
                && prefix
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                && prefix.chars().last().is_some_and(|c| c.is_ascii_digit()) =>
        {
            rest
        }
        _ => usage_type,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_region_prefix_is_stripped_from_a_usage_type_and_nothing_else() {
        assert_eq!(bare_usage_type("USE1-Request"), "Request");
        assert_eq!(bare_usage_type("EUC1-Lambda-GB-Second"), "Lambda-GB-Second");
        assert_eq!(bare_usage_type("Lambda-GB-Second"), "Lambda-GB-Second");
        assert_eq!(
            bare_usage_type("Fargate-vCPU-Hours:perCPU"),
            "Fargate-vCPU-Hours:perCPU"
        );
    }
}
