"""The progress report for 1 March 2011 to 5 March 2013 lists what the co-chairs' report lists, as an audience."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from docx import Document as WordDocument
from pypdf import PdfReader

from audit.models import AuditEntry
from meetings.report import build_report, render_docx, render_html, render_pdf
from meetings.tests.helpers import colombo_rilon_user, member_user
from sharing.rules import ALL_MEMBERS, Audience

FROM, TO = date(2011, 3, 1), date(2013, 3, 5)
RESTRICTED = "Colombo RILON: airport vulnerability briefing (restricted)"

ANNEX_A = [
    ("10-11 May 2011", "Colombo", "Irregular Movement by Air (and second Colombo RILON)"),
    ("30 May – 1 June 2011", "Bangkok", "Mutual Legal Assistance and Law Enforcement Cooperation"),
    ("14-16 November 2011", "Negombo", "The Third AHG TEWG on Irregular Movement by Air (and RILON)"),
    ("25 November 2011", "Bangkok", "Informal meeting of AHG members"),
    ("7-10 February 2012", "Auckland", "Immigration Intelligence Analysis Best Practice Workshop"),
    ("18 April 2012", "Bangkok", "Working Group meeting on the RSO"),
    ("23-26 April 2012", "New Delhi", "Biometrics for Identity Integrity in Immigration"),
    ("11-14 June 2012", "Kuala Lumpur", "Technical Experts Working Group meeting on Irregular Movement"),
    ("23-26 July 2012", "Bangkok", "Visa Integrity Workshop for Foreign Mission Staff"),
]
RILON = [
    ("Bangkok", ["28 April 2011"]),
    ("Colombo", ["11 May 2011", "22 August 2011", "29 February 2012", "7 November 2012"]),
    ("Kuala Lumpur", ["15 June 2012", "7 February 2013"]),
    ("New Delhi", ["20 October 2011"]),
]


@pytest.fixture
def report(seeded):
    return build_report(period_from=FROM, period_to=TO, audience=ALL_MEMBERS)


def test_annex_lists_every_seed_workshop_in_date_order_with_dates_and_places(report):
    rows = [(event.dates_label, event.city, event.title) for event in report.annex_workshops]
    assert len(rows) == len(ANNEX_A)
    for (label, city, title), (want_label, want_city, want_title) in zip(rows, ANNEX_A, strict=True):
        assert (label, city) == (want_label, want_city)
        assert want_title in title
    assert [e.start_date for e in report.annex_workshops] == sorted(e.start_date for e in report.annex_workshops)


def test_soms_are_not_in_the_annex_but_among_the_meetings_held(report):
    assert not any("Senior Officials" in event.title for event in report.annex_workshops)
    assert [(e.title, e.city, e.dates_label) for e in report.plenary] == [
        ("Fourth Bali Process Regional Ministerial Conference", "Bali", "29-30 March 2011"),
        ("5th AHG Senior Officials' Meeting", "Sydney", "12 October 2011"),
        ("6th AHG Senior Officials' Meeting", "Bali", "1 June 2012"),
    ]
    assert [(e.title, e.dates_label) for e in report.scheduled] == [
        ("7th AHG Senior Officials' Meeting", "5 March 2013")
    ]


def test_rilon_meetings_are_grouped_by_city_with_their_dates(report):
    assert [(city, [e.dates_label for e in events]) for city, events in report.annex_rilon] == RILON


def test_a_meeting_held_and_rilon_is_listed_as_rilon_only_when_recorded_so(seeded):
    negombo = seeded.Event.objects.get(city="Negombo")
    report = build_report(period_from=FROM, period_to=TO, audience=ALL_MEMBERS)
    assert negombo in report.annex_workshops
    assert all(negombo not in events for _city, events in report.annex_rilon)
    seeded.Event.objects.filter(pk=negombo.pk).update(also_rilon_meeting=True)
    report = build_report(period_from=FROM, period_to=TO, audience=ALL_MEMBERS)
    assert negombo in dict(report.annex_rilon)["Negombo"]
    assert negombo in report.annex_workshops


def test_each_priority_section_lists_its_linked_activities(report):
    sections = {section.priority.letter: section for section in report.priorities}
    assert set(sections) == {"a", "b", "c", "d", "e"}
    assert [e.title for e in sections["a"].events] == [
        "5th AHG Senior Officials' Meeting",
        "Informal meeting of AHG members",
        "Bali Process Working Group meeting on the RSO",
        "6th AHG Senior Officials' Meeting",
        "7th AHG Senior Officials' Meeting",
    ]
    assert any("Regional Support Office" in a.text for a in sections["a"].actions)
    assert "AHG workshop on Mutual Legal Assistance and Law Enforcement Cooperation" in [
        e.title for e in sections["d"].events
    ]


def test_contributions_cash_and_in_kind_are_reported(report):
    cash = {c.donor.code for c in report.contributions if c.kind == "cash"}
    in_kind = {c.donor.code for c in report.contributions if c.kind == "in_kind"}
    assert cash == {"usa", "idn", "nzl", "aus", "jpn"}
    assert in_kind == {"lka", "tha", "mys", "idn", "ind"}


def test_open_and_completed_actions_are_separated(report):
    open_texts = [a.text for a in report.open_actions]
    done_texts = [a.text for a in report.completed_actions]
    assert any("revised RILON guidelines" in text for text in open_texts)
    assert any("concept paper" in text for text in done_texts)
    rilon_guidelines = next(a for a in report.open_actions if "revised RILON guidelines" in a.text)
    assert rilon_guidelines.responsible_label == "Australia and Sri Lanka"
    assert report.overdue(rilon_guidelines)


def test_a_restricted_document_is_absent_from_the_members_report_and_present_for_its_rilon(seeded):
    members_html = render_html(build_report(period_from=FROM, period_to=TO, audience=ALL_MEMBERS))
    assert RESTRICTED not in members_html
    assert "Co-Chairs&#x27; Statement: 5th AHG Senior Officials&#x27; Meeting" in members_html
    insider = colombo_rilon_user()
    own_view = render_html(build_report(period_from=FROM, period_to=TO, audience=Audience.of(insider)))
    assert RESTRICTED in own_view
    outsider = member_user("nzl")
    assert RESTRICTED not in render_html(build_report(period_from=FROM, period_to=TO, audience=Audience.of(outsider)))


def test_pdf_reads_back_with_title_annex_and_page_numbers(report):
    reader = PdfReader(io.BytesIO(render_pdf(report)))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Ad Hoc Group Progress Report by the Co-Chairs" in " ".join(
        reader.pages[0].extract_text().replace("-\n", "-").split()
    )
    assert "Colombo (11 May 2011, 22 August 2011, 29 February 2012, 7 November 2012)" in text
    assert "23-26 April 2012" in text and "New Delhi" in text
    assert f"2 / {len(reader.pages)}" in reader.pages[1].extract_text()
    assert RESTRICTED not in text
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    assert fonts and all("Report-NotoSans" in name for name in fonts)


def test_docx_reads_back_with_headings_and_tables(report):
    document = WordDocument(io.BytesIO(render_docx(report)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Annex A: Ad Hoc Group (AHG) workshop summaries" in headings
    assert "Achieving the objectives set by Ministers" in headings
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Kuala Lumpur (15 June 2012, 7 February 2013)" in text
    assert "11-14 June 2012: AHG Technical Experts Working Group meeting on Irregular Movement, Kuala Lumpur." in text
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert "Australia and Sri Lanka" in cells
    assert RESTRICTED not in text and RESTRICTED not in cells


def test_command_writes_each_format_and_audits_it(seeded, tmp_path):
    for fmt in ("html", "pdf", "docx"):
        output = tmp_path / f"report.{fmt}"
        call_command(
            "progress_report", "--from", "2011-03-01", "--to", "2013-03-05", "--format", fmt, "--output", str(output)
        )
        assert output.stat().st_size > 1000
    assert AuditEntry.objects.filter(verb="meetings.progress_report.generated").count() == 3
    assert "Negombo" in (tmp_path / "report.html").read_text()


def test_command_as_a_user_shows_that_users_view(seeded, tmp_path):
    colombo_rilon_user()
    output = tmp_path / "mine.html"
    call_command(
        "progress_report",
        "--from",
        "2011-03-01",
        "--to",
        "2013-03-05",
        "--format",
        "html",
        "--output",
        str(output),
        "--as",
        "colombo-analyst",
    )
    assert RESTRICTED in output.read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2013-03-05", "--to", "2011-03-01"], "--to: 2011-03-01 is before --from"),
        (["--from", "2011-31-01", "--to", "2013-03-05"], "--from: '2011-31-01' is not a date"),
        (["--from", "2011-03-01", "--to", "2013-03-05", "--as", "nobody-here"], "--as: there is no user 'nobody-here'"),
    ],
)
def test_command_rejects_bad_arguments_with_a_clear_error(db, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("progress_report", *args, "--format", "html", "--output", str(tmp_path / "r.html"))
