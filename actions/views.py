"""Annexe 3 in the browser: the fiche-action page (read), the plan editing screens, and the follow-up.

Editing is for the users who may write the convention (`can_edit_convention`), while its text is open
(`get_text_editable_convention`: refused once signed, unless an avenant is being prepared). Every form
works as a plain POST followed by a redirect; the plan page adds htmx so that reordering, renaming and
adding refresh only the tree.

The follow-up (« Mon suivi », statuses, budgets, meetings) is for the users who may follow the convention
up (`get_follow_up_convention`: its advisers and chargés de coopération), signed or not.
"""

from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import Truncator
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from conventions.models import Convention, Domain, Meeting
from conventions.perms import (
    convention_rights,
    followed_conventions,
    get_follow_up_convention,
    get_text_editable_convention,
    get_visible_convention,
)
from core.forms import add_service_errors
from core.htmx import is_htmx, retarget
from territories.models import Commune

from . import services
from .enums import Funder
from .filters import ActionSheetFilter
from .forms import (
    ActionSheetCreateForm,
    ActionSheetForm,
    ActionSheetMoveForm,
    BudgetFormSet,
    BulkStatusForm,
    MeetingForm,
    PlanNodeForm,
    StatusUpdateForm,
    action_place_key,
    place_key,
)
from .levels import BY_SLUG, OUTSIDE_ORIENTATIONS
from .models import ActionSheet, Axis, BudgetLine, Objective, Orientation
from .plan import plan_tree
from .tables import FollowUpTable


def _get_node(convention: Convention, kind: str, pk: int) -> Orientation | Axis | Objective:
    """A node of this convention's plan; 404 for any other (another convention's node included)."""
    level = BY_SLUG.get(kind)
    if level is None:
        raise Http404("Élément du plan introuvable.")
    model = level.model
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
    # Through the reverse relation: the plan knows its fiches' indicators only as annexe 5 rows.
    indicators = list(action.indicators.prefetch_related("measurements").order_by("order", "pk"))
    updates = list(action.updates.select_related("author").order_by("-date", "-created_at"))
    rights = convention_rights(request.user, convention)
    context = {
        "convention": convention,
        "action": action,
        "indicators": indicators,
        "updates": updates,
        "rights": rights,
        "status_form": StatusUpdateForm(action=action) if rights.follow_up else None,
        "meetings": list(action.meetings.select_related("committee").order_by("-date", "-pk")),
        "budget": budget_summary(list(action.budget_lines.order_by("year", "funder", "pk"))),
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
                add_service_errors(form, exc)
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
                    marker=form.posted_marker,
                    domains=form.cleaned_data["domains"],
                    target_communes=form.cleaned_data["target_communes"],
                    user=request.user,
                )
            except ValidationError as exc:  # StaleEditError included: saved by someone else in between
                add_service_errors(form, exc)
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
        where = f"sous « {_short(place)} »" if place else OUTSIDE_ORIENTATIONS.lower()
        return _after_plan_change(
            request, convention, f"Fiche-action {action.reference} déplacée {where}.", anchor=f"fiche-{action.pk}"
        )
    form = ActionSheetMoveForm(
        initial={"place": action_place_key(action)},
        tree=plan_tree(convention=convention),
        auto_id=f"deplacer-{action.pk}-%s",
    )
    context = {"convention": convention, "action": action, "form": form, "inline": is_htmx(request)}
    if is_htmx(request):
        # The plan page swaps its « Déplacer » link for this form: one select at a time, not one per fiche.
        form.fields["place"].widget.attrs["autofocus"] = True
        return render(request, "actions/_move_form.html", context)
    return render(request, "actions/move.html", context)


# -- the plan page --------------------------------------------------------------------------------------


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
        heading=f"Renommer {BY_SLUG[node_kind].the} « {_short(node)} »",
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
            messages.success(request, f"{BY_SLUG[node_kind].deleted} : « {_short(node)} ».")
            return redirect(_plan_url(convention))
    context = {
        "convention": convention,
        "node": node,
        "node_name": BY_SLUG[node_kind].the,
        "error": error,
        "action_count": services.plan_node_actions(node=node).count(),
        "axis_count": node.axes.count() if isinstance(node, Orientation) else 0,
        "objective_count": node.objectives.count() if not isinstance(node, Objective) else 0,
    }
    return render(request, "actions/node_delete.html", context)


# -- Mon suivi ------------------------------------------------------------------------------------------


