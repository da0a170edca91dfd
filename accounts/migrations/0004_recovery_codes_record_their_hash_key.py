"""Hashed recovery-code sets record the id of the FIELD_HASH_KEY key that hashed them ("hash_key").

Until this migration FIELD_HASH_KEY could not be rotated, so every existing set was hashed under the key
configured now. If FIELD_HASH_KEY_PREVIOUS is already set, a rotation is under way and that is no longer
certain: the sets are left without a key id (codes are checked under every configured key anyway, and
`rotate_keys --hash-key` reports them as "key not recorded").
"""

from django.db import migrations


def record_hash_key(apps, schema_editor):
    from operations.crypto import hash_keys

    keys = hash_keys()
    if len(keys) > 1:
        return
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type="recovery_codes").iterator():
        if "hashes" in authenticator.data and "hash_key" not in authenticator.data:
            authenticator.data = {**authenticator.data, "hash_key": keys[0][0]}
            authenticator.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_hash_recovery_codes"),
    ]

    operations = [migrations.RunPython(record_hash_key, migrations.RunPython.noop)]
