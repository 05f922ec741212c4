"""A Convention JSON document imported as a new convention, all or nothing; the plan written by the actions
services.

One importer per section of the file, in this order, over a shared context (`.context`: lookups, savers, the
problems found so far): the convention itself (`.convention`: head, perimeter, members, articles), the
signatories (`.parties`), the diagnostic, the equipment, the plan d'actions (`.plan`, with `.indicators`), the
convention's own indicators, the committees and meetings, the avenants and AO competences (`.amendments`), the
bilans (`.reviews`). The document is first checked against the limits of `..limits` (depth, number of values).
"""

from django.db import transaction

from ....models import Convention
from ..format import ConventionFileError
from ..limits import convention_file_problems
from .amendments import import_amendments, import_ao_competences
from .committees import import_committees
from .context import ImportContext
from .convention import import_clauses, import_convention_head
from .diagnostic import import_diagnostic
from .equipment import import_equipment
from .indicators import import_indicator
from .parties import import_parties
from .plan import import_plan
from .reviews import import_reviews

__all__ = ["convention_import"]


def _import_sections(ctx: ImportContext) -> Convention:
    data = ctx.data
    convention = import_convention_head(ctx)
    parties = import_parties(ctx, convention, data.get("parties", []))
    import_clauses(ctx, convention, data.get("clauses", []))
    import_diagnostic(ctx, convention, data.get("diagnostic") or {})
    import_equipment(ctx, convention, data.get("equipment", []), parties)
    actions = import_plan(ctx, convention, data.get("plan") or {})
    for order, indicator in enumerate(data.get("indicators", []), start=1):
        import_indicator(ctx, convention, None, indicator, order, "indicateur de la convention")
    meetings = import_committees(ctx, convention, data.get("committees", []), actions)
    import_amendments(ctx, convention, data.get("amendments", []))
    import_ao_competences(ctx, convention, data.get("ao_competences", []))
    import_reviews(ctx, convention, data.get("reviews", []), meetings)
    if ctx.errors:
        raise ConventionFileError(ctx.errors)
    return convention


def convention_import(*, data: dict) -> tuple[Convention, list[str]]:
    """Create a convention from a Convention JSON document, all or nothing.

    Returns the convention and French warnings (open-list entries created, inactive accounts created).
    Raises ConventionFileError with every problem found, each naming its place in the file; a document past
    the limits (too deep, too many values) is refused before anything is read from it.
    """
    problems = convention_file_problems(data)
    if problems:
        raise ConventionFileError(problems)
    ctx = ImportContext(data)
    with transaction.atomic():
        convention = _import_sections(ctx)
    return convention, ctx.warnings
