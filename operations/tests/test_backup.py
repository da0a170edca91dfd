"""Backups: consistent, encrypted, restorable elsewhere, verified; tampering and a wrong key are caught."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from accounts.models import User
from audit.models import AuditEntry
from audit.services import record
from operations import backup
from operations.models import OutboxMessage

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def backup_key(settings):
    settings.BACKUP_KEY = "correct-backup-key-0123456789"
    return settings.BACKUP_KEY


@pytest.fixture
def populated(personas, backup_key, settings, tmp_path):
    """Users, audit entries (with their own checkpoint file), an outbox message and uploaded files."""
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.log"
    # Files of this instance only: other tests upload into the session-wide MEDIA_ROOT.
    settings.MEDIA_ROOT = tmp_path / "media"
    for number in range(25):
        record("operations.test.populated", actor=personas.alan_analyst, target_type="test", target_id=str(number))
    OutboxMessage.objects.create(recipient=personas.bea_analyst, subject="Hello", body="Body", dedup_key="k1")
    media = Path(settings.MEDIA_ROOT)
    (media / "documents" / "2026").mkdir(parents=True, exist_ok=True)
    (media / "documents" / "2026" / "report.pdf").write_bytes(b"%PDF-1.7 fake report " * 100)
    (media / "avatar.png").write_bytes(bytes(range(256)) * 10)
    yield personas
    for path in sorted(media.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


def write_backup(tmp_path) -> Path:
    out = tmp_path / "portal.backup"
    call_command("backup", "--output", str(out), stdout=io.StringIO())
    return out


def test_a_backup_is_encrypted_and_verifies_in_a_scratch_database(populated, tmp_path):
    archive = write_backup(tmp_path)
    raw = archive.read_bytes()
    assert raw.startswith(backup.MAGIC)
    assert b"alice" not in raw and b"Alphaland" not in raw and b"operations.test.populated" not in raw
    out = io.StringIO()
    call_command("verify_backup", str(archive), stdout=out)
    assert "verified" in out.getvalue()
    assert "2 files" in out.getvalue()


def test_the_manifest_records_counts_files_and_the_audit_head(populated, tmp_path):
    archive = write_backup(tmp_path)
    content = tmp_path / "content"
    content.mkdir()
    manifest = backup.extract(archive, content)
    assert manifest["counts"]["accounts.user"] == User.objects.count()
    assert manifest["counts"]["audit.auditentry"] == AuditEntry.objects.count() >= 25
    assert set(manifest["files"]) == {"documents/2026/report.pdf", "avatar.png"}
    assert manifest["audit_head"]["sequence"] == AuditEntry.objects.order_by("-sequence").first().sequence


def test_restore_rebuilds_a_fresh_instance_with_the_same_data(populated, tmp_path):
    archive = write_backup(tmp_path)
    emails = dict(User.objects.values_list("username", "email"))
    audit_count = AuditEntry.objects.count()
    # A fresh instance: empty database, no uploaded files.
    call_command("flush", interactive=False, verbosity=0)
    for path in sorted(Path(settings.MEDIA_ROOT).rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    out = io.StringIO()
    call_command("restore", str(archive), stdout=out, stderr=io.StringIO())
    assert "counts, checksums and the audit chain match" in out.getvalue()
    assert dict(User.objects.values_list("username", "email")) == emails
    assert AuditEntry.objects.count() == audit_count
    assert backup.verify_audit_chain("default") == []
    assert (Path(settings.MEDIA_ROOT) / "documents" / "2026" / "report.pdf").read_bytes().startswith(b"%PDF")
    # The restored instance goes on working: a new audit entry links to the restored chain.
    record("operations.test.after-restore", target_type="test", target_id="x")
    assert backup.verify_audit_chain("default") == []


def test_restore_refuses_a_non_empty_instance_without_force(populated, tmp_path):
    archive = write_backup(tmp_path)
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(archive), stdout=io.StringIO())
    call_command("restore", str(archive), "--force", stdout=io.StringIO(), stderr=io.StringIO())
    assert User.objects.filter(username="alice").exists()


def test_a_tampered_archive_fails_verification(populated, tmp_path):
    archive = write_backup(tmp_path)
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x01
    archive.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="tampered"):
        call_command("verify_backup", str(archive), stdout=io.StringIO())


def test_a_truncated_archive_fails_verification(populated, tmp_path):
    archive = write_backup(tmp_path)
    archive.write_bytes(archive.read_bytes()[:-10])
    with pytest.raises(CommandError, match=r"truncated|damaged"):
        call_command("verify_backup", str(archive), stdout=io.StringIO())


def test_a_wrong_key_gives_a_clear_error(populated, tmp_path, settings):
    archive = write_backup(tmp_path)
    settings.BACKUP_KEY = "another-backup-key-9876543210"
    with pytest.raises(CommandError, match="Wrong BACKUP_KEY"):
        call_command("verify_backup", str(archive), stdout=io.StringIO())


def test_backup_without_a_key_refuses_to_run(db, tmp_path, settings, monkeypatch):
    settings.BACKUP_KEY = ""
    monkeypatch.delenv("BACKUP_KEY", raising=False)
    with pytest.raises(CommandError, match="BACKUP_KEY is not set"):
        call_command("backup", "--output", str(tmp_path / "x"), stdout=io.StringIO())


def test_verification_reports_a_changed_audit_entry(populated):
    from django.db import connection

    with connection.cursor() as cursor:  # behind the model's append-only guard, as an attacker with SQL would
        if connection.vendor == "postgresql":  # ... and with the rights to switch off the refusing trigger
            cursor.execute("SET session_replication_role = replica")
        cursor.execute("UPDATE audit_auditentry SET verb = %s WHERE sequence = 3", ["rewritten"])
    problems = backup.verify_audit_chain("default")
    assert problems == ["audit entry #3 was changed after it was written"]


def test_compare_reports_missing_rows_and_changed_files(populated, tmp_path):
    archive = write_backup(tmp_path)
    content = tmp_path / "content"
    content.mkdir()
    manifest = backup.extract(archive, content)
    OutboxMessage.objects.all().delete()
    (content / "media" / "avatar.png").write_bytes(b"changed")
    problems = backup.compare(manifest, "default", content)
    assert "table operations.outboxmessage: 1 rows in the backup, 0 after restore" in problems
    assert "file avatar.png does not match its checksum" in problems
