"""The demo data loads, and matches the real conventions it was transcribed from (fixtures/seeds/)."""

import re
from pathlib import Path

from accounts.enums import Role
from accounts.models import User
from conventions.dossier.demo import DEMO_USERS, demo_load
from conventions.lifecycle import move_blockers
from conventions.models import Convention
from tests.pages import whole_convention_page

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
FIRMINY = "CTG-42-FIRMINY-2022"
SAINT_JEAN = "CTG-45-SAINT-JEAN-DE-LA-RUELLE-2022"
GIER = "CTG-42-PAYS-DU-GIER-P3-2023"


def seed(name: str) -> str:
    return next(SEEDS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")


def test_three_demo_conventions(demo_conventions):
    assert set(demo_conventions) == {FIRMINY, SAINT_JEAN, GIER}


def test_each_demo_convention_passes_the_guards_of_its_own_status(demo_conventions):
    """The product's own guards hold on its demo (issue 12): a signed demo has its date and place, no blank,
    named representatives and dated deliberations."""
    for reference, convention in demo_conventions.items():
        reasons = move_blockers(
            convention=convention,
            target=convention.status,
            signature_date=convention.signature_date,
            signature_place=convention.signature_place,
            terminated_on=convention.terminated_on,
            termination_reason=convention.termination_reason,
            copil_date=convention.copil_validated_on,
        )
        assert reasons == [], (reference, convention.status, reasons)


def test_loading_twice_adds_nothing(demo_conventions):
    counts = (Convention.objects.count(), User.objects.count())
    demo_load(full_reference=False)
    assert (Convention.objects.count(), User.objects.count()) == counts


def test_firminy_parties_communes_and_equipment(demo_conventions):
    convention = demo_conventions[FIRMINY]
    text = seed("000")
    parties = list(convention.parties.prefetch_related("representatives"))
    assert [p.kind for p in parties] == ["caf", "commune", "commune", "commune"]
    names = [r.name for p in parties for r in p.representatives.all()]
    assert names == ["Chantal LARGERON", "Marie-Pierre BRUSCHET", "Julien LUYA", "David FARA", "Cyrille BONNEFOY"]
    for name in names:
        assert name in text
    assert sorted(convention.territory.communes.values_list("name", flat=True)) == [
        "Firminy",
        "La Ricamarie",
        "Le Chambon-Feugerolles",
    ]
    assert [str(p.deliberation_date) for p in parties[1:]] == ["2022-12-05", "2022-12-07", "2022-12-06"]
    by_commune = {}
    for support in convention.supported_equipment.select_related("equipment__commune"):
        by_commune.setdefault(support.equipment.commune.name, []).append(support.equipment.name)
    assert {k: len(v) for k, v in by_commune.items()} == {
        "Firminy": 13,
        "Le Chambon-Feugerolles": 11,
        "La Ricamarie": 7,
    }
    assert "Crèche Les Ptit's Zaplous" in by_commune["Firminy"]
    assert "Ludothèque" in by_commune["Le Chambon-Feugerolles"]


def test_firminy_plan_follows_annex_3(demo_conventions):
    convention = demo_conventions[FIRMINY]
    assert list(convention.orientations.values_list("title", flat=True)) == [
        "Accompagner les parents dans leur vie familiale et professionnelle",
        "Soutenir les jeunesses du territoire",
        "Renforcer l'accès aux droits",
        "Encourager le vivre ensemble",
    ]
    text = seed("000")
    # Every axis of the seed's annex 3 is in the plan.
    seed_axes = len(re.findall(r"^Axe \d+ :", text, flags=re.MULTILINE))
    assert convention.orientations.values("axes").exclude(axes=None).count() == seed_axes
    kinds = {k: convention.actions.filter(kind=k).count() for k in ("a_conforter", "a_essayer", "nouvelle")}
    assert all(kinds.values()), kinds
    assert convention.actions.filter(title="Mobilisation du dispositif CLAS", kind="a_conforter").exists()
    assert convention.clauses.count() == 14
    assert convention.committees.filter(kind="copil").get().members.count() == 4


def test_saint_jean_has_every_action_of_annex_3(demo_conventions):
    convention = demo_conventions[SAINT_JEAN]
    seed_refs = set(re.findall(r"\t(\d\.\d+)\t", seed("003").split("ANNEXE 3 - Plan d'actions")[1]))
    refs = set(convention.actions.values_list("reference", flat=True))
    assert seed_refs <= refs
    assert refs - seed_refs == {"5"}  # « Animation et suivi de la CTG », outside every orientation
    assert convention.actions.get(reference="5").orientation is None
    assert convention.orientations.count() == 4
    action = convention.actions.get(reference="1.1")
    assert action.title == "Développer et faire connaître la mission de guichet unique du RPE"
    assert action.lead == "DCCAS - Petite Enfance"
    assert "guichet unique" in action.caf_means
    assert action.indicators.count() == 2
    assert convention.actions.get(reference="2.1").context.startswith("Des demandes particulières")
    assert convention.parties.count() == 2
    assert convention.supported_equipment.count() == 22  # every row of annexe 2
    assert convention.diagnostic.key_figures.filter(value=16445).exists()


def test_gier_p3_levels_and_perimeter(demo_conventions):
    convention = demo_conventions[GIER]
    p3_line = next(line for line in seed("004").splitlines() if line.startswith("P3\t"))
    assert convention.territory.code == "P3"
    assert convention.territory.communes.count() == len(p3_line.split("\t")[1].split(",")) + 1  # "… Jarez Tartaras"
    assert convention.territory.parent.communes.count() == 22
    assert convention.start_date is None and convention.starts_on_signature
    levels = set(convention.actions.values_list("level", flat=True))
    assert {"intercommunal", "sous_perimetres", "communal"} <= levels
    assert convention.actions.filter(title__icontains="crèche familiale", level="intercommunal").exists()


def test_one_demo_login_per_role_each_seeing_what_its_role_allows(demo_conventions):
    seen = {}
    for email, *_ in DEMO_USERS:
        user = User.objects.get(email=email)
        assert user.check_password("demo-ctg-2026")
        seen[email] = set(Convention.objects.visible_to(user).values_list("reference", flat=True))
    assert {u.role for u in User.objects.filter(email__in=[e for e, *_ in DEMO_USERS])} == set(Role)
    assert seen["conseillere@demo.ctg.fr"] == {FIRMINY, GIER}
    assert seen["conseiller.loiret@demo.ctg.fr"] == {SAINT_JEAN}
    assert seen["cooperation@demo.ctg.fr"] == {FIRMINY, SAINT_JEAN}
    assert seen["copil@demo.ctg.fr"] == {FIRMINY}
    assert seen["admin@demo.ctg.fr"] == {FIRMINY, SAINT_JEAN, GIER}


def test_convention_pages_show_the_seed_content(demo_conventions, client):
    import html

    client.force_login(User.objects.get(email="admin@demo.ctg.fr"))
    saint_jean = demo_conventions[SAINT_JEAN]
    body = html.unescape(whole_convention_page(client, saint_jean.pk))
    plan = body[body.index('id="plan"') : body.index('id="pilotage"')]
    for orientation in saint_jean.orientations.prefetch_related("actions"):
        start = plan.index(orientation.title[:40])
        for action in orientation.actions.all():
            assert f">{action.reference}<" in plan[start:], action.reference  # listed after its orientation
    assert ">5<" in plan  # « Animation et suivi de la CTG », outside every orientation

    firminy = demo_conventions[FIRMINY]
    body = html.unescape(whole_convention_page(client, firminy.pk))
    for name in ("Chantal LARGERON", "Marie-Pierre BRUSCHET", "Julien LUYA", "David FARA", "Cyrille BONNEFOY"):
        assert name in body
    equipment = body[body.index('id="equipements"') : body.index('id="plan"')]
    for commune, count in (("Firminy", 13), ("Le Chambon-Feugerolles", 11), ("La Ricamarie", 7)):
        assert f"{commune} <small" in equipment and f"({count} équipements)" in equipment
