"""Form data and checks shared by the view tests of actions."""

import html

from actions.models import ActionSheet
from tests.pages import HTMX, count_queries

__all__ = ["HTMX", "count_queries", "edit_data", "error_next_to", "fiche_data"]


DUPLICATE_REFERENCE = "Une fiche-action porte déjà cette référence dans la convention."
END_BEFORE_START = "L'année de fin doit être égale ou postérieure à l'année de début."


def error_next_to(body: str, field_id: str, message: str) -> bool:
    """The message sits in the error block that the field points to (aria-describedby)."""
    return f'id="{field_id}-erreurs" role="alert">{message}' in html.unescape(body)


def fiche_data(**overrides) -> dict:
    data = {
        "reference": "2.1",
        "title": "Créer un lieu d'accueil enfants-parents",
        "kind": "nouvelle",
        "level": "communal",
        "target_public": "Parents d'enfants de moins de 6 ans",
        "target_territory": "",
        "lead": "Centre social",
        "pilots": "",
        "partners": "Caf, PMI",
        "context": "Pas de LAEP sur la commune.",
        "objectives": "Ouvrir un LAEP",
        "implementation": "Étude de faisabilité",
        "expected_results": "",
        "vigilance": "",
        "schedule": "2023-2024",
        "start_year": "2023",
        "end_year": "2024",
        "due": "31/12/2024",
        "budget_amount": "12500",
        "budget_text": "",
        "caf_means": "Prestation de service LAEP",
        "status": "a_lancer",
        "status_reason": "",
        "progress": "0",
    }
    data.update(overrides)
    return data


def edit_data(action: ActionSheet, **overrides) -> dict:
    data = fiche_data(reference=action.reference, title=action.title, marker=str(action.lock_version))
    data.update(overrides)
    return data
