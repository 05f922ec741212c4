"""« Mon suivi » (bulk status change) and the status of one fiche (its timeline)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django_filters.views import FilterView

from conventions.models import Convention, Domain
from conventions.perms import (
    convention_view,
    followed_conventions,
    get_follow_up_convention,
)
from core.forms import add_service_errors
from core.pagination import ClampedPaginationMixin

from .. import services
from ..filters import ActionSheetFilter
from ..forms import (
    BulkStatusForm,
    StatusUpdateForm,
)
from ..models import ActionSheet
from ..summary import follow_up_summary
from ..tables import FollowUpTable
from .common import _get_action

FOLLOWED_SHOWN = 12  # the links to the conventions one follows up; all of them are on the home page


class FollowUpView(LoginRequiredMixin, ClampedPaginationMixin, FilterView):
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
        """The first FOLLOWED_SHOWN conventions the user follows up, and one more to know there are others."""
        if not hasattr(self, "_followed"):
            followed = followed_conventions(self.request.user).distinct().order_by("reference")
            self._followed = list(followed[: FOLLOWED_SHOWN + 1])
        return self._followed

    def get_table_kwargs(self):
        checked = set(self.bulk_form.data.getlist("fiches")) if self.bulk_form is not None else set()
        # Readers only (COPIL members) have nothing to tick.
        exclude = () if self.followed() else ("select",)
        return {"followed_ids": set(), "checked_ids": checked, "exclude": exclude}

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        # Which of the page's conventions the user follows up: asked for the page's rows only (an administrator
        # follows up 2 000 conventions).
        on_page = {row.record.convention_id for row in table.page.object_list}
        if on_page and self.followed():
            followed = followed_conventions(self.request.user).filter(pk__in=on_page)
            table.followed_ids = set(followed.values_list("pk", flat=True))
        return table

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["bulk_form"] = self.bulk_form or BulkStatusForm(followed=ActionSheet.objects.none())
        context["followed_conventions"] = self.followed()[:FOLLOWED_SHOWN]
        context["more_followed"] = len(self.followed()) > FOLLOWED_SHOWN
        context["summary"] = follow_up_summary(self.get_queryset(), today=timezone.localdate())
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


@convention_view(get_follow_up_convention, "GET", "POST")
def status_update(request: HttpRequest, convention: Convention, pk: int) -> HttpResponse:
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
