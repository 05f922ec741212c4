"""A whole convention as a Convention JSON document (docs/convention-json.md)."""

from datetime import date, datetime
from decimal import Decimal

from actions.levels import LABEL_FIELDS
from actions.models import ActionSheet
from actions.plan import plan_tree
from evaluation.models import Indicator
from territories.models import Territory

from ...models import (
    Convention,
)
from .format import FORMAT, VERSION


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _iso_datetime(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _dec(value: Decimal | None) -> str | None:
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return text


def _email(user) -> str | None:
    return user.email if user else None


def _indicator_out(indicator: Indicator) -> dict:
    return {
        "label": indicator.label,
        "kind": indicator.kind,
        "unit": indicator.unit,
        "baseline_value": _dec(indicator.baseline_value),
        "baseline_year": indicator.baseline_year,
        "target_value": _dec(indicator.target_value),
        "target_year": indicator.target_year,
        "direction": indicator.direction,
        "measurements": [
            {
                "year": m.year,
                "quarter": m.quarter,
                "value": _dec(m.value),
                "text": m.text,
                "source": m.source,
                "comment": m.comment,
                "author": _email(m.author),
            }
            for m in indicator.measurements.all()
        ],
    }


def _action_out(action: ActionSheet, keys: dict[int, str]) -> dict:
    return {
        "also_objectives": [keys[objective.pk] for objective in action.also_list],
        "reference": action.reference,
        "title": action.title,
        "kind": action.kind,
        "level": action.level,
        "domains": [d.label for d in action.domains.all()],
        "target_public": action.target_public,
        "target_territory": action.target_territory,
        "target_communes": [c.insee_code for c in action.target_communes.all()],
        "lead": action.lead,
        "pilots": action.pilots,
        "partners": action.partners,
        "context": action.context,
        "objectives": action.objectives,
        "implementation": action.implementation,
        "expected_results": action.expected_results,
        "schedule": action.schedule,
        "start_year": action.start_year,
        "end_year": action.end_year,
        "due_date": _iso(action.due_date),
        "due_precision": action.due_precision,
        "budget_amount": _dec(action.budget_amount),
        "budget_text": action.budget_text,
        "caf_means": action.caf_means,
        "priority": action.priority.label if action.priority else "",
        "methodology": action.methodology.label if action.methodology else "",
        "vigilance": action.vigilance,
        "status": action.status,
        "status_reason": action.status_reason,
        "progress": action.progress,
        "indicators": [_indicator_out(i) for i in action.indicators.all()],
        "status_updates": [
            {
                "date": _iso(u.date),
                "status": u.status,
                "progress": u.progress,
                "comment": u.comment,
                "author": _email(u.author),
            }
            for u in sorted(action.updates.all(), key=lambda u: (u.date, u.created_at, u.pk))
        ],
        "budget_lines": [
            {
                "year": b.year,
                "funder": b.funder,
                "funder_name": b.funder_name,
                "nature": b.nature,
                "planned": _dec(b.planned),
                "actual": _dec(b.actual),
                "is_caf_means": b.is_caf_means,
                "note": b.note,
            }
            for b in action.budget_lines.all()
        ],
    }


def _territory_out(territory: Territory, *, with_family: bool = True) -> dict:
    data = {
        "name": territory.name,
        "kind": territory.kind,
        "code": territory.code,
        "epci": territory.epci.siren if territory.epci else None,
        "communes": sorted(c.insee_code for c in territory.communes.all()),
    }
    if with_family:
        data["parent"] = _territory_out(territory.parent, with_family=False) if territory.parent else None
        data["children"] = [_territory_out(t, with_family=False) for t in territory.children.order_by("code", "name")]
    return data


def convention_export(*, convention: Convention) -> dict:
    """The whole convention as a JSON-ready dict."""
    tree = plan_tree(
        convention=convention,
        actions=convention.actions.select_related("priority", "methodology").prefetch_related(
            "domains",
            "target_communes",
            "updates__author",
            "budget_lines",
            "indicators__measurements__author",
        ),
    )
    plan: dict = {"orientations": [], "actions": []}
    nodes: dict[tuple[str, int], dict] = {}
    # Each objective's key in the file, which a fiche's « contribue aussi à » names (format version 2).
    keys = {
        step.item.pk: f"objectif-{rank}"
        for rank, step in enumerate((s for s in tree.walk(actions=False) if s.kind == "objective"), start=1)
    }
    for step in tree.walk():
        item = step.item
        if step.kind == "action":
            parent = next(
                (nodes[(kind, node.pk)] for kind, node in (("objective", step.objective), ("axis", step.axis)) if node),
                nodes[("orientation", step.orientation.pk)] if step.orientation else plan,
            )
            parent["actions"].append(_action_out(item, keys))
        elif step.kind == "orientation":
            nodes[("orientation", item.pk)] = {
                "number": item.number,
                "title": item.title,
                "axes": [],
                "objectives": [],
                "actions": [],
            }
            plan["orientations"].append(nodes[("orientation", item.pk)])
        elif step.kind == "axis":
            nodes[("axis", item.pk)] = {"number": item.number, "title": item.title, "objectives": [], "actions": []}
            nodes[("orientation", step.orientation.pk)]["axes"].append(nodes[("axis", item.pk)])
        else:
            nodes[("objective", item.pk)] = {
                "key": keys[item.pk],
                "number": item.number,
                "title": item.title,
                "actions": [],
            }
            parent = nodes[("axis", step.axis.pk)] if step.axis else nodes[("orientation", step.orientation.pk)]
            parent["objectives"].append(nodes[("objective", item.pk)])

    diagnostic = getattr(convention, "diagnostic", None)
    return {
        "format": FORMAT,
        "version": VERSION,
        "convention": {
            "reference": convention.reference,
            "title": convention.title,
            "caf": convention.caf.name,
            "edition": convention.edition.code if convention.edition else None,
            "status": convention.status,
            "start_date": _iso(convention.start_date),
            "starts_on_signature": convention.starts_on_signature,
            "end_date": _iso(convention.end_date),
            "domains": [d.label for d in convention.domains.all()],
            "visas": convention.visas,
            "preamble": convention.preamble,
            "copil_validated_on": _iso(convention.copil_validated_on),
            "signature_place": convention.signature_place,
            "signature_date": _iso(convention.signature_date),
            "prefecture_sent_on": _iso(convention.prefecture_sent_on),
            "prefecture_received_on": _iso(convention.prefecture_received_on),
            "published_on": _iso(convention.published_on),
            "act_id": convention.act_id,
            "previous": convention.previous.reference if convention.previous else None,
            "terminated_on": _iso(convention.terminated_on),
            "termination_reason": convention.termination_reason,
            "plan_levels": {name: getattr(convention, name) for name in LABEL_FIELDS},
        },
        "territory": _territory_out(convention.territory),
        "members": sorted(m.user.email for m in convention.memberships.select_related("user")),
        "parties": [
            {
                "kind": p.kind,
                "name": p.name,
                "designation": p.designation,
                "commune": p.commune.insee_code if p.commune else None,
                "epci": p.epci.siren if p.epci else None,
                "deliberation_body": p.deliberation_body,
                "deliberation_date": _iso(p.deliberation_date),
                "deliberation_reference": p.deliberation_reference,
                "representatives": [
                    {"civility": r.civility, "name": r.name, "title": r.title, "signed_on": _iso(r.signed_on)}
                    for r in p.representatives.all()
                ],
            }
            for p in convention.parties.select_related("commune", "epci").prefetch_related("representatives")
        ],
        "clauses": [{"number": c.number, "title": c.title, "body": c.body} for c in convention.clauses.all()],
        "diagnostic": {
            "summary": diagnostic.summary,
            "documents": diagnostic.documents,
            "key_figures": [
                {
                    "theme": k.theme,
                    "label": k.label,
                    "value": _dec(k.value),
                    "value_text": k.value_text,
                    "unit": k.unit,
                    "year": k.year,
                    "source": k.source,
                    "comparison": k.comparison,
                }
                for k in diagnostic.key_figures.all()
            ],
            "issues": [
                {"domain": i.domain.label if i.domain else None, "text": i.text}
                for i in diagnostic.issues.select_related("domain")
            ],
        }
        if diagnostic
        else None,
        "equipment": [
            {
                "kind": s.equipment.kind.code,
                "kind_label": s.equipment.kind.label,
                "name": s.equipment.name,
                "address": s.equipment.address,
                "commune": s.equipment.commune.insee_code,
                "manager": s.equipment.manager,
                "capacity": s.equipment.capacity,
                "supported_by": s.supported_by.name if s.supported_by else None,
                "financing_note": s.financing_note,
            }
            for s in convention.supported_equipment.select_related(
                "equipment__kind", "equipment__commune", "supported_by"
            ).order_by("order", "pk")
        ],
        "plan": plan,
        "indicators": [
            _indicator_out(i)
            for i in convention.indicators.filter(action__isnull=True).prefetch_related("measurements__author")
        ],
        "committees": [
            {
                "kind": c.kind,
                "name": c.name,
                "missions": c.missions,
                "frequency": c.frequency,
                "members": [
                    {"person": m.person, "organisation": m.organisation, "role": m.role, "user": _email(m.user)}
                    for m in c.members.select_related("user")
                ],
                "meetings": [
                    {
                        "date": _iso(m.date),
                        "place": m.place,
                        "attendees": m.attendees,
                        "agenda": m.agenda,
                        "minutes": m.minutes,
                        "decisions": m.decisions,
                        "actions": sorted(a.reference for a in m.actions.all()),
                    }
                    for m in c.meetings.prefetch_related("actions").order_by("date", "pk")
                ],
            }
            for c in convention.committees.all()
        ],
        "amendments": [
            {
                "number": a.number,
                "signed_on": _iso(a.signed_on),
                "object": a.object,
                "changes": a.changes,
                "snapshot": a.snapshot,
            }
            for a in convention.amendments.all()
        ],
        "ao_competences": [
            {
                "commune": a.commune.insee_code if a.commune else None,
                "epci": a.epci.siren if a.epci else None,
                "population": a.population,
                "census": a.census,
                "inform": a.inform,
                "plan": a.plan,
                "quality": a.quality,
                "transfer_detail": a.transfer_detail,
                "has_schema": a.has_schema,
                "has_rpe": a.has_rpe,
            }
            for a in convention.ao_competences.select_related("commune", "epci").order_by("pk")
        ],
        "reviews": [
            {
                "kind": r.kind,
                "year": r.year,
                "version": r.version,
                "status": r.status,
                "summary": r.summary,
                "decisions": r.decisions,
                # A date alone is ambiguous: two instances may meet the same day.
                "meeting": {"committee": r.meeting.committee.name, "date": _iso(r.meeting.date)} if r.meeting else None,
                "snapshot": r.snapshot,
                "validated_at": _iso_datetime(r.validated_at),
                "validated_by": _email(r.validated_by),
            }
            for r in convention.reviews.select_related("meeting__committee", "validated_by").order_by(
                "year", "kind", "version"
            )
        ],
    }
