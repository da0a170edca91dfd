"""The full-text entry also carries access and facet tokens (see exchange/search.py); rebuild every entry."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS exchange_item_fts")
        schema_editor.execute(
            "CREATE VIRTUAL TABLE exchange_item_fts USING fts5(title, body, tokens, tokenize = 'porter unicode61')"
        )
    if schema_editor.connection.vendor == "postgresql":
        # The live index_item writes to the narrow table of migration 0004 (which then keeps these entries).
        schema_editor.execute(
            "CREATE TABLE IF NOT EXISTS exchange_item_search (item_id bigint PRIMARY KEY, search_vector tsvector NOT NULL)"
        )
    # The live models match the schema at this point (this is the newest exchange migration when written).
    from exchange.search import rebuild_index

    rebuild_index()


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS exchange_item_fts")
        schema_editor.execute(
            "CREATE VIRTUAL TABLE exchange_item_fts USING fts5(title, body, tokenize = 'porter unicode61')"
        )


class Migration(migrations.Migration):
    dependencies = [("exchange", "0002_full_text_search")]

    operations = [migrations.RunPython(forwards, backwards)]
