"""The whole convention across apps: its page, its print, its JSON, its history, the avenants' snapshots.

The only place of `conventions` allowed to import `actions` and `evaluation` (the import-linter contract in
pyproject.toml says so): everything else in `conventions` knows nothing of the plan and the evaluation.
"""