class FollowUpView(LoginRequiredMixin, SingleTableMixin, FilterView):
    """The fiches of every convention the user sees; those they follow up can change status in bulk."""

    table_class = FollowUpTable
    filterset_class = ActionSheetFilter
    template_name = "actions/my_follow_up.html"
    http_method_names = ["get", "post", "head", "options"]
    bulk_form: BulkStatusForm | None = None

    def get_queryset(self) -> QuerySet:
        return (
            ActionSheet.objects.visible_to(self.request.user)
            .select_related("convention", "orientation")
            .prefetch_related(Prefetch("domains", queryset=Domain.objects.order_by("order", "label")))
            .order_by("convention__reference", "order", "pk")
        )

    def followed(self) -> list[Convention]:
        if not hasattr(self, "_followed"):
            self._followed = list(followed_conventions(self.request.user).distinct().order_by("reference"))
        return self._followed

    def get_table_kwargs(self):
        checked = set(self.bulk_form.data.getlist("fiches")) if self.bulk_form is not None else set()
        followed_ids = {convention.pk for convention in self.followed()}
        # Readers only (COPIL members) have nothing to tick.
        exclude = () if followed_ids else ("select",)
        return {"followed_ids": followed_ids, "checked_ids": checked, "exclude": exclude}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["bulk_form"] = self.bulk_form or BulkStatusForm(followed=ActionSheet.objects.none())
        context["followed_conventions"] = self.followed()
        return context

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        followed = ActionSheet.objects.filter(convention__in=followed_conventions(request.user))
        form = BulkStatusForm(request.POST, followed=followed)
        if form.is_valid():
            try:
                count = services.action_status_bulk_update(
                    actions=form.cleaned_data["fiches"],
                    status=form.cleaned_data["status"],
                    reason=form.cleaned_data["reason"],
                    user=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                label = dict(form.fields["status"].choices)[form.cleaned_data["status"]].lower()
                messages.success(
                    request,
                    f"{count} fiche{'s' if count > 1 else ''}-action passée{'s' if count > 1 else ''} « {label} ».",
                )
                return redirect(request.get_full_path())
        self.bulk_form = form
        return self.get(request, *args, **kwargs)


my_follow_up = FollowUpView.as_view()


# -- status of one fiche --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def status_update(request: HttpRequest, convention_pk: int, pk: int) -> HttpResponse:
    convention = get_follow_up_convention(request.user, convention_pk)
    action = _get_action(convention, pk)
    if request.method == "POST":
        form = StatusUpdateForm(request.POST, action=action)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.action_status_update(
                    action=action,
                    status=data["status"],
                    progress=data["progress"],
                    comment=data["comment"],
                    date=data["date"],
                    reason=data["status_reason"],
                    user=request.user,
                    marker=form.posted_marker,
                )
            except ValidationError as exc:  # StaleEditError included
                action.refresh_from_db()
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Point d'avancement de la fiche {action.reference} enregistré.")
                return redirect(reverse("actions:detail", args=[convention.pk, action.pk]) + "#h-suivi")
    else:
        form = StatusUpdateForm(action=action)
    return render(request, "actions/status_update.html", {"convention": convention, "action": action, "form": form})


# -- budget ---------------------------------------------------------------------------------------------


def _add_amount(totals: dict, line: BudgetLine) -> None:
    for name in ("planned", "actual"):
        value = getattr(line, name)
        if value is not None:
            totals[name] = totals.get(name, Decimal(0)) + value


def budget_summary(lines: list[BudgetLine]) -> dict:
    """Planned and actual totals per year and per financeur; « moyens Caf » apart (they are not financing)."""
    by_year: dict = defaultdict(dict)
    by_funder: dict = defaultdict(dict)
    caf_means_by_year: dict = defaultdict(dict)
    total: dict = {}
    caf_means_total: dict = {}
    for line in lines:
        if line.is_caf_means:
            _add_amount(caf_means_by_year[line.year], line)
            _add_amount(caf_means_total, line)
        else:
            _add_amount(by_year[line.year], line)
            _add_amount(by_funder[line.funder], line)
            _add_amount(total, line)
    funders = dict(Funder.choices)
    return {
        "lines": lines,
        "by_year": sorted(by_year.items()),
        "by_funder": [(funders[key], by_funder[key]) for key in funders if key in by_funder],
        "total": total,
        "caf_means_by_year": sorted(caf_means_by_year.items()),
        "caf_means_total": caf_means_total,
    }


@require_http_methods(["GET", "POST"])
@login_required
def budget(request: HttpRequest, convention_pk: int, pk: int) -> HttpResponse:
    convention = get_follow_up_convention(request.user, convention_pk)
    action = _get_action(convention, pk)
    stale = ""
    if request.method == "POST":
        formset = BudgetFormSet(request.POST, instance=action, prefix="lignes")
        marker = request.POST.get("marker", "")
        if formset.is_valid():
            lines = formset.save(commit=False)
            try:
                services.budget_save(
                    action=action,
                    lines=lines,
                    deleted=formset.deleted_objects,
                    marker=marker,
                    user=request.user,
                )
            except ValidationError as exc:  # StaleEditError included
                stale = " ".join(exc.messages)
            else:
                messages.success(request, f"Budget de la fiche {action.reference} enregistré.")
                return redirect("actions:budget", convention_pk=convention.pk, pk=action.pk)
    else:
        formset = BudgetFormSet(instance=action, prefix="lignes")
        marker = services.budget_marker(action=action)
    context = {
        "convention": convention,
        "action": action,
        "formset": formset,
        "marker": marker,
        "stale": stale,
        "budget": budget_summary(list(action.budget_lines.order_by("year", "funder", "pk"))),
    }
    return render(request, "actions/budget.html", context)


# -- meetings -------------------------------------------------------------------------------------------


def _get_meeting(convention: Convention, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.filter(committee__convention=convention).select_related("committee"), pk=pk
    )


def _origin_action(convention: Convention, value: str | None) -> ActionSheet | None:
    """The fiche a meeting form was opened from (?fiche=…), to go back to it; ignored unless of this convention."""
    if not value or not str(value).isdigit():
        return None
    return ActionSheet.objects.filter(convention=convention, pk=int(value)).first()


@require_GET
@login_required
def meetings(request: HttpRequest, convention_pk: int) -> HttpResponse:
    convention = get_visible_convention(request.user, convention_pk)
    rows = list(
        Meeting.objects.filter(committee__convention=convention)
        .select_related("committee")
        .prefetch_related(Prefetch("actions", queryset=ActionSheet.objects.order_by("order", "pk")))
        .order_by("-date", "-pk")
    )
    context = {
        "convention": convention,
        "meetings": rows,
        "rights": convention_rights(request.user, convention),
        "has_committees": convention.committees.exists(),
    }
    return render(request, "actions/meetings.html", context)


def _meeting_form(request: HttpRequest, convention: Convention, meeting: Meeting) -> HttpResponse:
    origin = _origin_action(
        convention, request.POST.get("fiche") if request.method == "POST" else request.GET.get("fiche")
    )
    if request.method == "POST":
        form = MeetingForm(request.POST, instance=meeting, convention=convention)
        if form.is_valid():
            try:
                saved = services.meeting_save(
                    meeting=form.save(commit=False),
                    actions=form.cleaned_data["actions"],
                    marker=form.posted_marker,
                    user=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Réunion « {saved} » enregistrée.")
                if origin:
                    return redirect(reverse("actions:detail", args=[convention.pk, origin.pk]) + "#h-reunions")
                return redirect(reverse("actions:meetings", args=[convention.pk]) + f"#reunion-{saved.pk}")
    else:
        initial = {"actions": [origin]} if origin and meeting.pk is None else None
        form = MeetingForm(instance=meeting, convention=convention, initial=initial)
    context = {"convention": convention, "meeting": meeting, "form": form, "origin": origin}
    return render(request, "actions/meeting_form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def meeting_create(request: HttpRequest, convention_pk: int) -> HttpResponse:
    convention = get_follow_up_convention(request.user, convention_pk)
    return _meeting_form(request, convention, Meeting())


@require_http_methods(["GET", "POST"])
@login_required
def meeting_edit(request: HttpRequest, convention_pk: int, pk: int) -> HttpResponse:
    convention = get_follow_up_convention(request.user, convention_pk)
    return _meeting_form(request, convention, _get_meeting(convention, pk))


@require_http_methods(["GET", "POST"])
@login_required
def meeting_delete(request: HttpRequest, convention_pk: int, pk: int) -> HttpResponse:
    convention = get_follow_up_convention(request.user, convention_pk)
    meeting = _get_meeting(convention, pk)
    error = ""
    if request.method == "POST":
        try:
            services.meeting_delete(meeting=meeting, user=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, f"Réunion « {meeting} » supprimée.")
            return redirect("actions:meetings", convention_pk=convention.pk)
    context = {"convention": convention, "meeting": meeting, "error": error}
    return render(request, "actions/meeting_delete.html", context)
