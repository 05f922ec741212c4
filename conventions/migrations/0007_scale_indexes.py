"""Free-text search of the convention list at national size (issue 13), on PostgreSQL only: trigram GIN indexes
on the expressions core.querysets.Searchable writes (reference, title, parties' names). The function and the
extensions come from territories 0005_scale_indexes. SQLite searches as before, without these indexes."""

from django.db import migrations

INDEXES = {
    "convention_reference_trgm": "conventions_convention USING gin (UPPER(ctg_unaccent((reference)::text)) gin_trgm_ops)",
    "convention_title_trgm": "conventions_convention USING gin (UPPER(ctg_unaccent((title)::text)) gin_trgm_ops)",
    "party_name_trgm": "conventions_party USING gin (UPPER(ctg_unaccent((name)::text)) gin_trgm_ops)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("conventions", "0006_party_article"), ("territories", "0005_scale_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
