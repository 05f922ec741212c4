"""The lifecycle of a convention, in one place: which moves exist, from where, under which French label,
what each needs before it happens, and the guards that refuse a move with every reason why.

brouillon → validée en COPIL → en signature → signée (→ en vigueur / échue by date, see
Convention.phase and ConventionQuerySet.in_phase) → résiliée; renouvelée when its successor is signed.
Once signed, the text reopens only through an avenant (`amendment_open`), until the avenant is signed.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.locking import advance_version

from .enums import CommitteeKind, ConventionStatus, PartyKind, VersionKind
from .models import Amendment, Convention, Meeting
from .perms import can_edit_convention
from .placeholders import annex_fillings, fill_from_annexes, left_to_complete


class TransitionRefused(Exception):
    """A lifecycle move that the guards refuse; `reasons` are French sentences for the user."""

    def __init__(self, reasons: list[str]):
        super().__init__(" ".join(reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class Move:
    """A move of the lifecycle. `details` names what its page asks or shows before the move ("copil", "checklist",
    "signature", "termination"), empty when the page only asks for confirmation; `style` is the button's look."""

    target: str
    label: str
    sources: tuple[str, ...]
    details: str = ""
    style: str = "btn-primary"


MOVES: dict[str, Move] = {
    move.target: move
    for move in (
        Move(ConventionStatus.COPIL_VALIDATED, "Valider en COPIL", (ConventionStatus.DRAFT,), "copil"),
        Move(ConventionStatus.IN_SIGNATURE, "Passer en signature", (ConventionStatus.COPIL_VALIDATED,), "checklist"),
        Move(
            ConventionStatus.DRAFT,
            "Revenir au brouillon",
            (ConventionStatus.COPIL_VALIDATED, ConventionStatus.IN_SIGNATURE),
            style="btn-outline-secondary",
        ),
        Move(ConventionStatus.SIGNED, "Enregistrer la signature", (ConventionStatus.IN_SIGNATURE,), "signature"),
        Move(
            ConventionStatus.TERMINATED,
            "Résilier",
            (ConventionStatus.SIGNED,),
            "termination",
            style="btn-outline-danger",
        ),
    )
}


@dataclass(frozen=True)
class Step:
    """What the convention page offers next: a move (`move`), or opening / signing an avenant (`amendment`)."""

    label: str
    move: Move | None = None
    amendment: Amendment | None = None
    style: str = "btn-primary"

    @property
    def kind(self) -> str:
        if self.move is not None:
            return "move_page"  # every move asks on a page first: its details, or a confirmation
        return "amendment_sign" if self.amendment is not None else "amendment_open"


def convention_moves(convention: Convention) -> set[str]:
    """The targets a convention may move to from its status (the guards aside)."""
    return {move.target for move in MOVES.values() if convention.status in move.sources}


def convention_available_transitions(convention: Convention, user) -> list[Step]:
    """The steps `user` may take on `convention` now, in the order the page shows them (none for a reader)."""
    if not can_edit_convention(user, convention):
        return []
    steps = []
    if convention.status == ConventionStatus.SIGNED:
        amendment = convention.open_amendment
        if amendment is not None:
            steps.append(Step(label="Signer l'avenant", amendment=amendment))
        else:
            steps.append(Step(label="Ouvrir un avenant", style="btn-outline-primary"))
    moves = sorted(
        (move for move in MOVES.values() if convention.status in move.sources),
        key=lambda move: move.style != "btn-primary",  # the way forward first
    )
    steps += [Step(label=move.label, move=move, style=move.style) for move in moves]
    return steps


@dataclass(frozen=True)
class Check:
    """One line of the checklist shown before « en signature »: what it checks, and what is missing."""

    label: str
    problems: tuple[str, ...] = ()

    @property
    def done(self) -> bool:
        return not self.problems


def _quoted(blank: str) -> str:
    return f"« {blank if len(blank) <= 90 else blank[:88] + '…]'} »"


def signature_checklist(*, convention: Convention) -> list[Check]:
    """Everything a text must have before the parties sign it, each item with what is missing: signatories,
    their representatives and deliberations, articles, and no blank left (« [À compléter : …] », « {caf} »)
    that the annexes do not fill."""
    parties = list(convention.parties.prefetch_related("representatives"))
    signatories = []
    if not any(p.kind == PartyKind.CAF for p in parties):
        signatories.append("La Caf ne figure pas parmi les signataires.")
    if not any(p.kind != PartyKind.CAF for p in parties):
        signatories.append("Aucune collectivité ne figure parmi les signataires.")
    representatives, deliberations = [], []
    for party in parties:
        people = list(party.representatives.all())
        if not people or any(not r.name.strip() or r.name.startswith("(") or left_to_complete(r.name) for r in people):
            representatives.append(f"{party.name} : indiquez le nom de son représentant ou de sa représentante.")
        if party.kind != PartyKind.CAF and not party.deliberation_date:
            deliberations.append(f"{party.name} : la date de la délibération n'est pas renseignée.")
    clauses = list(convention.clauses.order_by("order", "pk"))
    fillings = annex_fillings(convention=convention)
    texts = [("Le préambule", convention.preamble), ("Les visas", convention.visas)]
    texts += [(clause.heading, clause.body) for clause in clauses]
    blanks = [
        f"{where} : {_quoted(blank)} reste à compléter."
        for where, text in texts
        for blank in left_to_complete(fill_from_annexes(text, fillings))
    ]
    return [
        Check("La Caf et au moins une collectivité signent", tuple(signatories)),
        Check("Chaque signataire a un représentant nommé", tuple(representatives)),
        Check("Chaque collectivité a la date de sa délibération", tuple(deliberations)),
        Check("Le texte a ses articles", () if clauses else ("La convention n'a aucun article.",)),
        Check("Aucun passage « à compléter » ne reste dans le texte", tuple(blanks)),
    ]


