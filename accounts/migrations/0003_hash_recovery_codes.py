"""Seed-based recovery codes (allauth's own format) become hashes of their unused codes."""

from django.db import migrations


def hash_recovery_codes(apps, schema_editor):
    from accounts.recovery_codes import convert_legacy

    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type="recovery_codes"):
        if "hashes" not in authenticator.data:
            authenticator.data = convert_legacy(authenticator.data)
            authenticator.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_encrypted_contact_fields_and_sign_in_throttle"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(hash_recovery_codes, migrations.RunPython.noop)]
