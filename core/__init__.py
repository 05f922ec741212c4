"""The project's toolkit: what every app uses and no app owns.

A plain package (no models, not in INSTALLED_APPS) that imports no app of the project: the import-linter
contract in pyproject.toml keeps it at the bottom of the layers.
"""
