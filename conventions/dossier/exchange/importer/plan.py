"""The plan d'actions: its nodes and fiches, written by the actions services (timeline points too)."""

from django.core.exceptions import ValidationError

from actions import services
from actions.enums import DuePrecision
from actions.models import ActionSheet, Axis, BudgetLine, Methodology, Objective, Orientation, Priority, StatusUpdate

from ....models import Convention
from .context import ImportContext, fields
from .indicators import import_indicator

# The fiche's free texts and codes (in alphabetical order), "" when the file leaves them out.
ACTION_TEXTS = (
    "budget_text",
    "caf_means",
    "context",
    "expected_results",
    "implementation",
    "kind",
    "lead",
    "level",
    "objectives",
    "partners",
    "pilots",
    "schedule",
    "status_reason",
    "target_public",
    "target_territory",
    "title",
    "vigilance",
)


def import_plan(ctx: ImportContext, convention: Convention, data: dict) -> dict[str, ActionSheet]:
    """The plan, written by the actions services (nodes in the file's order, fiches numbered across it)."""
    actions: dict[str, ActionSheet] = {}
    counter = iter(range(1, 100_000))
    objectives: dict[str, Objective] = {}  # by their key in the file (format version 2)

    def node(model, where: str, create, item: dict, order: int, **parent):
        """The node `item` describes, written by `create` (a service) under `parent`; unsaved when refused
        (reported)."""
        try:
            return create(number=item.get("number", ""), title=item.get("title", ""), order=order, **parent)
        except ValidationError as exc:
            ctx.refused(model, where, exc)
            return model()

    def add_actions(items, place=None):
        for item in items:
            import_action(ctx, convention, item, next(counter), actions, place)

    def add_objectives(items, parent):
        for order, item in enumerate(items, start=1):
            objective = node(
                Objective,
                f"objectif « {item.get('title', '')[:40]} »",
                services.objective_create,
                item,
                order,
                parent=parent,
            )
            if objective.pk is not None:
                objectives[str(item.get("key", ""))] = objective
                add_actions(item.get("actions", []), objective)

    for order, item in enumerate(data.get("orientations", []), start=1):
        orientation = node(
            Orientation,
            f"orientation {item.get('number') or order}",
            services.orientation_create,
            item,
            order,
            convention=convention,
        )
        if orientation.pk is None:
            continue
        for rank, axis_data in enumerate(item.get("axes", []), start=1):
            axis = node(
                Axis,
                f"axe {axis_data.get('number') or rank} de l'orientation {item.get('number') or order}",
                services.axis_create,
                axis_data,
                rank,
                orientation=orientation,
            )
            if axis.pk is None:
                continue
            add_objectives(axis_data.get("objectives", []), axis)
            add_actions(axis_data.get("actions", []), axis)
        add_objectives(item.get("objectives", []), orientation)
        add_actions(item.get("actions", []), orientation)
    add_actions(data.get("actions", []))
    _link_also_objectives(ctx, data, actions, objectives)
    return actions


def _link_also_objectives(ctx: ImportContext, data: dict, actions: dict, objectives: dict) -> None:
    """Each fiche's « contribue aussi à », once every objective of the file exists."""

    def items(node):
        if not isinstance(node, dict):
            return
        yield from (item for item in node.get("actions", []) if isinstance(item, dict))
        for child in (*node.get("orientations", []), *node.get("axes", []), *node.get("objectives", [])):
            yield from items(child)

    for item in items(data):
        action = actions.get(str(item.get("reference", "")))
        keys = item.get("also_objectives") or []
        keys = keys if isinstance(keys, list) else [keys]
        if action is None or action.pk is None or not keys:
            continue
        where = f"fiche-action « {action.reference} », contribue aussi à"
        unknown = [str(key) for key in keys if str(key) not in objectives]
        if unknown:
            ctx.error(where, f"objectif(s) absent(s) du fichier : {', '.join(unknown)}.")
            continue
        try:
            services.action_also_objectives_set(action=action, objectives=[objectives[str(key)] for key in keys])
        except ValidationError as exc:
            ctx.refused(ActionSheet, where, exc)


def import_action(ctx: ImportContext, convention, item, order, actions, place) -> None:
    reference = str(item.get("reference", ""))
    where = f"fiche-action « {reference} »"
    if reference in actions:
        ctx.error(where, "référence en double dans le fichier.")
        return
    priority = methodology = None
    if item.get("priority"):
        priority = ctx.open_item(Priority, item["priority"])
    if item.get("methodology"):
        methodology = ctx.open_item(Methodology, item["methodology"])
    action = ActionSheet(
        convention=convention,
        reference=reference,
        **fields(item, **dict.fromkeys(ACTION_TEXTS, ""), status="a_lancer", progress=0),
        start_year=item.get("start_year"),
        end_year=item.get("end_year"),
        due_date=ctx.d(item.get("due_date"), where),
        due_precision=item.get("due_precision") or DuePrecision.DAY,  # a version 1 file has full dates only
        budget_amount=ctx.dec(item.get("budget_amount"), where),
        priority=priority,
        methodology=methodology,
    )
    domains = [d for d in (ctx.domain(label) for label in item.get("domains", [])) if d]
    communes = [c for c in (ctx.commune(code, where) for code in item.get("target_communes", [])) if c]
    try:
        services.action_sheet_create(action=action, place=place, domains=domains, target_communes=communes, order=order)
    except ValidationError as exc:
        ctx.refused(ActionSheet, where, exc)
    actions[reference] = action
    if action.pk is None:
        return
    for rank, indicator in enumerate(item.get("indicators", []), start=1):
        import_indicator(ctx, convention, action, indicator, rank, f"{where}, indicateur {rank}")
    for rank, update in enumerate(item.get("status_updates", []), start=1):
        try:
            services.timeline_add(
                action=action,
                date=ctx.d(update.get("date"), where),
                status=update.get("status", ""),
                progress=update.get("progress", 0),
                comment=update.get("comment", ""),
                author=ctx.user(update.get("author")),
            )
        except ValidationError as exc:
            ctx.refused(StatusUpdate, f"{where}, point d'avancement {rank}", exc)
    for rank, line in enumerate(item.get("budget_lines", []), start=1):
        line_where = f"{where}, ligne budgétaire {rank}"
        ctx.save(
            BudgetLine(
                action=action,
                year=line.get("year"),
                funder=line.get("funder", ""),
                funder_name=line.get("funder_name", ""),
                nature=line.get("nature", "fonctionnement"),
                planned=ctx.dec(line.get("planned"), line_where),
                actual=ctx.dec(line.get("actual"), line_where),
                is_caf_means=bool(line.get("is_caf_means")),
                note=line.get("note", ""),
            ),
            line_where,
        )
