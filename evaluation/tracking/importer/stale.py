"""Why a confirmed import is refused when the rows it updates changed since its preview."""

from actions.models import ActionSheet
from core.locking import changed_on

from ...models import Indicator, Measurement
from ..cells import _shown


def stale_message(expected: dict[str, str], found: dict[str, str]) -> str:
    """Why the confirmation is refused: what changed since the preview, by whom and when."""
    keys = sorted(k for k in expected.keys() | found.keys() if expected.get(k) != found.get(k))
    kind, pk = keys[0].split(":")
    model = {"fiche": ActionSheet, "indicateur": Indicator, "valeur": Measurement}[kind]
    record = model.history.filter(id=int(pk)).select_related("history_user").order_by("-history_id").first()
    if record is None:
        what = "une donnée modifiée"
    else:
        if kind == "fiche":
            what = f"fiche « {record.reference} » modifiée"
        elif kind == "indicateur":
            what = f"indicateur « {_shown(record.label)} » modifié"
        else:
            period = f"{record.year}" + (f" T{record.quarter}" if record.quarter else "")
            what = f"valeur {period} modifiée"
        if record.history_user:
            what += f" par {record.history_user}"
        what += f" le {changed_on(record)}"
    if len(keys) > 1:
        what += f", et {len(keys) - 1} autre{'s' if len(keys) > 2 else ''}"
    return f"Des données ont changé depuis l'aperçu ({what}) : relancez l'import pour voir l'aperçu à jour."
