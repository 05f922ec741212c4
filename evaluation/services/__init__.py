"""Writes of the evaluation: `reviews` (bilans: figures, validation, versions) and `indicators` (annexe 5's
indicators and their values)."""
