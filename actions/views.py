"""Annexe 3 in the browser: the fiche-action page (read) and the plan editing screens.

Editing is for the users who may write the convention (`can_edit_convention`), while its text is open
(`get_text_editable_convention`: refused once signed, unless an avenant is being prepared). Every form
works as a plain POST followed by a redirect; the plan page adds htmx so that reordering, renaming and
adding refresh only the tree.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import Truncator
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from conventions.models import Convention
from conventions.perms import can_edit_convention, get_text_editable_convention, get_visible_convention
from evaluation.models import Indicator
from territories.models import Commune

from . import services
from .forms import (
    ActionSheetCreateForm,
    ActionSheetForm,
    ActionSheetMoveForm,
    PlanNodeForm,
    action_place_key,
    place_key,
)
from .models import ActionSheet, Axis, Objective, Orientation
from .plan import plan_tree

NODE_MODELS = {"orientation": Orientation, "axe": Axis, "objectif": Objective}
NODE_NAMES = {"orientation": "l'orientation", "axe": "l'axe", "objectif": "l'objectif"}
NODE_DELETED = {"orientation": "Orientation supprimée", "axe": "Axe supprimé", "objectif": "Objectif supprimé"}


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _get_node(convention: Convention, kind: str, pk: int) -> Orientation | Axis | Objective:
    """A node of this convention's plan; 404 for any other (another convention's node included)."""
    model = NODE_MODELS.get(kind)
    if model is None:
        raise Http404("Élément du plan introuvable.")
    lookup = "convention" if model is Orientation else "orientation__convention"
    return get_object_or_404(model.objects.filter(**{lookup: convention}), pk=pk)


def _lookup_place(convention: Convention, value: str) -> Orientation | Axis | Objective | None:
    """A posted « place dans le plan » ("" or "axe-12") as a node of this convention; 404 otherwise."""
    if not value:
        return None
    kind, _, pk = value.partition("-")
    if not pk.isdigit():
        raise Http404("Élément du plan introuvable.")
    return _get_node(convention, kind, int(pk))


def _get_action(convention: Convention, pk: int) -> ActionSheet:
    return get_object_or_404(ActionSheet.objects.filter(convention=convention), pk=pk)


def _short(node) -> str:
    return Truncator(str(node)).chars(80)


def _add_errors(form: Form, exc: ValidationError) -> None:
    """Show a service's refusal on the form: next to the field when it names one, above the form otherwise."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# -- the fiche page -------------------------------------------------------------------------------------


@require_GET
@login_required
def action_detail(request: HttpRequest, convention_pk: int, pk: int) -> HttpResponse:
    convention = get_visible_convention(request.user, convention_pk)
    action = get_object_or_404(
        ActionSheet.objects.filter(convention=convention)
        .select_related("orientation", "axis", "objective", "priority", "methodology")
        .prefetch_related("domains", Prefetch("target_communes", queryset=Commune.objects.order_by("name"))),
        pk=pk,
    )
    indicators = list(Indicator.objects.filter(action=action).prefetch_related("measurements").order_by("order", "pk"))
    updates = list(action.updates.select_related("author").order_by("-date", "-created_at"))
    can_edit = can_edit_convention(request.user, convention)
    context = {
        "convention": convention,
        "action": action,
        "indicators": indicators,
        "updates": updates,
        "can_edit": can_edit,
        "editable": can_edit and not convention.is_text_locked,
    }
    return render(request, "actions/detail.html", context)


