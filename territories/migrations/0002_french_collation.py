"""The French collation of names on PostgreSQL (SQLite gets it per connection: territories/collation.py)."""

from django.db import migrations

CREATE = "CREATE COLLATION IF NOT EXISTS fr_natural (provider = icu, locale = 'fr-FR')"
DROP = "DROP COLLATION IF EXISTS fr_natural"


def create_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("territories", "0001_initial")]

    operations = [migrations.RunPython(create_collation, drop_collation, elidable=False)]
