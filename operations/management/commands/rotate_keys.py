"""python manage.py rotate_keys: re-encrypt every encrypted field with the newest FIELD_ENCRYPTION_KEYS key.

Rotation: put the new key first in FIELD_ENCRYPTION_KEYS (keep the old ones after it), restart, run this
command, then remove the old keys. Idempotent: rows already under the newest key are skipped, and each row
is updated only if it did not change meanwhile.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from operations.crypto import (
    PREFIX,
    DecryptionError,
    decrypt_value,
    encrypt_value,
    encrypted_fields,
    encryption_keys,
    is_current,
)
from operations.progress import cli_progress

BATCH = 500


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field with the newest key of FIELD_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        current_id = encryption_keys()[0][0]
        current_prefix = f"{PREFIX}:{current_id}:%"
        quote = connection.ops.quote_name
        rotated, failures = 0, []
        for model, field in encrypted_fields():
            table, column, pk = quote(model._meta.db_table), quote(field.column), quote(model._meta.pk.column)
            where = f"{column} IS NOT NULL AND {column} NOT LIKE %s"
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", [current_prefix])  # noqa: S608
                total = cursor.fetchone()[0]
            label = f"{model._meta.label}.{field.name}"
            last_pk = None
            with cli_progress(total=total, desc=label, stream=self.stderr) as bar:
                while True:
                    with transaction.atomic(), connection.cursor() as cursor:
                        after = "" if last_pk is None else f" AND {pk} > %s"
                        params = [current_prefix] + ([] if last_pk is None else [last_pk])
                        cursor.execute(
                            f"SELECT {pk}, {column} FROM {table} WHERE {where}{after} ORDER BY {pk} LIMIT {BATCH}",  # noqa: S608
                            params,
                        )
                        rows = cursor.fetchall()
                        for row_pk, stored in rows:
                            try:
                                fresh = encrypt_value(decrypt_value(stored))
                            except DecryptionError as error:
                                failures.append(f"{label} row {row_pk}: {error}")
                                continue
                            cursor.execute(
                                f"UPDATE {table} SET {column} = %s WHERE {pk} = %s AND {column} = %s",  # noqa: S608
                                [fresh, row_pk, stored],
                            )
                            rotated += cursor.rowcount
                    if not rows:
                        break
                    last_pk = rows[-1][0]
                    bar.update(len(rows))
            self.stdout.write(f"{label}: {total} value(s) to re-encrypt")
        rotated += self._rotate_embedded(failures)
        if failures:
            raise CommandError(
                f"{len(failures)} value(s) could not be decrypted with any configured key:\n  "
                + "\n  ".join(failures[:50])
            )
        self.stdout.write(f"Re-encrypted {rotated} value(s) with key {current_id}.")

    def _rotate_embedded(self, failures: list[str]) -> int:
        """Encrypted strings inside JSON columns (allauth's MFA secrets, encrypted by the accounts adapter)."""
        from allauth.mfa.models import Authenticator

        def rotate(value):
            if isinstance(value, str) and value.startswith(f"{PREFIX}:") and not is_current(value):
                return encrypt_value(decrypt_value(value))
            if isinstance(value, dict):
                return {key: rotate(item) for key, item in value.items()}
            if isinstance(value, list):
                return [rotate(item) for item in value]
            return value

        rotated = 0
        for pk in Authenticator.objects.order_by("pk").values_list("pk", flat=True):
            with transaction.atomic():
                authenticator = Authenticator.objects.select_for_update().get(pk=pk)
                try:
                    fresh = rotate(authenticator.data)
                except DecryptionError as error:
                    failures.append(f"mfa.Authenticator.data row {pk}: {error}")
                    continue
                if fresh != authenticator.data:
                    authenticator.data = fresh
                    authenticator.save(update_fields=["data"])
                    rotated += 1
        self.stdout.write(f"mfa.Authenticator.data: {rotated} value(s) re-encrypted")
        return rotated
