"""Full-text search over items, their comments and their attachments' text: one interface, two backends.

SQLite uses an FTS5 virtual table (`exchange_item_fts`, rowid = item id); PostgreSQL a narrow table
(`exchange_item_search`: item_id + tsvector, GIN index; migration 0004 moved it out of the wide item row
so that phrase rechecks read less). Both are kept current by `index_item`, which the services call inside
their transactions.

Every query starts from `visible_to(user)` and the text match is a sub-select inside the SAME SQL
query, so hits, totals, facets and suggestions only ever count what the user may see.
"""

import html
import json
import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, Substr
from django.utils.translation import gettext as _

from exchange.models import Item, ItemFacet
from sharing.models import Status
from sharing.principals import principals_of
from sharing.rules import visible_to

START, STOP = "\x02", "\x03"
FACETS = [f.value for f in ItemFacet.Facet]
_TOKEN_RE = re.compile(r'"([^"]*)"|(\S+)')
_WORD_RE = re.compile(r"[\w]+", re.UNICODE)
MAX_QUERY_LENGTH = 200
# Hits counted exactly (and faceted); beyond it the page says "more than 1,000".
HIT_CAP = 1000
# Newest index entries considered per query (they are then intersected with visible_to).
CANDIDATE_LIMIT = 2 * HIT_CAP + 1


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class ParsedQuery:
    """Words and phrases from what the user typed; operators are never passed through."""

    terms: tuple[tuple[str, ...], ...]  # each term: one word, or the words of a phrase

    @property
    def is_empty(self) -> bool:
        return not self.terms

    def fts5(self) -> str:
        return " ".join('"' + " ".join(words) + '"' for words in self.terms)

    def websearch(self) -> str:
        return " ".join('"' + " ".join(words) + '"' if len(words) > 1 else words[0] for words in self.terms)


def parse_query(text: str) -> ParsedQuery:
    text = (text or "")[:MAX_QUERY_LENGTH]
    terms = []
    for phrase, word in _TOKEN_RE.findall(text):
        words = tuple(w.lower() for w in _WORD_RE.findall(phrase or word))
        if words:
            terms.append(words)
    return ParsedQuery(tuple(terms))


# --- Index maintenance ------------------------------------------------------------------------
#
# Besides the text, each entry carries "access tokens" (who could see it, as principal keys) and facet
# tokens. They let the full-text index itself narrow the candidates to a superset of what the user may
# see, newest first, so that a query touches at most a few thousand rows however large the table. The
# tokens never decide anything on their own: the candidates are ALWAYS filtered by `visible_to` in the
# same SQL query, so a stale or wrong token can hide an item, never reveal one.

_TOKEN_CLEAN_RE = re.compile(r"[^a-z0-9]")


def access_token(key: str) -> str:
    return "zzacl" + _TOKEN_CLEAN_RE.sub("", key.lower())


def facet_token(facet: str, value: str) -> str:
    return "zzfct" + _TOKEN_CLEAN_RE.sub("", f"{facet}{value}".lower())


ARCHIVED_TOKEN = "zzarchived"  # noqa: S105 (an index token, not a secret)
CURRENT_TOKEN = "zzcurrent"  # noqa: S105


def item_access_tokens(item: Item, recipient_keys: set[str]) -> set[str]:
    """Principal keys that may find the item (a superset of DESIGN.md section 1's table for it)."""
    from sharing.models import TLP, Distribution

    tokens = {access_token(f"user:{item.author_id}")} if item.author_id else set()
    own_agency = access_token(f"agency:{item.originator_agency_id}")
    if item.status == Status.DRAFT:
        return tokens | {own_agency, access_token(f"focal:{item.originator_participant_id}")}
    if item.status == Status.WITHDRAWN:
        return tokens | {own_agency}
    if item.tlp != TLP.RED:
        tokens.add(own_agency)
    participant = access_token(f"participant:{item.originator_participant_id}")
    if item.distribution == Distribution.PUBLIC:
        tokens.add(access_token("public"))
    elif item.distribution == Distribution.MEMBERS:
        tokens |= {access_token("members"), participant}
    elif item.distribution == Distribution.ORIGINATOR:
        tokens.add(participant)
    else:
        tokens |= {access_token(key) for key in recipient_keys}
    return tokens


