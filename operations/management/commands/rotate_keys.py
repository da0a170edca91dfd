"""python manage.py rotate_keys: re-encrypt every encrypted field with the newest FIELD_ENCRYPTION_KEYS key.

Rotation: put the new key first in FIELD_ENCRYPTION_KEYS (keep the old ones after it), restart, run this
command, then remove the old keys. Idempotent: rows already under the newest key are skipped, and each row
is updated only if it did not change meanwhile.

`rotate_keys --hash-key`: set the new FIELD_HASH_KEY, move the old one to FIELD_HASH_KEY_PREVIOUS, restart,
run it. It recomputes every keyed-hash column (e-mail lookups) from the decrypted value under the current
key, and reports the users whose recovery codes are still hashed under a previous key: those hashes cannot
be recomputed (the codes are not stored), so the previous key stays until the codes are used or replaced.
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
    hash_keys,
    is_current,
    keyed_hash_columns,
    lookup_hash,
)
from operations.progress import cli_progress

BATCH = 500


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field with the newest key of FIELD_ENCRYPTION_KEYS."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hash-key",
            action="store_true",
            help="Instead: recompute every keyed-hash column under FIELD_HASH_KEY and report the recovery "
            "codes that still need a key of FIELD_HASH_KEY_PREVIOUS.",
        )

    def handle(self, *args, **options):
        if options["hash_key"]:
            self._rotate_hash_key(verbosity=options["verbosity"])
            return
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

    def _rotate_hash_key(self, *, verbosity: int) -> None:
        keys = hash_keys()
        current_id, previous_ids = keys[0][0], [kid for kid, _ in keys[1:]]
        failures: list[str] = []
        recomputed = sum(
            self._recompute_column(model, hash_field, source, failures)
            for model, hash_field, source in keyed_hash_columns()
        )
        self.stdout.write(f"Recomputed {recomputed} lookup hash(es) with hash key {current_id}.")
        problems = self._report_recovery_codes(current_id, previous_ids, verbosity=verbosity)
        if failures:
            problems.append(
                f"{len(failures)} value(s) could not be decrypted with any configured key, so their hash was "
                "not recomputed:\n  " + "\n  ".join(failures[:50])
            )
        if problems:
            raise CommandError("\n".join(problems))

    def _recompute_column(self, model, hash_field: str, source: str, failures: list[str]) -> int:
        """Batched by primary key; a row is updated only if its source value did not change meanwhile."""
        quote = connection.ops.quote_name
        source_field = model._meta.get_field(source)
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        hash_column, source_column = quote(model._meta.get_field(hash_field).column), quote(source_field.column)
        encrypted = getattr(source_field, "encrypted", False)
        label = f"{model._meta.label}.{hash_field}"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - names from the model
            total = cursor.fetchone()[0]
        changed, last_pk = 0, None
        with cli_progress(total=total, desc=label, stream=self.stderr) as bar:
            while True:
                with transaction.atomic(), connection.cursor() as cursor:
                    after, params = ("", []) if last_pk is None else (f" WHERE {pk} > %s", [last_pk])
                    cursor.execute(
                        f"SELECT {pk}, {source_column}, {hash_column} FROM {table}{after} ORDER BY {pk} LIMIT {BATCH}",  # noqa: S608
                        params,
                    )
                    rows = cursor.fetchall()
                    for row_pk, stored, old_hash in rows:
                        try:
                            fresh = lookup_hash(decrypt_value(stored) if encrypted and stored is not None else stored)
                        except DecryptionError as error:
                            failures.append(f"{model._meta.label}.{source} row {row_pk}: {error}")
                            continue
                        if fresh == old_hash:
                            continue
                        unchanged = f"{source_column} IS NULL" if stored is None else f"{source_column} = %s"
                        cursor.execute(
                            f"UPDATE {table} SET {hash_column} = %s WHERE {pk} = %s AND {unchanged}",  # noqa: S608
                            [fresh, row_pk] + ([] if stored is None else [stored]),
                        )
                        changed += cursor.rowcount
                if not rows:
                    break
                last_pk = rows[-1][0]
                bar.update(len(rows))
        self.stdout.write(f"{label}: {changed} of {total} hash(es) recomputed")
        return changed

    def _report_recovery_codes(self, current_id: str, previous_ids: list[str], *, verbosity: int) -> list[str]:
        """Say which sets still need a previous key; returns the problems (sets under a key not configured)."""
        from accounts.recovery_codes import unused_sets_by_hash_key

        def who(usernames: list[str]) -> str:
            return f" ({', '.join(usernames[:50])})" if verbosity >= 2 else ""

        by_key = unused_sets_by_hash_key()
        self.stdout.write(
            f"Recovery codes: {len(by_key.pop(current_id, []))} user(s) have unused codes under hash key {current_id}."
        )
        still_needed = 0
        for kid in previous_ids:
            usernames = by_key.pop(kid, [])
            still_needed += len(usernames)
            if usernames:
                self.stdout.write(
                    f"Recovery codes: {len(usernames)} user(s) have unused codes hashed under the previous key "
                    f"{kid}{who(usernames)}."
                )
        unrecorded = by_key.pop(None, [])
        if unrecorded and previous_ids:
            still_needed += len(unrecorded)
            self.stdout.write(
                f"Recovery codes: {len(unrecorded)} user(s) have unused codes from before key ids were recorded; "
                f"they may be hashed under a previous key{who(unrecorded)}."
            )
        if still_needed:
            self.stdout.write(
                "Recovery codes are stored only as hashes and cannot be recomputed under the new key: keep "
                "FIELD_HASH_KEY_PREVIOUS until these users have used up their codes or generated new ones "
                "(run this command again to see how many remain)."
            )
        elif previous_ids:
            self.stdout.write("Nothing depends on FIELD_HASH_KEY_PREVIOUS any more: you may remove it.")
        return [
            f"{len(usernames)} user(s) have unused recovery codes hashed under key {kid}, which is neither "
            f"FIELD_HASH_KEY nor in FIELD_HASH_KEY_PREVIOUS, so these codes no longer work{who(usernames)}. Put "
            "that key (back) into FIELD_HASH_KEY_PREVIOUS - a wrong key there gives this error too - or have "
            "these users generate new codes."
            for kid, usernames in by_key.items()
        ]
