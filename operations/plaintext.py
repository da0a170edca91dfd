"""Find personal values in plaintext anywhere in the database (the "a dump shows no personal data" check)."""

import re

from django.db import connection


def raw_dump_text(using=connection) -> str:
    """Every value of every table, as text, read with raw SQL (no decryption)."""
    parts = []
    with using.cursor() as cursor:
        for table in sorted(using.introspection.table_names()):
            cursor.execute(f"SELECT * FROM {using.ops.quote_name(table)}")  # noqa: S608 - introspected names
            for row in cursor.fetchall():
                parts.extend(
                    value.decode("utf-8", "replace") if isinstance(value, bytes | memoryview) else str(value)
                    for value in row
                    if value is not None
                )
    return "\n".join(parts)


def personal_values_of_users() -> dict[str, set[str]]:
    """The decrypted personal values of every user (read through the model), by field name."""
    from operations.crypto import encrypted_fields

    found: dict[str, set[str]] = {}
    for model, field in encrypted_fields():
        for value in model._base_manager.values_list(field.attname, flat=True):
            if isinstance(value, str) and len(value.strip()) >= 4:
                found.setdefault(f"{model._meta.label}.{field.name}", set()).add(value.strip())
    return found


def plaintext_leaks(text: str | None = None) -> list[str]:
    text = raw_dump_text() if text is None else text
    leaks = []
    for label, values in personal_values_of_users().items():
        # Whole words only: the surname "Cooper" must not match the word "Cooperation".
        leaks += [
            f"{label}: {value!r}" for value in sorted(values) if re.search(rf"(?<!\w){re.escape(value)}(?!\w)", text)
        ]
    return leaks
