"""Renewal: « Préparer le renouvellement » drafts the successor of a signed convention.

The successor is a new draft for the next period: same Caf, a copy of the perimeter (the draft's perimeter is
edited without touching the signed one), the parties and their representatives (deliberations to take again:
their dates and documents are not copied), the committees and their members, the latest model text, and the
plan carried fiche by fiche as the adviser chooses:

- **reconduire**: the fiche is copied whole, at the same place in the plan, « à lancer »;
- **réécrire**: only its reference, title, place, domains and porteur are kept, the rest is to write again;
- **clore**: the fiche stays in the convention that ends.

A carried fiche starts its context with what the ending convention recorded (last status, progress and the
last point of its timeline); each of its indicators, and each indicator of the convention, takes its last
value as the new baseline. The two conventions are linked (`previous` / `successors`); the ending one becomes
« renouvelée » when the successor is signed (conventions/lifecycle.py), not before.
"""

import re
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db import transaction

from actions.enums import ActionStatus
from actions.models import ActionSheet, Axis, Objective, Orientation
from evaluation.models import Indicator
from territories.services import territory_create

from ..enums import ConventionStatus
from ..models import CommitteeMember, Convention, Edition, Representative
from ..services import convention_create

CARRY = "reconduire"
REWRITE = "reecrire"
CLOSE = "clore"
CHOICES = [(CARRY, "Reconduire"), (REWRITE, "Réécrire"), (CLOSE, "Clore")]
CLOSED_STATUSES = (ActionStatus.DONE, ActionStatus.ABANDONED)
# Copied by « réécrire »; « reconduire » copies every field but those of NOT_COPIED.
REWRITE_FIELDS = ("reference", "title", "lead", "order")
NOT_COPIED = {
    "id",
    "convention",
    "orientation",
    "axis",
    "objective",
    "status",
    "status_reason",
    "progress",
    "lock_version",
    "updated_at",
    "start_year",
    "end_year",
    "due_date",
    "due_precision",
}


class RenewalRefused(Exception):
    def __init__(self, reasons: list[str]):
        super().__init__(" ".join(reasons))
        self.reasons = reasons


def renewal_blockers(*, convention: Convention) -> list[str]:
    reasons = []
    if convention.status != ConventionStatus.SIGNED:
        reasons.append(
            "Seule une convention signée (en vigueur ou arrivant à son terme) se renouvelle ; "
            f"celle-ci est « {convention.get_status_display().lower()} »."
        )
    successor = convention.successors.order_by("pk").first()
    if successor is not None:
        reasons.append(f"Le renouvellement est déjà préparé : « {successor.title} » ({successor.reference}).")
    return reasons


def renewal_actions(*, convention: Convention):
    """The fiches to choose for, in the plan's order."""
    return ActionSheet.objects.filter(convention=convention).order_by("order", "pk")


def default_choice(action: ActionSheet) -> str:
    return CLOSE if action.status in CLOSED_STATUSES else CARRY


def next_period(convention: Convention) -> tuple[date, date]:
    """The day after the end, for as many years as the ending convention lasted (5 when its start is unknown)."""
    start = convention.end_date + timedelta(days=1)
    previous_start = convention.effective_start
    years = 5
    if previous_start:
        years = max(1, round((convention.end_date - previous_start).days / 365.25))
    return start, start + relativedelta(years=years) - timedelta(days=1)


def _years(text: str, old: tuple[int, int], new: tuple[int, int]) -> str | None:
    pattern = re.compile(rf"{old[0]}(\s*[-–/]\s*){old[1]}")
    if pattern.search(text):
        return pattern.sub(lambda m: f"{new[0]}{m.group(1)}{new[1]}", text)
    return None


def successor_reference(convention: Convention, start: date, end: date) -> str:
    old_start = convention.effective_start
    base = None
    if old_start:
        base = _years(convention.reference, (old_start.year, convention.end_date.year), (start.year, end.year))
        if base is None and str(old_start.year) in convention.reference:
            base = convention.reference.replace(str(old_start.year), str(start.year))
    base = base or f"{convention.reference}-{start.year}"
    reference, n = base, 2
    while Convention.objects.filter(reference=reference).exists():
        reference, n = f"{base}-{n}", n + 1
    return reference[:60]


def successor_title(convention: Convention, start: date, end: date) -> str:
    old_start = convention.effective_start
    if old_start:
        title = _years(convention.title, (old_start.year, convention.end_date.year), (start.year, end.year))
        if title:
            return title
    return f"{convention.title} {start.year}-{end.year}"[:300]


def _copy_territory(convention: Convention):
    territory = convention.territory
    children = [(c.code, c.name, list(c.communes.all())) for c in territory.children.prefetch_related("communes")]
    return territory_create(
        name=territory.name, communes=list(territory.communes.all()), epci=territory.epci, sub_perimeters=children
    )


def _copied(row, names: str, **changes):
    """A new, unsaved row of the same model holding `row`'s fields `names` (space-separated), then `changes`."""
    return type(row)(**{name: getattr(row, name) for name in names.split()}, **changes)


def _copy_parties(old: Convention, new: Convention) -> None:
    """Parties and their representatives; not their deliberations (each party deliberates on the new text)."""
    for party in old.parties.prefetch_related("representatives").order_by("order", "pk"):
        copy = _copied(party, "kind name designation commune epci deliberation_body order", convention=new)
        copy.save()
        Representative.objects.bulk_create(
            _copied(r, "civility name title order", party=copy) for r in party.representatives.all()
        )


def _copy_committees(old: Convention, new: Convention) -> None:
    for committee in old.committees.prefetch_related("members"):
        copy = _copied(committee, "kind name missions frequency composition order", convention=new)
        copy.save()
        CommitteeMember.objects.bulk_create(
            _copied(m, "person organisation role user order", committee=copy) for m in committee.members.all()
        )


