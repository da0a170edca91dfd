"""DESIGN.md section 3: a hypothesis state machine drives the portal and the reference model alike.

After every step, for every user (and the named audiences "all members" and "public"),
`visible_to` must return exactly the model's set and `can_see` / `can_change` must agree with it.
"""

import os
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from accounts.models import User
from documents.models import Document
from participants.models import GroupMembership, Participant
from portal.testing import AgencyFactory, GroupFactory, ParticipantFactory, UserFactory
from sharing import services
from sharing.principals import forget_principals
from sharing.rules import ALL_MEMBERS, PUBLIC, can_change, can_see, visible_to
from tests.leaks import reference_model as ref

ROLES = ["viewer", "contributor", "analyst", "focal_point", "secretariat", "auditor", "system_admin"]
STATUSES = ["invited", "applicant", "observer", "member", "suspended", "former"]
KINDS = ["state", "organisation", "regional_office", "partner"]
DISTRIBUTIONS = ["originator", "recipients", "members", "public"]
TLPS = ["clear", "green", "amber", "amber_strict", "red"]
VALID_TLPS = {
    "originator": ["clear", "green", "amber", "amber_strict"],
    "recipients": TLPS,
    "members": ["clear", "green", "amber"],
    "public": ["clear"],
}


def _outcome(call) -> str:
    """Run a portal write; name how it was refused, like the model's Refused.kind."""
    try:
        with transaction.atomic():
            call()
    except Http404:
        return "not_found"
    except PermissionDenied:
        return "forbidden"
    except ValidationError:
        return "invalid"
    return "ok"


def _model_outcome(call) -> str:
    try:
        call()
    except ref.Refused as refused:
        return refused.kind
    return "ok"


class SharingMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.world = ref.World(today=timezone.localdate())
        self.sequence = 0
        for index in range(3):
            self._new_participant(kind="state" if index < 2 else "partner", status="member")
        for participant_id in list(self.world.participants):
            self._new_agency(participant_id)
        agencies = list(self.world.agencies)
        for agency_id, role in zip(agencies, ["analyst", "focal_point", "contributor"], strict=True):
            self._new_user(agency_id, role)
        self._new_user(agencies[0], "viewer")
        self._new_user(agencies[0], "focal_point")
        self._new_user(self._new_agency(next(iter(self.world.participants))), "analyst")
        for _ in range(2):
            self._new_group()
        self._seed_documents()

    def _seed_documents(self):
        """Every example starts with documents at each distribution and TLP, so the first steps matter."""
        users = self.user_ids
        groups = sorted(self.world.groups)
        GroupMembership.objects.create(
            group_id=groups[0], agency_id=self.world.users[users[1]].agency, since=self.world.today
        )
        self.world.memberships[GroupMembership.objects.latest("pk").pk] = ref.Membership(
            groups[0], self.world.users[users[1]].agency, None, self.world.today, None
        )
        starters = [
            (users[0], "originator", "amber", set(), True),
            (users[0], "recipients", "red", {f"user:{users[2]}"}, True),
            (users[0], "recipients", "green", {f"group:{groups[0]}"}, True),
            (users[1], "members", "green", set(), True),
            (users[2], "public", "clear", set(), False),
            (
                users[0],
                "recipients",
                "amber_strict",
                {f"participant:{self.world.agencies[self.world.users[users[2]].agency]}"},
                True,
            ),
        ]
        for author, distribution, tlp, keys, publish in starters:
            doc = Document(title=f"Starter {self._next()}", distribution=distribution, tlp=tlp)
            doc = services.create_shared(doc, actor=self._user(author), recipient_keys=keys, publish=publish)
            self.world.create(
                doc.pk, author=author, distribution=distribution, tlp=tlp, recipients=keys, publish=publish
            )

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # World building -----------------------------------------------------------------------

    def _next(self) -> int:
        self.sequence += 1
        return self.sequence

    def _new_participant(self, *, kind: str, status: str) -> int:
        n = self._next()
        participant = ParticipantFactory(name=f"SM participant {n}", code=f"smp{n}", kind=kind, status=status)
        self.world.participants[participant.pk] = ref.Participant(kind=kind, status=status)
        return participant.pk

    def _new_agency(self, participant_id: int) -> int:
        n = self._next()
        agency = AgencyFactory(participant_id=participant_id, name=f"SM agency {n}")
        self.world.agencies[agency.pk] = participant_id
        return agency.pk

    def _new_user(self, agency_id: int, role: str) -> int:
        n = self._next()
        user = UserFactory(username=f"sm-user-{n}", agency_id=agency_id, role=role)
        self.world.users[user.pk] = ref.User(agency=agency_id, role=role)
        return user.pk

    def _new_group(self) -> int:
        n = self._next()
        group = GroupFactory(name=f"SM group {n}", slug=f"sm-group-{n}")
        self.world.groups.add(group.pk)
        return group.pk

    def _marking(self, data, distribution: str, tlp: str) -> tuple[str, str, set[str]]:
        """Mostly valid markings (so objects exist and move), sometimes invalid ones (so refusals are checked)."""
        if data.draw(st.integers(0, 4)):
            tlp = data.draw(st.sampled_from(VALID_TLPS[distribution]))
        if distribution != "recipients":
            stray = not data.draw(st.integers(0, 9))
            return distribution, tlp, ({f"user:{data.draw(st.sampled_from(self.user_ids))}"} if stray else set())
        pools = {
            "user": [f"user:{u}" for u in self.world.users],
            "agency": [f"agency:{a}" for a in self.world.agencies],
            "participant": [f"participant:{p}" for p in self.world.participants],
            "group": [f"group:{g}" for g in self.world.groups],
        }
        kinds = list(pools)
        if data.draw(st.integers(0, 4)):
            kinds = {"red": ["user"], "amber_strict": ["agency", "participant"]}.get(tlp, kinds)
        pool = [key for kind in kinds for key in pools[kind]]
        minimum = 1 if data.draw(st.integers(0, 9)) else 0
        return distribution, tlp, set(data.draw(st.lists(st.sampled_from(pool), min_size=minimum, max_size=3)))

    @property
    def user_ids(self) -> list[int]:
        return sorted(self.world.users)

    @property
    def doc_ids(self) -> list[int]:
        return sorted(self.world.docs)

    def _user(self, uid: int) -> User:
        user = User.objects.select_related("agency__participant").get(pk=uid)
        forget_principals(user)
        return user

    def _doc(self, did: int) -> Document:
        return Document.objects.get(pk=did)

    # Rules: people and groups -------------------------------------------------------------

    @rule(kind=st.sampled_from(KINDS), status=st.sampled_from(STATUSES))
    def add_participant_with_agency(self, kind, status):
        participant_id = self._new_participant(kind=kind, status=status)
        self._new_agency(participant_id)

    @rule(data=st.data(), role=st.sampled_from(ROLES))
    def add_user(self, data, role):
        self._new_user(data.draw(st.sampled_from(sorted(self.world.agencies))), role)

    @rule(data=st.data())
    def add_agency(self, data):
        self._new_agency(data.draw(st.sampled_from(sorted(self.world.participants))))

    @rule(
        data=st.data(),
        whole_participant=st.booleans(),
        since=st.integers(-30, 5),
        length=st.one_of(st.none(), st.integers(0, 40)),
    )
    def add_membership(self, data, whole_participant, since, length):
        group_id = data.draw(st.sampled_from(sorted(self.world.groups)))
        today = self.world.today
        start = today + timedelta(days=since)
        until = None if length is None else start + timedelta(days=length)
        agency_id = participant_id = None
        if whole_participant:
            participant_id = data.draw(st.sampled_from(sorted(self.world.participants)))
        else:
            agency_id = data.draw(st.sampled_from(sorted(self.world.agencies)))
        row = GroupMembership.objects.create(
            group_id=group_id, agency_id=agency_id, participant_id=participant_id, since=start, until=until
        )
        self.world.memberships[row.pk] = ref.Membership(group_id, agency_id, participant_id, start, until)

    @precondition(lambda self: self.world.memberships)
    @rule(data=st.data())
    def end_membership(self, data):
        row_id = data.draw(st.sampled_from(sorted(self.world.memberships)))
        row = self.world.memberships[row_id]
        until = max(row.since, self.world.today - timedelta(days=1))
        GroupMembership.objects.filter(pk=row_id).update(until=until)
        row.until = until

    @rule(data=st.data(), status=st.sampled_from(STATUSES))
    def change_participant_status(self, data, status):
        """Suspend, reinstate, let go of a participant."""
        participant_id = data.draw(st.sampled_from(sorted(self.world.participants)))
        Participant.objects.filter(pk=participant_id).update(status=status)
        self.world.participants[participant_id].status = status

    @rule(data=st.data(), on=st.booleans())
    def toggle_four_eyes(self, data, on):
        participant_id = data.draw(st.sampled_from(sorted(self.world.participants)))
        Participant.objects.filter(pk=participant_id).update(four_eyes=on)
        self.world.participants[participant_id].four_eyes = on

    @rule(data=st.data())
    def move_user_to_another_agency(self, data):
        uid = data.draw(st.sampled_from(self.user_ids))
        agency_id = data.draw(st.sampled_from(sorted(self.world.agencies)))
        User.objects.filter(pk=uid).update(agency_id=agency_id)
        self.world.users[uid].agency = agency_id

    @rule(data=st.data(), active=st.booleans())
    def set_user_active(self, data, active):
        uid = data.draw(st.sampled_from(self.user_ids))
        User.objects.filter(pk=uid).update(is_active=active)
        self.world.users[uid].active = active

    # Rules: documents ---------------------------------------------------------------------

    @rule(
        data=st.data(),
        distribution=st.sampled_from(DISTRIBUTIONS),
        tlp=st.sampled_from(TLPS),
        publish=st.booleans(),
    )
    def create_document(self, data, distribution, tlp, publish):
        author = data.draw(st.sampled_from(self.user_ids))
        distribution, tlp, keys = self._marking(data, distribution, tlp)
        created = []

        def portal():
            doc = Document(title=f"Doc {self._next()}", distribution=distribution, tlp=tlp)
            created.append(services.create_shared(doc, actor=self._user(author), recipient_keys=keys, publish=publish))

        outcome = _outcome(portal)
        if outcome == "ok":
            did = created[0].pk
            model = _model_outcome(
                lambda: self.world.create(
                    did, author=author, distribution=distribution, tlp=tlp, recipients=keys, publish=publish
                )
            )
        else:
            model = _model_outcome(
                lambda: self.world.create(
                    -1, author=author, distribution=distribution, tlp=tlp, recipients=keys, publish=publish
                )
            )
            self.world.docs.pop(-1, None)
        assert outcome == model, (outcome, model)

    @rule(
        data=st.data(),
        distribution=st.sampled_from(DISTRIBUTIONS),
        tlp=st.sampled_from(TLPS),
        publish=st.booleans(),
    )
    def create_another_document(self, data, distribution, tlp, publish):
        self.create_document(data=data, distribution=distribution, tlp=tlp, publish=publish)

    @precondition(lambda self: self.world.docs)
    @rule(data=st.data(), distribution=st.sampled_from(DISTRIBUTIONS), tlp=st.sampled_from(TLPS))
    def share_or_narrow(self, data, distribution, tlp):
        did = data.draw(st.sampled_from(self.doc_ids))
        actor = data.draw(st.sampled_from(self.user_ids))
        distribution, tlp, keys = self._marking(data, distribution, tlp)
        outcome = _outcome(
            lambda: services.change_sharing(
                self._doc(did), actor=self._user(actor), distribution=distribution, tlp=tlp, recipient_keys=keys
            )
        )
        model = _model_outcome(
            lambda: self.world.share(did, actor=actor, distribution=distribution, tlp=tlp, recipients=keys)
        )
        assert outcome == model, (outcome, model)

    @precondition(lambda self: self.world.docs)
    @rule(data=st.data())
    def publish(self, data):
        did = data.draw(st.sampled_from(self.doc_ids))
        actor = data.draw(st.sampled_from(self.user_ids))
        outcome = _outcome(lambda: services.publish(self._doc(did), actor=self._user(actor)))
        assert outcome == _model_outcome(lambda: self.world.publish(did, actor=actor))

    @precondition(lambda self: self.world.docs)
    @rule(data=st.data())
    def approve(self, data):
        did = data.draw(st.sampled_from(self.doc_ids))
        actor = data.draw(st.sampled_from(self.user_ids))
        outcome = _outcome(lambda: services.approve_publication(self._doc(did), actor=self._user(actor)))
        assert outcome == _model_outcome(lambda: self.world.approve(did, actor=actor))

    @precondition(lambda self: self.world.docs)
    @rule(data=st.data())
    def withdraw(self, data):
        did = data.draw(st.sampled_from(self.doc_ids))
        actor = data.draw(st.sampled_from(self.user_ids))
        outcome = _outcome(lambda: services.withdraw(self._doc(did), actor=self._user(actor)))
        assert outcome == _model_outcome(lambda: self.world.withdraw(did, actor=actor))

    @precondition(lambda self: self.world.docs)
    @rule(data=st.data())
    def expire(self, data):
        did = data.draw(st.sampled_from(self.doc_ids))
        Document.objects.filter(pk=did).update(expires_at=timezone.now() - timedelta(minutes=1))
        self.world.docs[did].expired = True

    # The invariant --------------------------------------------------------------------------

    @invariant()
    def portal_agrees_with_the_model(self):
        documents = list(Document.objects.all())
        for uid in self.user_ids:
            user = self._user(uid)
            expected = self.world.seen_by(uid)
            assert set(visible_to(Document, user).values_list("pk", flat=True)) == expected, uid
            for doc in documents:
                assert can_see(user, doc) == (doc.pk in expected), (uid, doc.pk)
                assert can_change(user, doc) == self.world.can_change(uid, doc.pk), (uid, doc.pk)
        assert set(visible_to(Document, ALL_MEMBERS).values_list("pk", flat=True)) == self.world.seen_by_all_members()
        assert set(visible_to(Document, PUBLIC).values_list("pk", flat=True)) == self.world.seen_by_public()


