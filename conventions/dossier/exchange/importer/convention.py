"""The convention itself: its head, perimeter (territory tree), members and articles."""

from django.core.exceptions import ValidationError

from actions.levels import LABEL_FIELDS
from territories.models import Caf, Territory

from ....models import Clause, Convention, Edition, Membership
from ..format import FORMAT, READABLE_VERSIONS, VERSION, ConventionFileError
from .context import ImportContext, fields

# The names of the plan's levels (format version 2), defaults for a version 1 file.
LEVEL_DEFAULTS = [(name, Convention._meta.get_field(name).default) for name in LABEL_FIELDS]


def _level_names(names) -> dict[str, str]:
    names = names if isinstance(names, dict) else {}
    return {name: str(names.get(name) or "").strip() or default for name, default in LEVEL_DEFAULTS}


def import_convention_head(ctx: ImportContext) -> Convention:
    """The convention itself (head, perimeter, domains, members), saved; refused whole without it."""
    data = ctx.data
    if data.get("format") != FORMAT or data.get("version") not in READABLE_VERSIONS:
        raise ConventionFileError([f"Ce fichier n'est pas au format {FORMAT}, version {VERSION}."])
    head = data.get("convention") or {}
    reference = head.get("reference", "")
    if Convention.objects.filter(reference=reference).exists():
        raise ConventionFileError([f"Une convention de référence « {reference} » existe déjà."])
    caf = Caf.objects.filter(name=head.get("caf")).first()
    if caf is None:
        raise ConventionFileError([f"convention : Caf inconnue « {head.get('caf')} »."])
    edition = None
    if head.get("edition"):
        edition = Edition.objects.filter(code=head["edition"]).first()
        if edition is None:
            ctx.error("convention", f"modèle inconnu « {head['edition']} ».")
    previous = None
    if head.get("previous"):
        previous = Convention.objects.filter(reference=head["previous"]).first()
        if previous is None:
            ctx.warnings.append(f"Convention précédente « {head['previous']} » absente : lien non repris.")

    territory = import_territory(ctx, data.get("territory") or {}, "périmètre")
    convention = Convention(
        reference=reference,
        title=head.get("title", ""),
        caf=caf,
        territory=territory,
        edition=edition,
        status=head.get("status", "brouillon"),
        start_date=ctx.d(head.get("start_date"), "convention, date de début"),
        starts_on_signature=bool(head.get("starts_on_signature")),
        end_date=ctx.d(head.get("end_date"), "convention, date de fin"),
        visas=head.get("visas", ""),
        preamble=head.get("preamble", ""),
        copil_validated_on=ctx.d(head.get("copil_validated_on"), "convention, validation en COPIL"),
        signature_place=head.get("signature_place", ""),
        signature_date=ctx.d(head.get("signature_date"), "convention, date de signature"),
        prefecture_sent_on=ctx.d(head.get("prefecture_sent_on"), "convention, envoi en préfecture"),
        prefecture_received_on=ctx.d(head.get("prefecture_received_on"), "convention, réception en préfecture"),
        published_on=ctx.d(head.get("published_on"), "convention, publication"),
        act_id=head.get("act_id", ""),
        previous=previous,
        terminated_on=ctx.d(head.get("terminated_on"), "convention, résiliation"),
        termination_reason=head.get("termination_reason", ""),
        **_level_names(head.get("plan_levels")),
    )
    try:
        convention.full_clean(exclude=["territory"] if territory.pk is None else None)
    except ValidationError as exc:
        for messages in exc.message_dict.values():
            for message in messages:
                ctx.error("convention", message)
        raise ConventionFileError(ctx.errors)  # nothing else can be checked without the convention
    if territory.pk is None:
        raise ConventionFileError(ctx.errors)
    # Keep going after a bad row: the whole file is checked, then rolled back if anything failed.
    convention.save()
    convention.domains.set([ctx.domain(label) for label in head.get("domains", [])])
    for email in data.get("members", []):
        Membership.objects.create(convention=convention, user=ctx.user(email))
    return convention


def import_territory(ctx: ImportContext, data: dict, where: str, *, parent: Territory | None = None) -> Territory:
    territory = Territory(
        name=data.get("name", ""),
        kind=data.get("kind", "regroupement"),
        code=data.get("code", ""),
        epci=ctx.epci(data.get("epci"), where),
        parent=parent,
    )
    if data.get("parent"):
        territory.parent = import_territory(ctx, data["parent"], f"{where} parent")
    communes = [ctx.commune(code, where) for code in data.get("communes", [])]
    ctx.save(territory, where)
    if territory.pk:
        territory.communes.set([c for c in communes if c])
        for child in data.get("children", []):
            import_territory(ctx, child, f"sous-périmètre « {child.get('name', '')} »", parent=territory)
    return territory


def import_clauses(ctx: ImportContext, convention: Convention, items: list[dict]) -> None:
    for order, clause in enumerate(items, start=1):
        ctx.save(
            Clause(
                convention=convention,
                **fields(clause, number="", title="", body=""),
                order=order,
            ),
            f"article {clause.get('number') or order}",
        )
