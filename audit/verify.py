"""Verification of the audit chain: used by `manage.py verify_audit` (DESIGN.md section 4).

Checks, in order: every entry's sequence, prev link and hash; the chain head row; every checkpoint in
the database and in the external file (signature, and that it matches the chain at its sequence); and
that the chain reaches the newest checkpoint in the file. The first problem is named first.
"""

from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from audit.chain import GENESIS_HASH, HASHED_FIELDS, checkpoint_signature_valid, entry_hash
from audit.models import AuditEntry, ChainHead, Checkpoint
from audit.services import checkpoint_file


@dataclass(frozen=True)
class Problem:
    sequence: int | None
    message: str

    def __str__(self) -> str:
        where = f"entry #{self.sequence}" if self.sequence is not None else "chain"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class FileCheckpoint:
    line_number: int
    sequence: int
    hash: str
    signature: str


@dataclass
class Report:
    entries: int = 0
    last_sequence: int = 0
    database_checkpoints: int = 0
    file_checkpoints: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_checkpoint_file(path: Path) -> tuple[list[FileCheckpoint], list[Problem]]:
    checkpoints: list[FileCheckpoint] = []
    problems: list[Problem] = []
    if not path.exists():
        return checkpoints, problems
    with open(path, encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.strip()
            if not line:
                continue
            parts = line.split()
            if len(parts) != 4 or not parts[1].isdigit():
                problems.append(Problem(None, f"checkpoint file {path} line {number} is malformed"))
                continue
            checkpoints.append(FileCheckpoint(number, int(parts[1]), parts[2], parts[3]))
    return checkpoints, problems


def verify_chain(*, path: Path | None = None, chunk_size: int = 2000) -> Report:
    """Walk the whole chain once; never writes."""
    path = path or checkpoint_file()
    report = Report()
    file_checkpoints, file_problems = read_checkpoint_file(path)
    db_checkpoints = list(Checkpoint.objects.order_by("sequence", "id"))
    report.database_checkpoints = len(db_checkpoints)
    report.file_checkpoints = len(file_checkpoints)
    wanted = {c.sequence for c in db_checkpoints} | {c.sequence for c in file_checkpoints}
    hash_at: dict[int, str] = {}

    expected = 1
    prev_hash = GENESIS_HASH
    chain_broken = False
    rows = AuditEntry.objects.order_by("sequence").values(*HASHED_FIELDS, "prev_hash", "hash")
    for row in rows.iterator(chunk_size=chunk_size):
        entry = SimpleNamespace(**row)  # plain rows: several times faster than model instances
        report.entries += 1
        if not chain_broken:
            problem = _check_entry(entry, expected, prev_hash)
            if problem is not None:
                report.problems.append(problem)
                chain_broken = True
        if entry.sequence in wanted:
            hash_at[entry.sequence] = entry.hash
        expected = entry.sequence + 1
        prev_hash = entry.hash
        report.last_sequence = entry.sequence

    head = ChainHead.objects.filter(pk=1).first()
    if head is None and report.entries:
        report.problems.append(Problem(report.last_sequence, "the chain head row is missing"))
    if head is not None and (head.sequence, head.hash) != (report.last_sequence, prev_hash):
        if head.sequence > report.last_sequence:
            message = (
                f"the chain was cut short: the chain head names entry #{head.sequence} "
                f"but the last entry is #{report.last_sequence}"
            )
            report.problems.append(Problem(report.last_sequence + 1, message))
        else:
            message = f"the chain head (#{head.sequence}) does not match the last entry (#{report.last_sequence})"
            report.problems.append(Problem(head.sequence, message))

    for checkpoint in db_checkpoints:
        problem = _check_checkpoint("database", checkpoint.sequence, checkpoint.hash, checkpoint.signature, hash_at)
        if problem is not None:
            report.problems.append(problem)
    report.problems.extend(file_problems)
    in_database = {(c.sequence, c.hash, c.signature) for c in db_checkpoints}
    for checkpoint in file_checkpoints:
        problem = _check_checkpoint(
            f"file line {checkpoint.line_number}", checkpoint.sequence, checkpoint.hash, checkpoint.signature, hash_at
        )
        if (
            problem is None
            and checkpoint.sequence <= report.last_sequence
            and (checkpoint.sequence, checkpoint.hash, checkpoint.signature) not in in_database
        ):
            # The file is appended only after the database commit, so every line has its row.
            problem = Problem(
                checkpoint.sequence,
                f"its checkpoint (file line {checkpoint.line_number}) is missing from the database: "
                "checkpoints were removed",
            )
        if problem is not None:
            report.problems.append(problem)
    for source, sequences in (
        ("in the checkpoint file", [c.sequence for c in file_checkpoints]),
        ("in the database", [c.sequence for c in db_checkpoints]),
    ):
        if sequences and max(sequences) > report.last_sequence:
            message = (
                f"the chain was cut short: the newest checkpoint {source} is at #{max(sequences)} "
                f"but the database chain ends at #{report.last_sequence}"
            )
            report.problems.append(Problem(report.last_sequence + 1, message))
    if db_checkpoints and not file_checkpoints:
        report.problems.append(
            Problem(None, f"the checkpoint file {path} is missing or empty but the database holds checkpoints")
        )
    report.problems = _dedupe(report.problems)
    return report


def _check_entry(entry: SimpleNamespace, expected: int, prev_hash: str) -> Problem | None:
    if entry.sequence > expected:
        return Problem(expected, f"is missing (the next entry is #{entry.sequence}): entries were removed")
    if entry.sequence < expected:
        return Problem(entry.sequence, "appears out of order: entries were reordered or inserted")
    if entry.prev_hash != prev_hash:
        return Problem(
            entry.sequence,
            f"does not link to entry #{entry.sequence - 1} (prev_hash differs): "
            "entries were inserted, removed or reordered",
        )
    if entry_hash(entry.prev_hash, entry) != entry.hash:
        return Problem(entry.sequence, "its content does not match its hash: the entry was altered")
    return None


def _check_checkpoint(where: str, sequence: int, chain_hash: str, signature: str, hash_at: dict) -> Problem | None:
    if not checkpoint_signature_valid(sequence, chain_hash, signature):
        return Problem(
            sequence,
            f"checkpoint ({where}) has an invalid signature: forged, or signed with another AUDIT_SIGNING_KEY",
        )
    actual = hash_at.get(sequence)
    if actual is None:
        return None  # beyond the end of the chain: reported once as truncation
    if actual != chain_hash:
        return Problem(
            sequence,
            f"does not match its signed checkpoint ({where}): the chain was altered or recomputed",
        )
    return None


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[str] = set()
    unique = []
    for problem in problems:
        if str(problem) not in seen:
            seen.add(str(problem))
            unique.append(problem)
    return unique