def user_access_tokens(user) -> list[str]:
    from accounts.models import Role

    principals = principals_of(user)
    tokens = {access_token("public")}
    if principals.has_any:
        tokens |= {access_token(key) for key in principals.keys}
        if principals.is_member:
            tokens.add(access_token("members"))
        if principals.role == Role.FOCAL_POINT:
            tokens.add(access_token(f"focal:{principals.participant_id}"))
    return sorted(tokens)


def index_item(item: Item, *, access: set[str], facets: set[tuple[str, str]]) -> None:
    """(Re)write the item's full-text entry: title, search_text, access and facet tokens."""
    tokens = sorted(access) + sorted(facet_token(f, v) for f, v in facets)
    # Both forms: FTS5 subtracts "archived" cheaply; PostgreSQL's GIN answers a positive "current" without
    # rechecking rows (a negation would force a recheck of every candidate).
    tokens.append(ARCHIVED_TOKEN if item.archived_at is not None else CURRENT_TOKEN)
    with connection.cursor() as cursor:
        if _is_postgres():
            cursor.execute(
                "INSERT INTO exchange_item_search (item_id, search_vector) VALUES (%s, "
                "setweight(to_tsvector('english', %s), 'A') || to_tsvector('english', %s) || "
                "to_tsvector('simple', %s)) ON CONFLICT (item_id) DO UPDATE SET search_vector = EXCLUDED.search_vector",
                [item.pk, item.title, item.search_text, " ".join(tokens)],
            )
        else:
            cursor.execute("DELETE FROM exchange_item_fts WHERE rowid = %s", [item.pk])
            cursor.execute(
                "INSERT INTO exchange_item_fts (rowid, title, body, tokens) VALUES (%s, %s, %s, %s)",
                [item.pk, item.title, item.search_text, " ".join(tokens)],
            )


def matching_ids(query: ParsedQuery) -> RawSQL:
    """A sub-select of the ids of items whose text matches (used inside an already visible queryset)."""
    if _is_postgres():
        return RawSQL(
            "SELECT item_id FROM exchange_item_search WHERE search_vector @@ websearch_to_tsquery('english', %s)",
            [query.websearch()],
        )
    return RawSQL(
        "SELECT rowid FROM exchange_item_fts WHERE exchange_item_fts MATCH %s", ["{title body} : " + query.fts5()]
    )


def candidate_ids(
    query: ParsedQuery, filters: dict[str, list[str]], access: list[str], *, include_archived: bool, limit: int
) -> RawSQL:
    """The newest `limit` entries matching text, facets and access tokens (to be intersected with visible_to)."""
    groups = [[facet_token(facet, value) for value in values] for facet, values in filters.items()]
    if _is_postgres():
        parts = ["(" + " | ".join(access) + ")"] + ["(" + " | ".join(group) + ")" for group in groups]
        if not include_archived:
            parts.append(CURRENT_TOKEN)
        sql = "SELECT item_id FROM exchange_item_search WHERE search_vector @@ (to_tsquery('simple', %s)"
        params: list = [" & ".join(parts)]
        if not query.is_empty:
            sql += " && websearch_to_tsquery('english', %s)"
            params.append(query.websearch())
        return RawSQL(sql + ") ORDER BY item_id DESC LIMIT %s", [*params, limit])  # noqa: S611 (constant SQL, values as parameters)
    parts = []
    if not query.is_empty:
        parts.append("{title body} : (" + query.fts5() + ")")
    parts.append("tokens : (" + " OR ".join(access) + ")")
    parts += ["tokens : (" + " OR ".join(group) + ")" for group in groups]
    expression = " AND ".join(parts)
    if not include_archived:
        expression += " NOT tokens : " + ARCHIVED_TOKEN
    return RawSQL(
        "SELECT rowid FROM exchange_item_fts WHERE exchange_item_fts MATCH %s ORDER BY rowid DESC LIMIT %s",
        [expression, limit],
    )


