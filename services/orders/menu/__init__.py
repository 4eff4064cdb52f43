"""The menu: categories, items (priced per business, optionally per venue, each in a tax
category), modifier groups and modifiers. Archived, never deleted."""