# -- fiche forms ----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def action_create(request: HttpRequest, convention_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    tree = plan_tree(convention=convention)
    instance = ActionSheet(convention=convention)
    if request.method == "POST":
        form = ActionSheetCreateForm(request.POST, instance=instance, convention=convention, tree=tree)
        if form.is_valid():
            try:
                action = services.action_sheet_create(
                    action=form.save(commit=False),
                    place=form.cleaned_data["place"],
                    domains=form.cleaned_data["domains"],
                    target_communes=form.cleaned_data["target_communes"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, f"Fiche-action {action.reference} créée.")
                return redirect("actions:detail", convention_pk=convention.pk, pk=action.pk)
    else:
        form = ActionSheetCreateForm(instance=instance, convention=convention, tree=tree)
        wanted = request.GET.get("place", "")
        if wanted in form.places:
            form.initial["place"] = wanted
    context = {"convention": convention, "form": form, "action": None}
    return render(request, "actions/form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def action_edit(request: HttpRequest, convention_pk: int, pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    action = _get_action(convention, pk)
    if request.method == "POST":
        form = ActionSheetForm(request.POST, instance=action, convention=convention)
        if form.is_valid():
            try:
                services.action_sheet_update(
                    action=form.save(commit=False),
                    expected_version=form.expected_version,
                    domains=form.cleaned_data["domains"],
                    target_communes=form.cleaned_data["target_communes"],
                )
            except ValidationError as exc:  # StaleEditError included: saved by someone else in between
                _add_errors(form, exc)
            else:
                messages.success(request, f"Fiche-action {action.reference} enregistrée.")
                return redirect("actions:detail", convention_pk=convention.pk, pk=action.pk)
    else:
        form = ActionSheetForm(instance=action, convention=convention)
    return render(request, "actions/form.html", {"convention": convention, "form": form, "action": action})


@require_http_methods(["GET", "POST"])
@login_required
def action_move(request: HttpRequest, convention_pk: int, pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    action = _get_action(convention, pk)
    if request.method == "POST":
        place = _lookup_place(convention, request.POST.get("place", ""))
        try:
            services.action_sheet_move(action=action, place=place)
        except ValidationError as exc:
            return _plan_refused(request, convention, " ".join(exc.messages), anchor=f"fiche-{action.pk}")
        where = f"sous « {_short(place)} »" if place else "hors orientation"
        return _after_plan_change(
            request, convention, f"Fiche-action {action.reference} déplacée {where}.", anchor=f"fiche-{action.pk}"
        )
    form = ActionSheetMoveForm(
        initial={"place": action_place_key(action)},
        tree=plan_tree(convention=convention),
        auto_id=f"deplacer-{action.pk}-%s",
    )
    context = {"convention": convention, "action": action, "form": form, "inline": _is_htmx(request)}
    if _is_htmx(request):
        # The plan page swaps its « Déplacer » link for this form: one select at a time, not one per fiche.
        form.fields["place"].widget.attrs["autofocus"] = True
        return render(request, "actions/_move_form.html", context)
    return render(request, "actions/move.html", context)


# -- the plan page --------------------------------------------------------------------------------------


def _plan_context(convention: Convention) -> dict:
    tree = plan_tree(convention=convention)
    # Keys give every form of the page a stable id (htmx puts the focus back on it after a swap).
    for orientation_node in tree.orientations:
        orientation_node.orientation.key = place_key(orientation_node.orientation)
        for axis_node in orientation_node.axes:
            axis_node.axis.key = place_key(axis_node.axis)
            for objective_node in axis_node.objectives:
                objective_node.objective.key = place_key(objective_node.objective)
        for objective_node in orientation_node.objectives:
            objective_node.objective.key = place_key(objective_node.objective)
    return {"convention": convention, "plan": tree}


def _plan_url(convention: Convention, anchor: str = "") -> str:
    return reverse("actions:plan_edit", args=[convention.pk]) + (f"#{anchor}" if anchor else "")


def _after_plan_change(request: HttpRequest, convention: Convention, message: str, anchor: str = "") -> HttpResponse:
    """The refreshed tree for htmx; otherwise a message and a redirect to the plan page."""
    if _is_htmx(request):
        context = {**_plan_context(convention), "status_message": message, "status_level": "success"}
        return render(request, "actions/_plan_tree_response.html", context)
    messages.success(request, message)
    return redirect(_plan_url(convention, anchor))


def _plan_refused(request: HttpRequest, convention: Convention, message: str, anchor: str = "") -> HttpResponse:
    if _is_htmx(request):
        context = {**_plan_context(convention), "status_message": message, "status_level": "danger"}
        return render(request, "actions/_plan_tree_response.html", context)
    messages.error(request, message)
    return redirect(_plan_url(convention, anchor))


@require_GET
@login_required
def plan_edit(request: HttpRequest, convention_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    return render(request, "actions/plan_edit.html", _plan_context(convention))


def _node_form(
    request: HttpRequest,
    *,
    convention: Convention,
    form_id: str,
    heading: str,
    submit_label: str,
    save,
    done: str,
    initial: dict | None = None,
) -> HttpResponse:
    """Add or rename a node: the same short form inline on the plan page and as a page of its own."""
    if request.method == "POST":
        form = PlanNodeForm(request.POST)
        if form.is_valid():
            try:
                node = save(form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                return _after_plan_change(request, convention, done, anchor=place_key(node))
    else:
        form = PlanNodeForm(initial=initial)
    context = {
        "convention": convention,
        "form": form,
        "form_id": form_id,
        "heading": heading,
        "submit_label": submit_label,
        "action_url": request.path,
        "inline": _is_htmx(request),
    }
    if _is_htmx(request):
        # Only the form, with its errors, replaces itself in the plan page.
        response = render(request, "actions/_node_form.html", context)
        response["HX-Retarget"] = f"#{form_id}"
        response["HX-Reswap"] = "outerHTML"
        return response
    return render(request, "actions/node_form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def orientation_create(request: HttpRequest, convention_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    return _node_form(
        request,
        convention=convention,
        form_id="ajouter-orientation",
        heading="Ajouter une orientation",
        submit_label="Ajouter l'orientation",
        save=lambda data: services.orientation_create(convention=convention, **data),
        done="Orientation ajoutée.",
    )


@require_http_methods(["GET", "POST"])
@login_required
def axis_create(request: HttpRequest, convention_pk: int, orientation_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    orientation = _get_node(convention, "orientation", orientation_pk)
    return _node_form(
        request,
        convention=convention,
        form_id=f"ajouter-axe-{place_key(orientation)}",
        heading=f"Ajouter un axe à l'orientation « {_short(orientation)} »",
        submit_label="Ajouter l'axe",
        save=lambda data: services.axis_create(orientation=orientation, **data),
        done=f"Axe ajouté à l'orientation « {_short(orientation)} ».",
    )


@require_http_methods(["GET", "POST"])
@login_required
def objective_create(request: HttpRequest, convention_pk: int, parent_kind: str, parent_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    if parent_kind == "objectif":
        raise Http404("Un objectif se place sous une orientation ou un axe.")
    parent = _get_node(convention, parent_kind, parent_pk)
    return _node_form(
        request,
        convention=convention,
        form_id=f"ajouter-objectif-{place_key(parent)}",
        heading=f"Ajouter un objectif opérationnel sous « {_short(parent)} »",
        submit_label="Ajouter l'objectif",
        save=lambda data: services.objective_create(parent=parent, **data),
        done=f"Objectif ajouté sous « {_short(parent)} ».",
    )


@require_http_methods(["GET", "POST"])
@login_required
def node_rename(request: HttpRequest, convention_pk: int, node_kind: str, node_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    node = _get_node(convention, node_kind, node_pk)
    return _node_form(
        request,
        convention=convention,
        form_id=f"renommer-{place_key(node)}",
        heading=f"Renommer {NODE_NAMES[node_kind]} « {_short(node)} »",
        submit_label="Enregistrer",
        save=lambda data: services.plan_node_rename(node=node, **data),
        done="Intitulé enregistré.",
        initial={"number": node.number, "title": node.title},
    )


@require_POST
@login_required
def node_move(request: HttpRequest, convention_pk: int, node_kind: str, node_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    node = _get_node(convention, node_kind, node_pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        return HttpResponseBadRequest("Indiquez « up » ou « down ».")
    if not services.plan_node_move(node=node, direction=direction):
        where = "première" if direction == "up" else "dernière"
        return _plan_refused(request, convention, f"« {_short(node)} » est déjà en {where} position.", place_key(node))
    way = "monte" if direction == "up" else "descend"
    return _after_plan_change(request, convention, f"« {_short(node)} » {way} d'un rang.", anchor=place_key(node))


@require_http_methods(["GET", "POST"])
@login_required
def node_delete(request: HttpRequest, convention_pk: int, node_kind: str, node_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    node = _get_node(convention, node_kind, node_pk)
    error = ""
    if request.method == "POST":
        try:
            services.plan_node_delete(node=node)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, f"{NODE_DELETED[node_kind]} : « {_short(node)} ».")
            return redirect(_plan_url(convention))
    context = {
        "convention": convention,
        "node": node,
        "node_name": NODE_NAMES[node_kind],
        "error": error,
        "action_count": services.plan_node_actions(node=node).count(),
        "axis_count": node.axes.count() if isinstance(node, Orientation) else 0,
        "objective_count": node.objectives.count() if not isinstance(node, Objective) else 0,
    }
    return render(request, "actions/node_delete.html", context)