def rebuild_index() -> int:
    """Rewrite every item's entry (after a migration that changes the index, or to repair it)."""
    from exchange.services import reindex

    count = 0
    for item in Item.objects.all().iterator(chunk_size=500):
        reindex(item)
        count += 1
    return count


def _mark(text: str) -> str:
    return html.escape(text).replace(START, "<mark>").replace(STOP, "</mark>")


def snippets(ids: list[int], query: ParsedQuery) -> dict[int, str]:
    """Highlighted excerpts (HTML-escaped, matches in <mark>) for items the caller already knows are visible."""
    if not ids or query.is_empty:
        return {}
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        if _is_postgres():
            cursor.execute(
                "SELECT id, ts_headline('english', title || ' — ' || search_text, "  # noqa: S608 (placeholders only)
                "websearch_to_tsquery('english', %s), "
                "'StartSel=\x02, StopSel=\x03, MaxWords=30, MinWords=12, MaxFragments=2') "
                f"FROM exchange_item WHERE id IN ({placeholders})",
                [query.websearch(), *ids],
            )
        else:
            cursor.execute(
                "SELECT rowid, snippet(exchange_item_fts, -1, char(2), char(3), '…', 24) "  # noqa: S608
                f"FROM exchange_item_fts WHERE exchange_item_fts MATCH %s AND rowid IN ({placeholders})",
                ["{title body} : " + query.fts5(), *ids],
            )
        return {row[0]: _mark(row[1] or "") for row in cursor.fetchall()}


# --- Queries ---------------------------------------------------------------------------------


