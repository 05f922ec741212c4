"""The plan page: the tree, and its nodes added, renamed, moved and deleted (htmx refreshes the tree)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse

from conventions.models import Convention
from conventions.perms import (
    convention_view,
    get_text_editable_convention,
)
from core.forms import add_service_errors
from core.htmx import is_htmx, retarget

from .. import services
from ..forms import (
    PlanLevelsForm,
    PlanNodeForm,
    PlanOutlineForm,
    place_key,
)
from ..levels import LABEL_FIELDS, plan_levels
from ..models import Objective, Orientation
from ..outline import parse_outline
from ..plan import plan_tree
from .common import _get_node, _short


def _plan_context(convention: Convention) -> dict:
    tree = plan_tree(convention=convention)
    # Keys give every form of the page a stable id (htmx puts the focus back on it after a swap).
    for step in tree.walk(actions=False):
        step.item.key = place_key(step.item)
    return {"convention": convention, "plan": tree}


def _plan_url(convention: Convention, anchor: str = "") -> str:
    return reverse("actions:plan_edit", args=[convention.pk]) + (f"#{anchor}" if anchor else "")


def _after_plan_change(request: HttpRequest, convention: Convention, message: str, anchor: str = "") -> HttpResponse:
    """The refreshed tree for htmx; otherwise a message and a redirect to the plan page."""
    if is_htmx(request):
        context = {**_plan_context(convention), "status_message": message, "status_level": "success"}
        return render(request, "actions/_plan_tree_response.html", context)
    messages.success(request, message)
    return redirect(_plan_url(convention, anchor))


def _plan_refused(request: HttpRequest, convention: Convention, message: str, anchor: str = "") -> HttpResponse:
    if is_htmx(request):
        context = {**_plan_context(convention), "status_message": message, "status_level": "danger"}
        return render(request, "actions/_plan_tree_response.html", context)
    messages.error(request, message)
    return redirect(_plan_url(convention, anchor))


@convention_view(get_text_editable_convention, "GET")
def plan_edit(request: HttpRequest, convention: Convention) -> HttpResponse:
    levels_form = PlanLevelsForm(initial={name: getattr(convention, name) for name in LABEL_FIELDS})
    return render(request, "actions/plan_edit.html", {**_plan_context(convention), "levels_form": levels_form})


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
                add_service_errors(form, exc)
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
        "inline": is_htmx(request),
    }
    if is_htmx(request):
        # Only the form, with its errors, replaces itself in the plan page.
        return retarget(render(request, "actions/_node_form.html", context), f"#{form_id}")
    return render(request, "actions/node_form.html", context)


@convention_view(get_text_editable_convention, "GET", "POST")
def orientation_create(request: HttpRequest, convention: Convention) -> HttpResponse:
    level = plan_levels(convention).orientation
    return _node_form(
        request,
        convention=convention,
        form_id="ajouter-orientation",
        heading=f"Ajouter {level.a}",
        submit_label=level.add_label,
        save=lambda data: services.orientation_create(convention=convention, **data),
        done=f"{level.added}.",
    )


@convention_view(get_text_editable_convention, "GET", "POST")
def axis_create(request: HttpRequest, convention: Convention, orientation_pk: int) -> HttpResponse:
    orientation = _get_node(convention, "orientation", orientation_pk)
    levels = plan_levels(convention)
    return _node_form(
        request,
        convention=convention,
        form_id=f"ajouter-axe-{place_key(orientation)}",
        heading=f"Ajouter {levels.axis.a} sous {levels.orientation.the} « {_short(orientation)} »",
        submit_label=levels.axis.add_label,
        save=lambda data: services.axis_create(orientation=orientation, **data),
        done=f"{levels.axis.added} sous {levels.orientation.the} « {_short(orientation)} ».",
    )


@convention_view(get_text_editable_convention, "GET", "POST")
def objective_create(request: HttpRequest, convention: Convention, parent_kind: str, parent_pk: int) -> HttpResponse:
    if parent_kind == "objectif":
        raise Http404("Un objectif se place sous une orientation ou un axe.")
    parent = _get_node(convention, parent_kind, parent_pk)
    level = plan_levels(convention).objective
    return _node_form(
        request,
        convention=convention,
        form_id=f"ajouter-objectif-{place_key(parent)}",
        heading=f"Ajouter {level.a} sous « {_short(parent)} »",
        submit_label=level.add_label,
        save=lambda data: services.objective_create(parent=parent, **data),
        done=f"{level.added} sous « {_short(parent)} ».",
    )


@convention_view(get_text_editable_convention, "GET", "POST")
def node_rename(request: HttpRequest, convention: Convention, node_kind: str, node_pk: int) -> HttpResponse:
    node = _get_node(convention, node_kind, node_pk)
    return _node_form(
        request,
        convention=convention,
        form_id=f"renommer-{place_key(node)}",
        heading=f"Renommer {plan_levels(convention).by_slug[node_kind].the} « {_short(node)} »",
        submit_label="Enregistrer",
        save=lambda data: services.plan_node_rename(node=node, **data),
        done="Intitulé enregistré.",
        initial={"number": node.number, "title": node.title},
    )


@convention_view(get_text_editable_convention, "POST")
def node_move(request: HttpRequest, convention: Convention, node_kind: str, node_pk: int) -> HttpResponse:
    node = _get_node(convention, node_kind, node_pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        return HttpResponseBadRequest("Indiquez « up » ou « down ».")
    if not services.plan_node_move(node=node, direction=direction):
        where = "première" if direction == "up" else "dernière"
        return _plan_refused(request, convention, f"« {_short(node)} » est déjà en {where} position.", place_key(node))
    way = "monte" if direction == "up" else "descend"
    return _after_plan_change(request, convention, f"« {_short(node)} » {way} d'un rang.", anchor=place_key(node))


@convention_view(get_text_editable_convention, "GET", "POST")
def node_delete(request: HttpRequest, convention: Convention, node_kind: str, node_pk: int) -> HttpResponse:
    node = _get_node(convention, node_kind, node_pk)
    error = ""
    if request.method == "POST":
        try:
            services.plan_node_delete(node=node)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, f"{plan_levels(convention).by_slug[node_kind].deleted} : « {_short(node)} ».")
            return redirect(_plan_url(convention))
    context = {
        "convention": convention,
        "node": node,
        "node_name": plan_levels(convention).by_slug[node_kind].the,
        "error": error,
        "action_count": services.plan_node_actions(node=node).count(),
        "axis_count": node.axes.count() if isinstance(node, Orientation) else 0,
        "objective_count": node.objectives.count() if not isinstance(node, Objective) else 0,
    }
    return render(request, "actions/node_delete.html", context)


@convention_view(get_text_editable_convention, "GET", "POST")
def plan_levels_edit(request: HttpRequest, convention: Convention) -> HttpResponse:
    """The names of the plan's levels (« Axe / Objectif stratégique / Objectif opérationnel »)."""
    if request.method == "POST":
        form = PlanLevelsForm(request.POST)
        if form.is_valid():
            try:
                services.plan_levels_rename(
                    convention=convention, names=[form.cleaned_data[name] for name in LABEL_FIELDS], user=request.user
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Niveaux du plan enregistrés : {plan_levels(convention).names}.")
                return redirect(_plan_url(convention))
    else:
        form = PlanLevelsForm(initial={name: getattr(convention, name) for name in LABEL_FIELDS})
    return render(request, "actions/plan_levels.html", {"convention": convention, "form": form})


@convention_view(get_text_editable_convention, "GET", "POST")
def plan_outline(request: HttpRequest, convention: Convention) -> HttpResponse:
    """A whole plan pasted as text: previewed (each line with its level, or its error), then created at once."""
    levels = plan_levels(convention)
    outline = None
    form = PlanOutlineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outline = parse_outline(form.cleaned_data["outline"], levels)
        if outline.error:
            form.add_error("outline", outline.error)
        elif outline.errors:
            count = len(outline.errors)
            form.add_error(
                "outline",
                f"{count} ligne{'s' if count > 1 else ''} à corriger (voir l'aperçu) : rien n'a été créé.",
            )
        elif "confirm" in request.POST:
            created = services.plan_outline_create(convention=convention, outline=outline, user=request.user)
            counts = ", ".join(
                f"{count} {level.noun if count < 2 else level.plural}"
                for level, count in zip(levels, created.values(), strict=True)
                if count
            )
            messages.success(request, f"Plan créé : {counts}.")
            return redirect(_plan_url(convention))
    context = {"convention": convention, "form": form, "outline": outline, "levels": levels}
    return render(request, "actions/plan_outline.html", context)
