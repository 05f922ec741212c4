"""Free-text search at national size (issue 13), on PostgreSQL only: pg_trgm and unaccent, an immutable unaccent
(`unaccent()` itself is only stable, so no index may use it) and the trigram GIN indexes of the commune
suggestions and of the convention list's perimeter names. SQLite searches as before, without these indexes."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION ctg_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$
"""
# Each index is on the very expression the queries write: core.querysets.Searchable, and Django's `icontains`
# (UPPER(name::text)) and `contains` (search_name) of Commune.objects.search.
INDEXES = {
    "commune_name_trgm": "territories_commune USING gin (UPPER(ctg_unaccent((name)::text)) gin_trgm_ops)",
    "commune_name_upper_trgm": "territories_commune USING gin (UPPER((name)::text) gin_trgm_ops)",
    "commune_search_name_trgm": "territories_commune USING gin (search_name gin_trgm_ops)",
    "territory_name_trgm": "territories_territory USING gin (UPPER(ctg_unaccent((name)::text)) gin_trgm_ops)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema_editor.execute(FUNCTION)
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    # ctg_unaccent stays: conventions' indexes may use it; the extensions stay too (other databases' objects).


class Migration(migrations.Migration):
    dependencies = [("territories", "0004_name_article")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
