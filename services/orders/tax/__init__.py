"""Tax configuration: the business's pricing basis and cash rounding, its tax categories and
their rates by effective date (the "VAT-config endpoint")."""
