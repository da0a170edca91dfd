"""A small world whose every user-controlled text holds a stored-XSS payload, built through the services."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Role
from accounts.services import profile_update
from documents import services as documents
from documents import uploads
from exchange import services as exchange
from exchange.kinds import Kind
from meetings import services as meetings
from meetings.models import Event
from participants import services as participants
from participants.models import Agency, Group, Participant
from portal.testing import TEST_PASSWORD, AgencyFactory, ParticipantFactory, Personas, UserFactory, enrol_totp
from regionaldata import services as regionaldata
from regionaldata.catalogue import install_defaults
from regionaldata.models import DataSet, IndicatorSet
from sharing.models import TLP, Distribution
from sharing.principals import forget_principals, group_key, participant_key
from tests.browser.fixtures import DEMO_TOTP_SECRET
from tests.leaks.xss_payloads import FORMULA_PAYLOADS, all_payloads, markdown_body, payload

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class XssWorld:
    personas: Personas
    agency_user: object
    secretariat: object
    auditor: object
    participant: Participant
    agency: Agency
    group: Group
    document: object
    formula_document: object
    event: Event
    action: object
    item: object
    formula_item: object
    rfi: object
    answer: object
    dataset: DataSet
    password: str = TEST_PASSWORD


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def build() -> XssWorld:
    """Payloads in names, titles, descriptions, file names, agendas, outcomes, actions, items, comments, RFIs."""
    personas = Personas.build()
    rso = ParticipantFactory(name="Regional Support Office", code="rso", kind=Participant.Kind.REGIONAL_OFFICE)
    rso_agency = AgencyFactory(participant=rso, name="RSO Bangkok", kind=Agency.Kind.SECRETARIAT)
    secretariat = UserFactory(username="ratna", agency=rso_agency, role=Role.SECRETARIAT)
    auditor = UserFactory(username="daniel", agency=rso_agency, role=Role.AUDITOR)
    alan, alice, bea = personas.alan_analyst, personas.alice_focal, personas.bea_analyst
    for user in (alan, alice, bea, secretariat, auditor):
        enrol_totp(user, DEMO_TOTP_SECRET)

    # Participants, agencies and groups (reference data: the secretariat).
    participant = participants.participant_create(
        actor=secretariat,
        name=payload(1),
        short_name=payload(2, limit=50),
        code="xss",
        kind=Participant.Kind.PARTNER,
        notes=all_payloads(),
    )
    agency = participants.agency_create(
        actor=secretariat, participant=personas.alpha, name=payload(3), city=payload(30, limit=100)
    )
    participants.agency_create(actor=secretariat, participant=participant, name=payload(4))
    agency_user = UserFactory(username="xavier", agency=agency, role=Role.CONTRIBUTOR)
    group = participants.group_create(
        actor=secretariat, name=payload(5), slug="xss-group", kind=Group.Kind.RILON, purpose=all_payloads()
    )
    for member in (personas.alpha_agency, personas.beta_agency, agency):
        participants.group_add_member(
            actor=secretariat, group=group, agency=member, since=date(2012, 9, 1), note=payload(6)
        )

    # People's names and job titles.
    for index, user in enumerate((alan, bea, alice)):
        profile_update(
            actor=user,
            first_name=payload(7 + index, limit=100),
            last_name=payload(8 + index, limit=100),
            email=user.email,
            phone="",
            job_title=payload(9 + index, limit=100),
        )
    for user in (alan, alice, bea):
        forget_principals(user)

    # Documents: title, description and file name.
    recipients = [group_key(group.pk)]
    document = documents.create_document(
        actor=alan,
        title=payload(10),
        description=all_payloads(),
        upload=uploads.validate_upload(pdf(payload(11, limit=80) + ".pdf"), prefix="documents"),
        distribution=Distribution.RECIPIENTS,
        tlp=TLP.AMBER,
        recipient_keys=recipients,
        publish=True,
    )
    formula_document = documents.create_document(
        actor=alan,
        title=FORMULA_PAYLOADS[-1],
        description=FORMULA_PAYLOADS[1],
        upload=uploads.validate_upload(pdf("=cmd.pdf"), prefix="documents"),
        distribution=Distribution.RECIPIENTS,
        tlp=TLP.GREEN,
        recipient_keys=recipients,
        publish=True,
    )

    # Meetings: title, city, agenda, outcome, action text, progress notes.
    event = meetings.event_create(
        actor=secretariat,
        fields={
            "title": payload(12),
            "kind": Event.Kind.WORKSHOP,
            "start_date": date(2012, 6, 1),
            "city": payload(13, limit=100),
            "agenda": all_payloads(),
            "outcome": all_payloads("XSS-OUT"),
        },
        hosts=[personas.alpha],
        attendees=[personas.alpha, personas.beta, participant],
    )
    action = meetings.action_create(
        actor=secretariat, text=payload(14), responsible=[personas.alpha, participant], event=event
    )
    meetings.action_report_progress(actor=secretariat, action=action, on=date(2012, 9, 1), text=payload(15))

    # Information exchange: item title, summary, Markdown body, tags, attachment name, comments, RFIs.
    item = exchange.create_item(
        actor=alan,
        kind=Kind.TREND_REPORT,
        title=payload(16),
        summary=all_payloads(),
        body=markdown_body(),
        tags=[payload(17, limit=50), payload(18, limit=50), payload(19, limit=50)],
        tlp=TLP.AMBER,
        distribution=Distribution.RECIPIENTS,
        recipient_keys=recipients,
        publish=True,
    )
    exchange.add_attachment(item=item, actor=alan, uploaded=pdf(payload(20, limit=80) + ".pdf"))
    exchange.add_comment(item=item, actor=bea, body=markdown_body("XSS-COMMENT"))
    formula_item = exchange.create_item(
        actor=alan,
        kind=Kind.TREND_REPORT,
        title=FORMULA_PAYLOADS[-1],
        summary=FORMULA_PAYLOADS[1],
        body=FORMULA_PAYLOADS[2],
        tags=[FORMULA_PAYLOADS[3]],
        tlp=TLP.GREEN,
        distribution=Distribution.RECIPIENTS,
        recipient_keys=recipients,
        publish=True,
    )
    rfi = exchange.create_rfi(
        actor=bea,
        title=payload(21),
        body=markdown_body("XSS-RFI"),
        due_on=timezone.localdate() + timedelta(days=30),
        recipient_keys=[participant_key(personas.alpha.pk)],
    )
    answer = exchange.answer_rfi(rfi=rfi, actor=alan, body=markdown_body("XSS-ANSWER"))

    # Statistics: a data-quality note on alpha's data set.
    install_defaults()
    dataset = DataSet.objects.create(
        code="alp-monthly",
        name="Alphaland monthly return",
        participant=personas.alpha,
        agency=personas.alpha_agency,
        indicator_set=IndicatorSet.objects.get(code="irregular-migration"),
        audience="reciprocal",
        first_period=date(2025, 1, 1),
    )
    regionaldata.quality_note_add(actor=alice, dataset=dataset, text=all_payloads("XSS-NOTE"))

    return XssWorld(
        personas=personas,
        agency_user=agency_user,
        secretariat=secretariat,
        auditor=auditor,
        participant=participant,
        agency=agency,
        group=group,
        document=document,
        formula_document=formula_document,
        event=event,
        action=action,
        item=item,
        formula_item=formula_item,
        rfi=rfi,
        answer=answer,
        dataset=dataset,
    )
