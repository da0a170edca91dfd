"""DESIGN.md section 1 in plain Python: sets and dicts, no ORM, no import from the portal's rules.

The state machine (test_state_machine.py) drives the portal and this model with the same steps and
asserts, after every step, that both agree on who sees and who may change every object.
"""

from dataclasses import dataclass, field
from datetime import date

ACTIVE_PARTICIPANT_STATUSES = {"observer", "member"}
NO_PRINCIPAL_STATUSES = {"suspended", "former"}
AUTHOR_ROLES = {"contributor", "analyst", "focal_point", "secretariat"}
AGENCY_EDITOR_ROLES = {"contributor", "analyst", "focal_point"}
RANK = {"originator": 0, "recipients": 1, "members": 2, "public": 3}


class Refused(Exception):
    """The model refuses the step (the portal must refuse it too)."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind  # "invalid" (400), "forbidden" (403) or "not_found" (404)


@dataclass
class Participant:
    kind: str
    status: str
    four_eyes: bool = False


@dataclass
class User:
    agency: int
    role: str
    active: bool = True


@dataclass
class Membership:
    group: int
    agency: int | None
    participant: int | None
    since: date
    until: date | None


@dataclass
class Doc:
    author: int
    agency: int
    participant: int
    distribution: str
    tlp: str
    status: str = "draft"
    recipients: set[str] = field(default_factory=set)
    published_once: bool = False
    pending: bool = False
    expired: bool = False


@dataclass
class World:
    today: date
    participants: dict[int, Participant] = field(default_factory=dict)
    agencies: dict[int, int] = field(default_factory=dict)  # agency -> participant
    users: dict[int, User] = field(default_factory=dict)
    groups: set[int] = field(default_factory=set)
    memberships: dict[int, Membership] = field(default_factory=dict)
    docs: dict[int, Doc] = field(default_factory=dict)
    # Principals a capability derives from facts (DESIGN.md 1), e.g. `reported:<dataset>:<period>`.
    derived: dict[int, set[str]] = field(default_factory=dict)

    # Who a user is ---------------------------------------------------------------------------

    def participant_of(self, uid: int) -> int:
        return self.agencies[self.users[uid].agency]

    def principals(self, uid: int | None) -> set[str]:
        if uid is None:
            return set()
        user = self.users[uid]
        participant = self.participant_of(uid)
        if not user.active or self.participants[participant].status in NO_PRINCIPAL_STATUSES:
            return set()
        keys = {f"user:{uid}", f"agency:{user.agency}", f"participant:{participant}"}
        for row in self.memberships.values():
            in_force = row.since <= self.today and (row.until is None or row.until >= self.today)
            if in_force and (row.agency == user.agency or row.participant == participant):
                keys.add(f"group:{row.group}")
        return keys | self.derived.get(uid, set())

    def is_member(self, uid: int) -> bool:
        participant = self.participants[self.participant_of(uid)]
        return (
            bool(self.principals(uid))
            and participant.status in ACTIVE_PARTICIPANT_STATUSES
            and participant.kind != "partner"
        )

    # Who sees an object ----------------------------------------------------------------------

    @staticmethod
    def _is_live(doc: Doc) -> bool:
        # Withdrawn objects keep the audience they had; one never published had the draft audience.
        return doc.status == "published" or (doc.status == "withdrawn" and doc.published_once)

    def sees(self, uid: int | None, did: int) -> bool:
        doc = self.docs[did]
        live = self._is_live(doc)
        if live and doc.distribution == "public":
            return True
        keys = self.principals(uid)
        if not keys:
            return False
        user = self.users[uid]
        participant = self.participant_of(uid)
        if not live:  # a draft (or a withdrawn draft)
            return (
                doc.author == uid
                or doc.agency == user.agency
                or (user.role == "focal_point" and doc.participant == participant)
            )
        if doc.distribution == "originator":
            return doc.participant == participant
        if doc.distribution == "recipients":
            return doc.author == uid or (doc.agency == user.agency and doc.tlp != "red") or bool(doc.recipients & keys)
        if doc.distribution == "members":
            return self.is_member(uid) or doc.participant == participant
        return False

    def seen_by(self, uid: int | None) -> set[int]:
        return {did for did in self.docs if self.sees(uid, did)}

    def seen_by_all_members(self) -> set[int]:
        return {d for d, doc in self.docs.items() if self._is_live(doc) and doc.distribution in ("members", "public")}

    def seen_by_public(self) -> set[int]:
        return {d for d, doc in self.docs.items() if self._is_live(doc) and doc.distribution == "public"}

    # Who changes an object -------------------------------------------------------------------

    def can_change(self, uid: int, did: int) -> bool:
        doc = self.docs[did]
        if not self.principals(uid) or not self.sees(uid, did):
            return False
        user = self.users[uid]
        return (
            doc.author == uid
            or (doc.agency == user.agency and user.role in AGENCY_EDITOR_ROLES)
            or (doc.participant == self.participant_of(uid) and user.role == "focal_point")
        )

    # Writes, with the refusals the portal must give ------------------------------------------

    @staticmethod
    def check_marking(distribution: str, tlp: str, recipients: set[str]) -> None:
        kinds = {key.split(":")[0] for key in recipients}
        if distribution == "recipients" and not recipients:
            raise Refused("invalid")
        if distribution != "recipients" and recipients:
            raise Refused("invalid")
        allowed = {
            "clear": True,
            "green": distribution != "public",
            "amber": distribution != "public",
            "amber_strict": distribution == "originator"
            or (distribution == "recipients" and kinds <= {"participant", "agency"}),
            "red": distribution == "recipients" and kinds == {"user"},
        }
        if not allowed[tlp]:
            raise Refused("invalid")

    def _publish_state(self, doc: Doc) -> None:
        if self.participants[doc.participant].four_eyes and doc.distribution != "originator":
            doc.status, doc.pending = "draft", True
        else:
            doc.status, doc.pending, doc.published_once = "published", False, True

    def create(
        self, did: int, *, author: int, distribution: str, tlp: str, recipients: set[str], publish: bool
    ) -> None:
        user = self.users[author]
        if user.role not in AUTHOR_ROLES or not self.principals(author):
            raise Refused("forbidden")
        self.check_marking(distribution, tlp, recipients)
        doc = Doc(author, user.agency, self.participant_of(author), distribution, tlp, recipients=set(recipients))
        if publish:
            self._publish_state(doc)
        self.docs[did] = doc

    def share(self, did: int, *, actor: int, distribution: str, tlp: str, recipients: set[str]) -> None:
        doc = self.docs[did]
        if not self.sees(actor, did):
            raise Refused("not_found")
        if not self.can_change(actor, did):
            raise Refused("forbidden")
        self.check_marking(distribution, tlp, recipients)
        widening = RANK[distribution] > RANK[doc.distribution] or (
            distribution == "recipients" and bool(recipients - doc.recipients)
        )
        doc.distribution, doc.tlp, doc.recipients = distribution, tlp, set(recipients)
        four_eyes = self.participants[doc.participant].four_eyes and distribution != "originator"
        if widening and doc.status == "published" and four_eyes:
            doc.status, doc.pending = "draft", True

    def publish(self, did: int, *, actor: int) -> None:
        doc = self.docs[did]
        if not self.can_change(actor, did):
            raise Refused("forbidden")
        if doc.status != "draft":
            raise Refused("invalid")
        self._publish_state(doc)

    def approve(self, did: int, *, actor: int) -> None:
        doc = self.docs[did]
        user = self.users[actor]
        focal = user.role == "focal_point" and self.participant_of(actor) == doc.participant
        if not (self.principals(actor) and focal and self.sees(actor, did)) or doc.author == actor:
            raise Refused("forbidden")
        if not doc.pending:
            raise Refused("invalid")
        doc.status, doc.pending, doc.published_once = "published", False, True

    def withdraw(self, did: int, *, actor: int) -> None:
        if not self.can_change(actor, did):
            raise Refused("forbidden")
        doc = self.docs[did]
        doc.status, doc.pending = "withdrawn", False
