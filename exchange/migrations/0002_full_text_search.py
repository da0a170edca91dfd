"""Full-text search storage: an FTS5 virtual table on SQLite, a tsvector column with a GIN index on PostgreSQL.

Each branch runs only on its own database; the other is a no-op.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS exchange_item_fts USING fts5(title, body, tokenize = 'porter unicode61')",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS exchange_item_fts"]
POSTGRES_FORWARD = [
    "ALTER TABLE exchange_item ADD COLUMN IF NOT EXISTS search_vector tsvector",
    "CREATE INDEX IF NOT EXISTS exchange_item_search_gin ON exchange_item USING GIN (search_vector)",
    "UPDATE exchange_item SET search_vector = setweight(to_tsvector('english', title), 'A') || "
    "to_tsvector('english', search_text)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS exchange_item_search_gin",
    "ALTER TABLE exchange_item DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("exchange", "0001_items_requests_notifications")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
