"""The fingerprint of a convention's printed data: the cache key of its documents, in two queries.

A document (the convention PDF, a fiche, a draft bilan) is produced again only when its fingerprint changes. It is
made of markers that every change moves, never of the data itself, so that computing it costs two small queries
whatever the size of the plan (the HTML of the whole convention took 28 queries and 0.4 s):

- the convention's ``lock_version`` and ``updated_at``;
- for every row model printed that has a history (django-simple-history): the greatest history id of the rows of
  the convention. History ids only grow and a deletion writes a record too, so adding, changing or removing any
  row (a party, a representative, a fiche, a budget line, a measurement…) moves it;
- for the many-to-many links (communes of a fiche, fiches of a meeting, domains) and the rows without history
  (progress reports, committee members): the number of links and their greatest id, which adding or removing one
  moves; the committee members' own fields, read in the second query (a few rows per convention);
- a digest of the print templates, so that a deployment changing the layout renders the documents again.

Reference data shared by every convention (communes and their population, equipment, Caf, edition visas) is
national and changes with a yearly import: it is not in the fingerprint. A document shows such a change once
the convention itself changes next; the print templates' digest is where to force every document again.
"""

import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max, OuterRef, Subquery

from actions.models import ActionSheet, Axis, BudgetLine, Objective, Orientation, StatusUpdate
from evaluation.models import Indicator, Measurement

from ..models import (
    Amendment,
    AoCompetence,
    Clause,
    Committee,
    CommitteeMember,
    Convention,
    Diagnostic,
    Issue,
    KeyFigure,
    Meeting,
    Party,
    Representative,
    SupportedEquipment,
)

# (name, historied model, path from the historical row to the convention's id)
HISTORIES = [
    ("convention", Convention, "id"),
    ("party", Party, "convention_id"),
    ("representative", Representative, "party__convention_id"),
    ("clause", Clause, "convention_id"),
    ("diagnostic", Diagnostic, "convention_id"),
    ("key_figure", KeyFigure, "diagnostic__convention_id"),
    ("issue", Issue, "diagnostic__convention_id"),
    ("equipment", SupportedEquipment, "convention_id"),
    ("committee", Committee, "convention_id"),
    ("meeting", Meeting, "committee__convention_id"),
    ("amendment", Amendment, "convention_id"),
    ("ao_competence", AoCompetence, "convention_id"),
    ("orientation", Orientation, "convention_id"),
    ("axis", Axis, "orientation__convention_id"),
    ("objective", Objective, "orientation__convention_id"),
    ("action", ActionSheet, "convention_id"),
    ("budget_line", BudgetLine, "action__convention_id"),
    ("indicator", Indicator, "convention_id"),
    ("measurement", Measurement, "indicator__convention_id"),
]

# (name, model without history or many-to-many link table, path to the convention's id)
LINKS = [
    ("action_communes", ActionSheet.target_communes.through, "actionsheet__convention_id"),
    ("action_domains", ActionSheet.domains.through, "actionsheet__convention_id"),
    ("action_meetings", ActionSheet.meetings.through, "actionsheet__convention_id"),
    ("convention_domains", Convention.domains.through, "convention_id"),
    ("status_update", StatusUpdate, "action__convention_id"),
    ("committee_member", CommitteeMember, "committee__convention_id"),
]


def _aggregate(queryset, path: str, **aggregate):
    (name, expression) = next(iter(aggregate.items()))
    rows = queryset.filter(**{path: OuterRef("pk")}).order_by().values(path).annotate(**{name: expression})
    return Subquery(rows.values(name)[:1])


@functools.cache
def print_templates_digest() -> str:
    """The print templates as they are deployed (read once per process)."""
    digest = hashlib.sha256()
    for path in sorted(Path(settings.BASE_DIR, "templates", "pdf").glob("*.html")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def convention_fingerprint(*, convention_id: int) -> str:
    """A short digest that changes whenever anything the convention's documents print changes (two queries).

    "" for a convention that does not exist (anymore).
    """
    annotations = {}
    for name, model, path in HISTORIES:
        annotations[f"h_{name}"] = _aggregate(model.history.all(), path, value=Max("history_id"))
    for name, model, path in LINKS:
        annotations[f"n_{name}"] = _aggregate(model.objects.all(), path, value=Count("pk"))
        annotations[f"m_{name}"] = _aggregate(model.objects.all(), path, value=Max("pk"))
    markers = Convention.objects.filter(pk=convention_id).values("lock_version", "updated_at", **annotations).first()
    if markers is None:
        return ""
    members = list(
        CommitteeMember.objects.filter(committee__convention_id=convention_id)
        .order_by("pk")
        .values_list("pk", "committee_id", "person", "organisation", "role", "order", "user_id")
    )
    text = repr((sorted(markers.items()), members, print_templates_digest()))
    return hashlib.sha256(text.encode()).hexdigest()[:32]