def searchable_items(user, *, include_archived: bool = False) -> QuerySet:
    """What a user may find: visible items, minus withdrawn content (tombstones are not searchable)."""
    principals = principals_of(user)
    items = visible_to(Item, user)
    own = Q(author_id=principals.user_id) | Q(originator_agency_id=principals.agency_id)
    items = (
        items.exclude(Q(status=Status.WITHDRAWN) & ~own)
        if principals.has_any
        else items.exclude(status=Status.WITHDRAWN)
    )
    if not include_archived:
        items = items.filter(Item.not_expired_q())
    return items


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchResult:
    query: str
    items: list = field(default_factory=list)
    total: int = 0
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    snippets: dict[int, str] = field(default_factory=dict)
    page: int = 1
    per_page: int = 20
    capped: bool = False

    @property
    def pages(self) -> int:
        return max(1, (self.total + self.per_page - 1) // self.per_page)


def clean_filters(raw: dict[str, list[str]]) -> dict[str, list[str]]:
    """Only known facets, only short values: never raw user keys into the ORM."""
    clean: dict[str, list[str]] = {}
    for facet in FACETS:
        values = [str(v)[:80] for v in raw.get(facet, []) if str(v).strip()]
        if values:
            clean[facet] = values[:20]
    return clean


def filtered(items: QuerySet, query: ParsedQuery, filters: dict[str, list[str]]) -> QuerySet:
    if not query.is_empty:
        items = items.filter(pk__in=matching_ids(query))
    for facet, values in filters.items():
        items = items.filter(Exists(ItemFacet.objects.filter(item_id=OuterRef("pk"), facet=facet, value__in=values)))
    return items


def facet_counts(rows: list[tuple], filters: dict[str, list[str]]) -> dict[str, list[FacetValue]]:
    """Counts per facet value over the visible hits only (rows already read with the hits, plus one query
    for the groups they were shared with)."""
    from collections import Counter

    from django.contrib.contenttypes.models import ContentType

    from sharing.models import Recipient

    counters: dict[str, Counter] = {facet: Counter() for facet in FACETS}
    for _pk, kind, tlp, month, countries, nationalities, routes in rows:
        counters["kind"][kind] += 1
        counters["tlp"][tlp] += 1
        counters["month"][month] += 1
        counters["country"].update(set(json.loads(countries or "[]")))
        counters["nationality"].update(set(json.loads(nationalities or "[]")))
        counters["route"].update(set(json.loads(routes or "[]")))
    if rows:
        shared = Recipient.objects.filter(
            content_type=ContentType.objects.get_for_model(Item),
            object_id__in=[row[0] for row in rows],
            principal_key__startswith="group:",
        ).values_list("principal_key", flat=True)
        counters["group"].update(key.partition(":")[2] for key in shared)
    facets: dict[str, list[FacetValue]] = {}
    for facet, counter in counters.items():
        chosen = set(filters.get(facet, []))
        facets[facet] = [FacetValue(value, value, count, value in chosen) for value, count in counter.items()]
    _label_facets(facets)
    for values in facets.values():
        values.sort(key=lambda v: (-v.count, v.label))
    return facets


def _label_facets(facets: dict[str, list[FacetValue]]) -> None:
    from exchange.kinds import Kind
    from participants.models import Group
    from sharing.models import TLP

    kinds = dict(Kind.choices)
    tlps = dict(TLP.choices)
    group_ids = [int(v.value) for v in facets.get("group", []) if v.value.isdigit()]
    groups = dict(Group.objects.filter(pk__in=group_ids).values_list("pk", "name"))
    for value in facets.get("kind", []):
        value.label = str(kinds.get(value.value, value.value))
    for value in facets.get("tlp", []):
        value.label = str(tlps.get(value.value, value.value))
    for value in facets.get("group", []):
        value.label = groups.get(int(value.value), _("Unknown group")) if value.value.isdigit() else value.value


def search(
    user,
    *,
    text: str = "",
    filters: dict[str, list[str]] | None = None,
    include_archived: bool = False,
    page: int = 1,
    per_page: int = 20,
    with_facets: bool = True,
) -> SearchResult:
    """Visible hits for the words/phrases in `text`, newest first, with facets and highlighted excerpts.

    One query takes the newest index entries matching the text, the facet filters and the user's access
    tokens, and keeps those `visible_to` the user (same SQL query). The total is exact up to HIT_CAP and
    shown as "more than HIT_CAP" beyond it; facets are counted over the hits found. Nothing outside
    `visible_to` is ever read, counted or suggested.
    """
    query = parse_query(text)
    filters = clean_filters(filters or {})
    candidates = candidate_ids(
        query, filters, user_access_tokens(user), include_archived=include_archived, limit=CANDIDATE_LIMIT
    )
    hits = filtered(searchable_items(user, include_archived=include_archived), ParsedQuery(()), filters)
    hits = hits.filter(pk__in=candidates)
    # Facet columns come back as plain text (month as YYYY-MM, lists as JSON text): no per-row conversions.
    rows = list(
        hits.order_by("-pk")
        .annotate(
            f_month=Substr(Cast(Coalesce("published_at", "created_at"), output_field=CharField()), 1, 7),
            f_countries=Cast("countries", output_field=TextField()),
            f_nationalities=Cast("nationalities", output_field=TextField()),
            f_routes=Cast("routes", output_field=TextField()),
        )
        .values_list("pk", "kind", "tlp", "f_month", "f_countries", "f_nationalities", "f_routes")[: HIT_CAP + 1]
    )
    result = SearchResult(query=text, page=max(1, page), per_page=per_page)
    result.capped = len(rows) > HIT_CAP
    rows = rows[:HIT_CAP]
    ids = [row[0] for row in rows]
    result.total = len(ids)
    start = (result.page - 1) * per_page
    page_ids = ids[start : start + per_page]
    by_pk = Item.objects.select_related("originator_agency__participant", "anonymous_group").in_bulk(page_ids)
    result.items = [by_pk[pk] for pk in page_ids if pk in by_pk]
    if with_facets:
        result.facets = facet_counts(rows, filters)
    result.snippets = snippets(page_ids, query)
    return result


def suggest(user, prefix: str, limit: int = 8) -> list[str]:
    """Title completions, from visible, current items only."""
    prefix = (prefix or "").strip()[:60]
    if len(prefix) < 2:
        return []
    return list(
        searchable_items(user)
        .filter(title__istartswith=prefix)
        .order_by("title")
        .values_list("title", flat=True)
        .distinct()[:limit]
    )
