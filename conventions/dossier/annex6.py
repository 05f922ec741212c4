"""Annexe 6: the deliberations of the parties, appended to the convention (and avenant) PDF as their own pages.

The visas cite « la délibération … figurant en annexe 6 »: the printed document carries them, after a cover page
(part of the rendered HTML) that lists every deliberating party, « à joindre » when its PDF is not deposited yet.
The deposited PDFs were checked by pypdf at upload (core/uploads.py); one the storage lost is listed, not fatal.
"""

import io
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter

from core.text import french_long_date

from ..enums import PartyKind
from ..models import Party


@dataclass(frozen=True)
class Annex6Entry:
    party: Party
    attached: bool

    @property
    def label(self) -> str:
        body = self.party.deliberation_body or "délibération"
        when = f" du {french_long_date(self.party.deliberation_date)}" if self.party.deliberation_date else ""
        return f"{self.party.name} – {body}{when}"


def deliberating_parties(parties: list[Party]) -> list[Party]:
    """The parties whose council deliberates on the convention (every one but the Caf)."""
    return [party for party in parties if party.kind != PartyKind.CAF]


def annex6_entries(*, parties: list[Party]) -> list[Annex6Entry]:
    return [Annex6Entry(party=p, attached=bool(p.deliberation_document)) for p in deliberating_parties(parties)]


# The model texts' generic visa (« Vu la délibération du conseil municipal figurant en annexe 6 … »), written
# for one commune: it is reworded for the parties actually deliberating. A visa naming its deliberation stays.
def _deliberation_reader(party: Party) -> PdfReader | None:
    try:
        with party.deliberation_document.open("rb") as handle:
            return PdfReader(io.BytesIO(handle.read()))
    except Exception:  # lost by the storage, or unreadable: the cover page already lists it
        return None


def append_deliberations(*, pdf: bytes, parties: list[Party]) -> bytes:
    """The rendered document followed by the deposited deliberations' pages, in the order of the parties.

    The document's catalogue (XMP metadata and output intent of a PDF/A, language, structure) is kept."""
    readers = [r for p in deliberating_parties(parties) if p.deliberation_document if (r := _deliberation_reader(p))]
    if not readers:
        return pdf
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for reader in readers:
        for page in reader.pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