def _run(max_examples: int, steps: int) -> None:
    run_state_machine_as_test(
        SharingMachine,
        settings=settings(
            max_examples=max_examples,
            stateful_step_count=steps,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


@pytest.mark.django_db
def test_portal_follows_the_reference_model():
    _run(max_examples=3, steps=6)


@pytest.mark.slow
@pytest.mark.django_db
def test_portal_follows_the_reference_model_at_length():
    # Longer runs: STATE_MACHINE_EXAMPLES=300 STATE_MACHINE_STEPS=30 (hours on a 2-core machine).
    _run(
        max_examples=int(os.environ.get("STATE_MACHINE_EXAMPLES", "15")),
        steps=int(os.environ.get("STATE_MACHINE_STEPS", "12")),
    )


def test_the_model_itself_encodes_the_table():
    """A few rows of DESIGN.md section 1 checked on the model alone, so a wrong model cannot pass silently."""
    world = ref.World(today=date(2026, 1, 1))
    world.participants = {1: ref.Participant("state", "member"), 2: ref.Participant("partner", "member")}
    world.agencies = {10: 1, 11: 1, 20: 2}
    world.users = {100: ref.User(10, "analyst"), 101: ref.User(11, "viewer"), 200: ref.User(20, "analyst")}
    world.create(1, author=100, distribution="members", tlp="green", recipients=set(), publish=True)
    world.create(2, author=100, distribution="recipients", tlp="red", recipients={"user:200"}, publish=True)
    world.create(3, author=100, distribution="public", tlp="clear", recipients=set(), publish=False)
    assert world.seen_by(200) == {2}  # a partner is never a member; RED reaches the named user
    assert world.seen_by(101) == {1}  # RED excludes the originator's other users; drafts stay in the agency
    world.withdraw(3, actor=100)
    assert world.seen_by(None) == set()  # a withdrawn draft never reaches the public
    with pytest.raises(ref.Refused):
        world.create(4, author=100, distribution="public", tlp="amber", recipients=set(), publish=True)
