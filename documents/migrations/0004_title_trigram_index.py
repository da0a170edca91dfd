"""PostgreSQL: a trigram index for the document library's title search (icontains = UPPER(title) LIKE '%…%').

Without it the database reads every visible document to find the matching ones. pg_trgm is a trusted extension
(PostgreSQL 13+): the database owner can create it. SQLite scans the titles, which is fast at its scale.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS document_title_trigram ON documents_document "
    "USING gin (UPPER(title::text) gin_trgm_ops)"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS document_title_trigram")


class Migration(migrations.Migration):
    dependencies = [("documents", "0003_newest_published_index")]

    operations = [migrations.RunPython(forwards, backwards)]
