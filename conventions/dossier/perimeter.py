"""What keeps a commune in a convention's perimeter: its signatories, fiches, equipment and AO competences."""

from django.db.models import Count

from actions.models import ActionSheet

from ..models import Convention


def communes_still_used(*, convention: Convention, communes) -> list[str]:
    """Why communes cannot leave the perimeter (one sentence per commune), in four queries whatever their number."""
    communes = list(communes)
    ids = [c.pk for c in communes]
    parties: dict[int, list[str]] = {}
    for commune_id, name in convention.parties.filter(commune_id__in=ids).values_list("commune_id", "name"):
        parties.setdefault(commune_id, []).append(name)
    fiches = dict(
        ActionSheet.objects.filter(convention=convention, target_communes__in=ids)
        .values("target_communes")
        .annotate(n=Count("pk", distinct=True))
        .values_list("target_communes", "n")
    )
    equipment = dict(
        convention.supported_equipment.filter(equipment__commune_id__in=ids)
        .values("equipment__commune_id")
        .annotate(n=Count("pk"))
        .values_list("equipment__commune_id", "n")
    )
    competences = set(convention.ao_competences.filter(commune_id__in=ids).values_list("commune_id", flat=True))
    problems = []
    for commune in communes:
        uses = [f"signataire « {name} »" for name in parties.get(commune.pk, [])]
        if fiches.get(commune.pk):
            n = fiches[commune.pk]
            uses.append(f"{n} fiche{'s' if n > 1 else ''}-action qui la ciblent")
        if equipment.get(commune.pk):
            n = equipment[commune.pk]
            uses.append(f"{n} équipement{'s' if n > 1 else ''} de l'annexe 2")
        if commune.pk in competences:
            uses.append("ses compétences d'autorité organisatrice")
        if uses:
            problems.append(f"{commune.name} ne peut pas quitter le périmètre : {', '.join(uses)}.")
    return problems
