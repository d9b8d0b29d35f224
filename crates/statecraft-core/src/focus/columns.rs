//! The FOCUS 1.0 columns Statecraft writes, and how an AWS service is named in a FOCUS export.
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

/// How AWS names a service in FOCUS's `ServiceName`, and the FOCUS 1.0 `ServiceCategory` it falls
/// in, by the AWS Price List service code the knowledge's prices carry (`offer.servicecode`).
/// AWS fills `ServiceName` with the product's name from its price list.
const BY_SERVICE_CODE: &[(&str, &str, &str)] = &[
    ("AWSLambda", "AWS Lambda", "Compute"),
    ("AmazonEC2", "Amazon Elastic Compute Cloud", "Compute"),
    ("AmazonECS", "Amazon Elastic Container Service", "Compute"),
    (
        "AmazonEKS",
        "Amazon Elastic Container Service for Kubernetes",
        "Compute",
    ),
    ("AmazonApiGateway", "Amazon API Gateway", "Networking"),
    ("AWSELB", "Elastic Load Balancing", "Networking"),
    ("AmazonCloudFront", "Amazon CloudFront", "Networking"),
    ("AWSDataTransfer", "AWS Data Transfer", "Networking"),
    ("AmazonVPC", "Amazon Virtual Private Cloud", "Networking"),
    ("AmazonRoute53", "Amazon Route 53", "Networking"),
    ("AmazonCognito", "Amazon Cognito", "Identity"),
    ("AmazonDynamoDB", "Amazon DynamoDB", "Databases"),
    ("AmazonElastiCache", "Amazon ElastiCache", "Databases"),
    (
        "AmazonRDS",
        "Amazon Relational Database Service",
        "Databases",
    ),
    ("AmazonS3", "Amazon Simple Storage Service", "Storage"),
    (
        "AmazonCloudWatch",
        "AmazonCloudWatch",
        "Management and Governance",
    ),
    (
        "AmazonMSK",
        "Amazon Managed Streaming for Apache Kafka",
        "Analytics",
    ),
    ("AmazonKinesis", "Amazon Kinesis", "Analytics"),
    (
        "AWSQueueService",
        "Amazon Simple Queue Service",
        "Integration",
    ),
];

/// Prices without an offer match: the service code AWS bills them under, by the knowledge's
/// service id.
const CODE_BY_SERVICE: &[(&str, &str)] = &[
    ("ecs", "AmazonECS"),
    ("elasticache-redis", "AmazonElastiCache"),
    ("iot-core", "AWSIoT"),
    ("appsync", "AWSAppSync"),
    ("eventbridge", "AWSEvents"),
    ("transfer-family", "AWSTransfer"),
];

const OTHER_NAMES: &[(&str, &str, &str)] = &[
    ("AWSIoT", "AWS IoT", "Internet of Things"),
    ("AWSAppSync", "AWS AppSync", "Integration"),
    ("AWSEvents", "Amazon EventBridge", "Integration"),
    ("AWSTransfer", "AWS Transfer Family", "Storage"),
];

/// The service code of a price: its offer's, or the one AWS bills its service under.
pub fn service_code(offer_code: Option<&str>, service: &str) -> Option<&'static str> {
    if let Some(code) = offer_code {
        return BY_SERVICE_CODE
            .iter()
            .chain(OTHER_NAMES)
            .find(|(c, _, _)| *c == code)
            .map(|(c, _, _)| *c);
    }
    CODE_BY_SERVICE
        .iter()
        .find(|(s, _)| *s == service)
        .map(|(_, c)| *c)
}

/// `ServiceName` and `ServiceCategory` of a service code (`Other` for a code not listed).
pub fn service_name(code: &str) -> (&'static str, &'static str) {
    BY_SERVICE_CODE
        .iter()
        .chain(OTHER_NAMES)
        .find(|(c, _, _)| *c == code)
        .map_or(("AWS", "Other"), |(_, n, cat)| (*n, *cat))
}

/// The service code of a `ServiceName` (for an export without `x_ServiceCode`).
pub fn code_of_name(name: &str) -> Option<&'static str> {
    BY_SERVICE_CODE
        .iter()
        .chain(OTHER_NAMES)
        .find(|(_, n, _)| n.eq_ignore_ascii_case(name))
        .map(|(c, _, _)| *c)
}

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

    #[test]
    fn every_service_code_has_a_name_and_a_focus_category() {
        for (code, _, _) in BY_SERVICE_CODE.iter().chain(OTHER_NAMES) {
            let (name, category) = service_name(code);
            assert!(!name.is_empty());
            assert_ne!(category, "Other", "{code}");
            assert_eq!(code_of_name(name), Some(*code));
        }
    }
}