def _copy_plan_levels(old: Convention, new: Convention) -> dict:
    """Every orientation, axis and objective, at the same place: {old node: new node}."""
    mapping = {}
    for orientation in Orientation.objects.filter(convention=old).order_by("order", "pk"):
        mapping[("o", orientation.pk)] = Orientation.objects.create(
            convention=new, number=orientation.number, title=orientation.title, order=orientation.order
        )
    for axis in Axis.objects.filter(orientation__convention=old).order_by("order", "pk"):
        mapping[("a", axis.pk)] = Axis.objects.create(
            orientation=mapping[("o", axis.orientation_id)], number=axis.number, title=axis.title, order=axis.order
        )
    for objective in Objective.objects.filter(orientation__convention=old).order_by("order", "pk"):
        mapping[("b", objective.pk)] = Objective.objects.create(
            orientation=mapping[("o", objective.orientation_id)],
            axis=mapping.get(("a", objective.axis_id)),
            number=objective.number,
            title=objective.title,
            order=objective.order,
        )
    return mapping


def carried_context(action: ActionSheet, old: Convention) -> str:
    """What the ending convention recorded about the fiche, at the top of the new fiche's context."""
    text = (
        f"Bilan dans la convention {old.reference} ({old.period_label}) : statut « {action.get_status_display()} », "
        f"avancement {action.progress} %."
    )
    if action.status_reason:
        text += f" Motif : {action.status_reason}"
    last = action.updates.order_by("-date", "-created_at").first()
    if last is not None and last.comment:
        text += f"\nDernier point d'avancement ({last.date:%d/%m/%Y}) : {last.comment}"
    if action.expected_results:
        text += f"\nRésultats attendus : {action.expected_results}"
    return text + ("\n\n" + action.context if action.context else "")


def _last_value(indicator: Indicator):
    """(value, year) of the indicator's latest numeric value, yearly values before quarterly ones."""
    for measurement in sorted(
        indicator.measurements.all(), key=lambda m: (m.year, m.quarter is None, m.quarter or 0), reverse=True
    ):
        if measurement.value is not None:
            return measurement.value, measurement.year
    return indicator.baseline_value, indicator.baseline_year


def _copy_indicator(indicator: Indicator, new: Convention, action: ActionSheet | None) -> Indicator:
    """The indicator's definition, its baseline the last value measured in the ending convention."""
    value, year = _last_value(indicator)
    copy = _copied(
        indicator,
        "label kind unit direction order",
        convention=new,
        action=action,
        baseline_value=value,
        baseline_year=year,
    )
    copy.save()
    return copy


def _copy_fiche(action: ActionSheet, choice: str, old: Convention, new: Convention, levels: dict) -> ActionSheet:
    if choice == CARRY:
        fields = {
            f.attname: getattr(action, f.attname)
            for f in ActionSheet._meta.concrete_fields
            if f.name not in NOT_COPIED and f.attname not in NOT_COPIED
        }
    else:
        fields = {name: getattr(action, name) for name in REWRITE_FIELDS}
    fields["context"] = carried_context(action, old)
    copy = ActionSheet(
        convention=new,
        orientation=levels.get(("o", action.orientation_id)),
        axis=levels.get(("a", action.axis_id)),
        objective=levels.get(("b", action.objective_id)),
        status=ActionStatus.TO_START,
        progress=0,
        **fields,
    )
    copy.save()
    copy.domains.set(action.domains.all())
    if choice == CARRY:
        copy.target_communes.set(action.target_communes.all())
    return copy


def convention_renew(*, convention: Convention, choices: dict[int, str], user=None) -> Convention:
    """The successor draft of `convention`; `choices` maps each fiche's pk to CARRY, REWRITE or CLOSE (a fiche
    left out gets its default: closed when réalisée or abandonnée, carried otherwise)."""
    reasons = renewal_blockers(convention=convention)
    if reasons:
        raise RenewalRefused(reasons)
    start, end = next_period(convention)
    with transaction.atomic():
        Convention.objects.select_for_update().filter(pk=convention.pk).first()
        reasons = renewal_blockers(convention=convention)  # again, under the lock: two clicks make one successor
        if reasons:
            raise RenewalRefused(reasons)
        successor = convention_create(
            reference=successor_reference(convention, start, end),
            title=successor_title(convention, start, end),
            caf=convention.caf,
            territory=_copy_territory(convention),
            start_date=start,
            end_date=end,
            edition=Edition.objects.order_by("-year", "-pk").first() or convention.edition,
            domains=list(convention.domains.all()),
        )
        successor.previous = convention
        successor.save(update_fields=["previous"])
        successor.memberships.bulk_create(
            type(m)(convention=successor, user_id=m.user_id) for m in convention.memberships.all()
        )
        _copy_parties(convention, successor)
        _copy_committees(convention, successor)
        levels = _copy_plan_levels(convention, successor)
        carried: dict[int, ActionSheet] = {}
        actions = ActionSheet.objects.filter(convention=convention).prefetch_related("domains", "target_communes")
        for action in actions.order_by("order", "pk"):
            choice = choices.get(action.pk) or default_choice(action)
            if choice in (CARRY, REWRITE):
                carried[action.pk] = _copy_fiche(action, choice, convention, successor, levels)
        for indicator in Indicator.objects.filter(convention=convention).prefetch_related("measurements"):
            if indicator.action_id is None:
                _copy_indicator(indicator, successor, None)
            elif indicator.action_id in carried:
                _copy_indicator(indicator, successor, carried[indicator.action_id])
    return successor
