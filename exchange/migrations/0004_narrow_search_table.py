"""PostgreSQL only: move the search tsvector out of the wide item row into a narrow table.

A phrase query (`"liaison officer"`) needs word positions, so PostgreSQL rechecks the tsvector of every
candidate row; reading it from `exchange_item_search` (item id + tsvector) instead of the wide item row
halves that cost (bench/README.md, search section). No foreign key, so that TRUNCATE of the Django tables
(test flushes) still works; a trigger removes the entry when an item row is deleted, and a stale entry
can never reveal anything because candidates are always intersected with `visible_to`. SQLite: no-op.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "CREATE TABLE IF NOT EXISTS exchange_item_search (item_id bigint PRIMARY KEY, search_vector tsvector NOT NULL)",
    "INSERT INTO exchange_item_search (item_id, search_vector) "
    "SELECT id, search_vector FROM exchange_item WHERE search_vector IS NOT NULL ON CONFLICT (item_id) DO NOTHING",
    "CREATE INDEX IF NOT EXISTS exchange_item_search_vector_gin ON exchange_item_search USING GIN (search_vector)",
    "CREATE OR REPLACE FUNCTION exchange_item_search_forget() RETURNS trigger AS $$ "
    "BEGIN DELETE FROM exchange_item_search WHERE item_id = OLD.id; RETURN OLD; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER exchange_item_search_forget AFTER DELETE ON exchange_item "
    "FOR EACH ROW EXECUTE FUNCTION exchange_item_search_forget()",
    "DROP INDEX IF EXISTS exchange_item_search_gin",
    "ALTER TABLE exchange_item DROP COLUMN IF EXISTS search_vector",
    "ANALYZE exchange_item_search",
]
POSTGRES_BACKWARD = [
    "ALTER TABLE exchange_item ADD COLUMN IF NOT EXISTS search_vector tsvector",
    "UPDATE exchange_item SET search_vector = s.search_vector FROM exchange_item_search s WHERE s.item_id = id",
    "CREATE INDEX IF NOT EXISTS exchange_item_search_gin ON exchange_item USING GIN (search_vector)",
    "DROP TRIGGER IF EXISTS exchange_item_search_forget ON exchange_item",
    "DROP FUNCTION IF EXISTS exchange_item_search_forget()",
    "DROP TABLE IF EXISTS exchange_item_search",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("exchange", "0003_search_access_and_facet_tokens")]

    operations = [migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD))]