def signature_blockers(*, convention: Convention) -> list[str]:
    """What is missing before the parties can sign (every problem of the checklist), in French."""
    return [problem for check in signature_checklist(convention=convention) for problem in check.problems]


def move_blockers(
    *,
    convention: Convention,
    target: str,
    signature_date: date | None = None,
    signature_place: str = "",
    terminated_on: date | None = None,
    termination_reason: str = "",
    copil_date: date | None = None,
    copil_meeting=None,
) -> list[str]:
    """Every French reason why `convention` may not be in status `target` with these details; checked before
    the move writes anything (and by the demo-data test on each demo convention's own status)."""
    reasons = []
    if target in (ConventionStatus.IN_SIGNATURE, ConventionStatus.SIGNED):
        reasons += signature_blockers(convention=convention)
    if target == ConventionStatus.SIGNED:
        if not signature_date:
            reasons.append("Indiquez la date de signature.")
        elif signature_date >= convention.end_date:
            reasons.append("La date de signature doit précéder la date de fin de la convention.")
        if not (signature_place or convention.signature_place).strip():
            reasons.append("Indiquez le lieu de signature (« Fait à … »).")
    if target == ConventionStatus.COPIL_VALIDATED:
        if not copil_date:
            reasons.append("Indiquez la date du COPIL qui a validé la convention.")
        elif copil_date > timezone.localdate():
            reasons.append("La date du COPIL ne peut pas être dans le futur.")
        if copil_meeting is not None and copil_meeting.committee.convention_id != convention.pk:
            reasons.append("Cette réunion n'est pas une réunion d'une instance de la convention.")
    if target == ConventionStatus.TERMINATED:
        if convention.open_amendment:
            reasons.append(
                f"L'avenant n° {convention.open_amendment.number} est en préparation : signez-le ou abandonnez-le "
                "avant de résilier."
            )
        if not terminated_on:
            reasons.append("Indiquez la date de la résiliation.")
        if not termination_reason.strip():
            reasons.append("Indiquez le motif de la résiliation.")
    return reasons


def convention_transition(
    *,
    convention: Convention,
    target: str,
    signature_date: date | None = None,
    signature_place: str = "",
    terminated_on: date | None = None,
    termination_reason: str = "",
    copil_date: date | None = None,
    copil_meeting=None,
    user=None,
) -> Convention:
    """Move a convention along its lifecycle, or refuse with every reason why (nothing is written then).

    Signing freezes the signed document in the same transaction (conventions/dossier/versions.py)."""
    move = MOVES.get(target)
    if move is None or convention.status not in move.sources:
        current = ConventionStatus(convention.status).label.lower()
        wanted = ConventionStatus(target).label.lower() if target in ConventionStatus.values else target
        raise TransitionRefused([f"Une convention « {current} » ne peut pas passer « {wanted} »."])
    reasons = move_blockers(
        convention=convention,
        target=target,
        signature_date=signature_date,
        signature_place=signature_place,
        terminated_on=terminated_on,
        termination_reason=termination_reason,
        copil_date=copil_date,
        copil_meeting=copil_meeting,
    )
    if reasons:
        raise TransitionRefused(reasons)

    with transaction.atomic():
        convention = Convention.objects.select_for_update().get(pk=convention.pk)
        convention.status = target
        if target == ConventionStatus.SIGNED:
            convention.signature_date = signature_date
            convention.signature_place = signature_place or convention.signature_place
            if convention.starts_on_signature and not convention.start_date:
                # "À compter de la date de signature": the start becomes known now.
                convention.start_date = signature_date
            if convention.previous_id:
                Convention.objects.filter(pk=convention.previous_id, status=ConventionStatus.SIGNED).update(
                    status=ConventionStatus.RENEWED
                )
        if target == ConventionStatus.COPIL_VALIDATED:
            convention.copil_validated_on = copil_date
            convention.copil_meeting = copil_meeting or copil_meeting_on(convention, copil_date)
        if target == ConventionStatus.TERMINATED:
            convention.terminated_on = terminated_on
            convention.termination_reason = termination_reason
        advance_version(convention)  # a form read before the move is stale
        convention.full_clean()
        convention.save()
        if target == ConventionStatus.SIGNED:
            from .dossier.versions import version_freeze  # the dossier reads the whole convention (lazy: it imports us)

            version_freeze(
                convention=convention,
                kind=VersionKind.SIGNED,
                signed_on=convention.signature_date,
                signed_at=convention.signature_place,
                user=user,
            )
    return convention


def copil_meeting_on(convention: Convention, day: date | None):
    """The COPIL meeting of the convention held that day, if one is recorded."""
    if day is None:
        return None
    meetings = Meeting.objects.filter(committee__convention=convention, date=day)
    return meetings.filter(committee__kind=CommitteeKind.COPIL).first() or meetings.first()


def amendment_open(*, convention: Convention, object: str) -> Amendment:
    """Start an avenant: until it is signed, the text and annexes of the signed convention reopen."""
    if not convention.is_signed or convention.status != ConventionStatus.SIGNED:
        raise TransitionRefused(["Un avenant ne s'ouvre que sur une convention signée et en cours."])
    if convention.open_amendment:
        raise TransitionRefused([f"L'avenant n° {convention.open_amendment.number} est déjà en préparation."])
    with transaction.atomic():
        number = (convention.amendments.aggregate(m=Max("number"))["m"] or 0) + 1
        amendment = Amendment(convention=convention, number=number, object=object.strip())
        amendment.full_clean()
        amendment.save()
    return amendment
