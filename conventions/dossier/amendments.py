"""Avenants as documents (issue 11).

While an avenant is open the adviser edits the text and annexes as usual; `amendment_comparison` compares the
convention as it stands with the last signed state (the latest frozen signed or consolidated version's snapshot).
The avenant PDF is its own document: « Avenant n° N à la convention territoriale globale … », the parties, the
visas (the convention and its signature, the deliberations), its object, one article per change in the usual legal
form, « Les autres dispositions demeurent inchangées. », « Fait à …, le … » and the signature blocks, « PROJET »
across every page until signed. Signing it (`amendment_sign`) keeps the state of the convention, freezes the
avenant and the « version consolidée intégrant l'avenant n° N » (conventions/dossier/versions.py); a signature
posted over a preview of other data (its fingerprint) is refused.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.text import slugify

from core.pdf import html_to_pdf
from territories.grammar import name_of

from ..enums import VersionKind
from ..lifecycle import TransitionRefused
from ..models import Amendment, Convention, ConventionVersion, Party, Representative
from .annex6 import annex6_entries, append_deliberations, deliberating_parties
from .comparison import Comparison, snapshots_compare
from .exchange import convention_export
from .fingerprint import convention_fingerprint
from .pdf import convention_pdf_filename, party_groups
from .versions import version_freeze


def amendment_base_snapshot(*, amendment: Amendment) -> dict | None:
    """The last signed state before this avenant: the latest frozen signed or consolidated version, else the
    snapshot kept by the previous avenant (conventions signed before versions existed), else None."""
    version = (
        ConventionVersion.objects.filter(convention_id=amendment.convention_id)
        .exclude(kind=VersionKind.AMENDMENT)
        .exclude(amendment__number__gte=amendment.number)
        .order_by("-number")
        .only("snapshot")
        .first()
    )
    if version is not None:
        return version.snapshot
    previous = (
        Amendment.objects.filter(convention_id=amendment.convention_id, number__lt=amendment.number)
        .exclude(snapshot=None)
        .order_by("-number")
        .first()
    )
    return previous.snapshot if previous else None


def amendment_comparison(*, amendment: Amendment, current: dict | None = None) -> Comparison | None:
    """What the avenant changes, or None when no signed state is kept to compare with."""
    base = amendment_base_snapshot(amendment=amendment)
    if base is None:
        return None
    after = amendment.snapshot if amendment.signed_on and amendment.snapshot else current
    if after is None:
        after = convention_export(convention=amendment.convention)
    return snapshots_compare(before=base, after=after)


@dataclass(frozen=True)
class AmendmentArticle:
    """One article of the avenant: its heading, its sentence in legal form, and what follows it."""

    heading: str
    sentence: str
    body: str = ""
    items: tuple[str, ...] = ()


def amendment_articles(comparison: Comparison | None) -> list[AmendmentArticle]:
    """One article per change, in the order of the convention: préambule, articles, périmètre, signataires,
    annexe 3 (fiches), annexe 5 (indicateurs); the last says that the rest is unchanged."""
    articles: list[tuple[str, str, str, tuple[str, ...]]] = []
    if comparison is not None:
        if comparison.preamble:
            new = "".join(s.text for s in comparison.preamble if s.op != "delete")
            articles.append(("Le préambule est remplacé par les dispositions suivantes :", new, ()))
        for clause in comparison.clauses:
            name = f"L'article {clause.number}" if clause.number else f"L'article « {clause.title} »"
            if clause.change == "modifié":
                articles.append((f"{name} est remplacé par les dispositions suivantes :", clause.body, ()))
            elif clause.change == "ajouté":
                articles.append(
                    (f"Il est ajouté un article {clause.number} « {clause.title} » ainsi rédigé :", clause.body, ())
                )
            else:
                articles.append((f"{name} « {clause.title} » est supprimé.", "", ()))
        if comparison.communes_added or comparison.communes_removed:
            items = tuple(f"la commune {name_of(n).de} est ajoutée au périmètre" for n in comparison.communes_added)
            items += tuple(f"la commune {name_of(n).de} est retirée du périmètre" for n in comparison.communes_removed)
            articles.append(("Le périmètre de la convention est modifié comme suit :", "", items))
        if comparison.parties:
            articles.append(("La liste des signataires est modifiée comme suit :", "", _item_lines(comparison.parties)))
        if comparison.fiches:
            articles.append(("L'annexe 3 est modifiée comme suit :", "", _item_lines(comparison.fiches)))
        if comparison.indicators:
            articles.append(("L'annexe 5 est modifiée comme suit :", "", _item_lines(comparison.indicators)))
    articles.append(("Les autres dispositions de la convention demeurent inchangées.", "", ()))
    return [
        AmendmentArticle(heading=f"Article {n}", sentence=sentence, body=body, items=items)
        for n, (sentence, body, items) in enumerate(articles, start=1)
    ]


def _item_lines(changes) -> tuple[str, ...]:
    lines = []
    for change in changes:
        if change.change == "ajouté":
            lines.append(f"{change.label} : ajout")
        elif change.change == "supprimé":
            lines.append(f"{change.label} : suppression")
        else:
            details = " ; ".join(f"{f.label} : « {f.old} » devient « {f.new} »" for f in change.fields)
            lines.append(f"{change.label} : {details}")
    return tuple(lines)


def amended_name(title: str) -> str:
    """What an avenant amends, after « à la » : the convention's own title when it says it is a convention
    territoriale globale (« convention territoriale globale 2022 – 2026 – Firminy… »), else that phrase and the
    title in quotes."""
    if title.lower().startswith("convention territoriale globale"):
        return "c" + title[1:]
    return f"convention territoriale globale « {title} »"


def amendment_print_context(*, amendment: Amendment, signed_on: date | None = None, signed_at: str = "") -> dict:
    convention = Convention.objects.select_related("caf").get(pk=amendment.convention_id)
    parties = list(
        Party.objects.filter(convention=convention)
        .prefetch_related(Prefetch("representatives", queryset=Representative.objects.order_by("order", "pk")))
        .order_by("order", "pk")
    )
    signed_on = signed_on or amendment.signed_on
    amended = amended_name(convention.title)
    return {
        "document_title": f"Avenant n° {amendment.number} à la {amended}",
        "amended_name": amended,
        "document_author": convention.caf.name,
        "document_date": signed_on,
        "amendment": amendment,
        "convention": convention,
        "caf": convention.caf,
        "party_groups": party_groups(parties),
        "deliberating": deliberating_parties(parties),
        "annex6": annex6_entries(parties=parties),
        "articles": amendment_articles(amendment_comparison(amendment=amendment)),
        "signed_on": signed_on,
        "signed_at": signed_at or convention.signature_place,
        "draft": signed_on is None,
        "signature_blocks": [(p, r) for p in parties for r in (list(p.representatives.all()) or [None])],
    }


def render_amendment_html(*, amendment: Amendment, signed_on: date | None = None, signed_at: str = "") -> str:
    context = amendment_print_context(amendment=amendment, signed_on=signed_on, signed_at=signed_at)
    return render_to_string("pdf/amendment.html", context)


def render_amendment_pdf(*, amendment: Amendment) -> bytes:
    """The avenant as it would be signed now, « PROJET » on every page (the signed one is a frozen version)."""
    pdf = html_to_pdf(html=render_amendment_html(amendment=amendment))
    return append_deliberations(pdf=pdf, parties=list(amendment.convention.parties.order_by("order", "pk")))


def amendment_pdf_filename(amendment: Amendment) -> str:
    """« CTG-42-FIRMINY-2022-avenant-1.pdf »."""
    return f"{convention_pdf_filename(amendment.convention).removesuffix('.pdf')}-avenant-{amendment.number}.pdf"


def amendment_fingerprint(*, amendment: Amendment) -> str:
    """Changes whenever what the avenant page compares or prints changes: a signature must follow its preview."""
    return f"{slugify(str(amendment.number))}-{convention_fingerprint(convention_id=amendment.convention_id)}"


def amendment_sign(
    *,
    amendment: Amendment,
    signed_on: date,
    changes: str,
    signed_at: str = "",
    fingerprint: str = "",
    user=None,
) -> Amendment:
    """Sign the avenant: the text closes again, the state of the convention is kept with it, and the avenant and
    the consolidated version are frozen. Refused over a preview of other data (`fingerprint` of the page read)."""
    if amendment.signed_on:
        raise TransitionRefused([f"L'avenant n° {amendment.number} est déjà signé."])
    reasons = []
    if not changes.strip():
        reasons.append("Décrivez les modifications apportées par l'avenant.")
    if fingerprint and fingerprint != amendment_fingerprint(amendment=amendment):
        reasons.append(
            "La convention a changé depuis l'aperçu de l'avenant : relisez la comparaison et le PDF avant de signer."
        )
    convention = amendment.convention
    if signed_on and convention.signature_date and signed_on < convention.signature_date:
        reasons.append("L'avenant ne peut pas être signé avant la convention.")
    if reasons:
        raise TransitionRefused(reasons)
    with transaction.atomic():
        locked = Amendment.objects.select_for_update().get(pk=amendment.pk)
        if locked.signed_on:
            raise TransitionRefused([f"L'avenant n° {amendment.number} est déjà signé."])
        amendment.signed_on = signed_on
        amendment.changes = changes.strip()
        amendment.snapshot = convention_export(convention=convention)
        amendment.full_clean()
        amendment.save()
        place = signed_at.strip() or convention.signature_place
        for kind in (VersionKind.AMENDMENT, VersionKind.CONSOLIDATED):
            version_freeze(
                convention=convention, kind=kind, signed_on=signed_on, signed_at=place, amendment=amendment, user=user
            )
    return amendment
