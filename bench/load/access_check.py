"""Access checker: no response of the load run showed a user something the sharing rules hide from them.

    DATABASE_URL=... .venv/bin/python bench/load/access_check.py var/bench/run1/samples.jsonl

For every sampled item response (page or API): 200 only if the document is in `visible_to(user)`, and 404
if it is not (never 403, never 200). For every sampled list or search body: every document linked is in
`visible_to(user)`. Exits non-zero on any violation.

Run it before `scale_up.py --reset-writes`: a document deleted since the run (the run's own uploads) can no
longer be judged, so it is counted as "entries no longer in the database", not as a violation.
"""

import json
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")

import django  # noqa: E402

django.setup()

from accounts.models import User  # noqa: E402
from documents.models import Document  # noqa: E402
from sharing.rules import visible_to  # noqa: E402


def main(path: str) -> int:
    users: dict[str, User] = {}
    visible_cache: dict[tuple[str, str], bool] = {}
    counts, violations = Counter(), []

    def judge(username: str, uuids: list[str]) -> None:
        """Ask `visible_to` once for all the not yet judged documents of one response."""
        unknown = {uuid for uuid in uuids if uuid and (username, uuid) not in visible_cache}
        if not unknown:
            return
        user = users.get(username)
        if user is None:
            user = users[username] = User.objects.select_related("agency__participant").get(username=username)
        shown_uuids = visible_to(Document, user).filter(uuid__in=unknown).values_list("uuid", flat=True)
        shown = {str(uuid) for uuid in shown_uuids}
        for uuid in unknown:
            visible_cache[(username, uuid)] = uuid in shown

    def visible(username: str, uuid: str) -> bool:
        judge(username, [uuid])
        return visible_cache[(username, uuid)]

    def exists(uuid: str) -> bool:
        return Document.objects.filter(uuid=uuid).exists()

    for line in Path(path).read_text().splitlines():
        sample = json.loads(line)
        if "uuid" in sample:
            counts["item responses"] += 1
            allowed = visible(sample["user"], sample["uuid"])
            status = sample["status"]
            if status >= 500:
                continue  # a server error shows nothing; it is counted by the load report
            if (allowed and status != 200) or (not allowed and status != 404):
                violations.append(
                    f"{sample['kind']}: {sample['user']} got {status} for {sample['uuid']} (visible={allowed})"
                )
            counts["hidden items answered 404"] += int(not allowed and status == 404)
        else:
            counts["list bodies"] += 1
            judge(sample["user"], sample["uuids"])
            for uuid in sample["uuids"]:
                counts["list entries"] += 1
                if not uuid or visible(sample["user"], uuid):
                    continue
                if not exists(uuid):
                    counts["entries no longer in the database"] += 1
                else:
                    violations.append(f"{sample['kind']}: {sample['user']} was shown {uuid} in a list")
    print(json.dumps({**counts, "violations": len(violations)}))
    for violation in violations[:50]:
        print("VIOLATION", violation)
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
