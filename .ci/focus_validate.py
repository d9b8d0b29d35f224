#!/usr/bin/env python3
"""Validates a FOCUS 1.0 CSV with the FinOps Foundation's focus-validator (PyPI `focus-validator`).

Usage: focus_validate.py FILE.csv   (exit 0 when every rule passes, 1 otherwise, 2 when it cannot run)

The validator on PyPI (1.0.0, its only release) needs four mends to judge a FOCUS 1.0 file at all; each
is made here in the open rather than by editing its rules:

1. Its `1.0` rule set still uses the 1.0-preview column ids `Provider`, `Publisher`, `InvoiceIssuer`
   and `ResourceID`; FOCUS 1.0 (and AWS's export) name them `ProviderName`, `PublisherName`,
   `InvoiceIssuerName` and `ResourceId`. The copy validated carries them under the validator's ids.
2. Its CSV loader lets pandas guess each column's type, so an all-digit account id (every AWS
   account's) fails `IsString` and a whole-number quantity fails `IsDecimal`. Here the file is read
   with the types FOCUS declares: its decimal columns as floats, every other column as text.
3. It reads its currency codes from a path relative to the current directory
   (`focus_validator/utils/currency_codes.csv`), so it is run from its install folder.
4. Its rule `SkuPriceId_Nullable` queries `ChargeType`, a column FOCUS 1.0 renamed `ChargeCategory`;
   it fails on every file, so it is skipped (listed as skipped in the output).

Its command line exits 0 even when rules fail; this script exits 1 then.
"""

import os
import sys
import tempfile

RENAMED = {
    "ProviderName": "Provider",
    "PublisherName": "Publisher",
    "InvoiceIssuerName": "InvoiceIssuer",
    "ResourceId": "ResourceID",
}
DECIMALS = {
    "BilledCost",
    "ConsumedQuantity",
    "ContractedCost",
    "ContractedUnitPrice",
    "EffectiveCost",
    "ListCost",
    "ListUnitPrice",
    "PricingQuantity",
}
BROKEN_RULES = ["SkuPriceId_Nullable"]


def main():
    if len(sys.argv) != 2:
        print("usage: focus_validate.py FILE.csv", file=sys.stderr)
        return 2
    data = os.path.abspath(sys.argv[1])
    try:
        import pandas as pd
        import focus_validator
        from focus_validator.config_objects import ChecklistObjectStatus
        from focus_validator.data_loaders import csv_data_loader
        from focus_validator.rules.spec_rules import SpecRules
    except Exception as e:  # the validator is missing or does not import
        print(f"error: focus-validator cannot be imported: {e!r}", file=sys.stderr)
        return 2

    def load(self):
        header = pd.read_csv(self.data_filename, nrows=0).columns
        types = {c: (float if c in DECIMALS else str) for c in header}
        df = pd.read_csv(self.data_filename, dtype=types, keep_default_na=False, na_values=[""])
        return df.rename(columns=RENAMED)

    csv_data_loader.CSVDataLoader.load = load

    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        f.write("overrides:\n" + "".join(f"  - {r}\n" for r in BROKEN_RULES))
        overrides = f.name
    package_root = os.path.dirname(os.path.dirname(focus_validator.__file__))
    os.chdir(package_root)
    rules_path = os.path.join(os.path.dirname(focus_validator.__file__), "rules", "version_sets")
    rules = SpecRules(
        override_filename=overrides,
        rule_set_path=rules_path,
        rules_version="1.0",
        column_namespace=None,
    )
    rules.load()
    frame = csv_data_loader.CSVDataLoader(data).load()
    result = rules.validate(frame)
    failed = []
    counts = {}
    for name, item in result.checklist.items():
        status = item.status
        counts[status.value] = counts.get(status.value, 0) + 1
        if status == ChecklistObjectStatus.FAILED or status == ChecklistObjectStatus.ERRORED:
            failed.append(f"{name} ({item.friendly_name})")
    os.unlink(overrides)
    print(
        f"focus-validator {getattr(focus_validator, '__version__', '1.0.0')} (FOCUS 1.0 rules) on {data}: "
        + ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
    )
    if failed:
        for f in failed:
            print(f"  failed: {f}")
        if result.failure_cases is not None:
            print(result.failure_cases.to_string(max_rows=40))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
