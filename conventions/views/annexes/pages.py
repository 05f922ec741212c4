"""What the text and annex views share: the form and confirmation pages, htmx fragments, a row's form."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse

from core.forms import add_service_errors
from core.htmx import is_htmx

from ...models import Convention
from ...perms import convention_rights, convention_view, get_text_editable_convention
from ...placeholders import PLACEHOLDERS
from ...services import row_delete, row_save

PLACEHOLDER_LABELS = {
    "caf": "la Caf, précédée de son article",
    "caf_nom": "le nom de la Caf",
    "collectivite": "la ou les collectivités signataires",
    "territoire": "le périmètre",
    "date_debut": "la date de début",
    "date_fin": "la date de fin",
    "periode": "la période, en années",
}
FORM_PAGE = "conventions/annexes/form_page.html"
CONFIRM_PAGE = "conventions/annexes/confirm.html"
INLINE_FORM = "conventions/annexes/_inline_form_row.html"


def text_edit_view(view=None, *, methods=("GET", "POST")):
    """A view of the text or annexes: the convention editable by the user, refused once signed."""
    decorate = convention_view(get_text_editable_convention, *methods)
    return decorate(view) if view else decorate


# Helpers ----------------------------------------------------------------------------------------------------


def _data(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _back(convention: Convention, anchor: str) -> HttpResponseRedirect:
    return redirect(f"{reverse('conventions:detail', args=[convention.pk])}#{anchor}")


def _checked_save(request: HttpRequest, form) -> bool:
    try:
        row_save(instance=form.instance, marker=form.posted_marker, user=request.user)
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


def _placeholder_help(values: dict[str, str]) -> list[dict[str, str]]:
    return [
        {"code": f"{{{key}}}", "label": PLACEHOLDER_LABELS.get(key, ""), "value": values.get(key, "")}
        for key in PLACEHOLDERS
    ]


def _form_page(
    request: HttpRequest, *, convention: Convention, form, title: str, anchor: str, template: str = FORM_PAGE, **extra
) -> HttpResponse:
    context = {
        "convention": convention,
        "form": form,
        "title": title,
        "anchor": anchor,
        "intro": "",
        "placeholders": [],
        "submit_label": "Enregistrer",
        **extra,
    }
    return render(request, template, context)


def _confirm_page(
    request: HttpRequest,
    *,
    convention: Convention,
    title: str,
    question: str,
    anchor: str,
    confirm_label: str,
    details: str = "",
    danger: bool = True,
    refused: str = "",
    cancel_url: str = "",
) -> HttpResponse:
    """The confirmation of a removal or a step, a server-side page that works without JavaScript: its form
    posts to the same address, which then acts."""
    context = {
        "cancel_url": cancel_url or reverse("conventions:detail", args=[convention.pk]) + f"#{anchor}",
        "convention": convention,
        "title": title,
        "question": question,
        "anchor": anchor,
        "confirm_label": confirm_label,
        "details": details,
        "danger": danger,
        "refused": refused,
    }
    return render(request, CONFIRM_PAGE, context)


def _save_or_form_page(
    request: HttpRequest,
    convention: Convention,
    form,
    *,
    saved: Callable[[object], str],
    anchor: str,
    save: Callable[[HttpRequest, object], bool] | None = None,
    fragment: Callable[[object], HttpResponse] | None = None,
    inline: dict | None = None,
    **page,
) -> HttpResponse:
    """An edit view once its form is built. A valid POST saved by `save` (by default with the stale check) answers
    htmx with `fragment(row)`, anything else by going back to the section with the message `saved(row)`; otherwise
    the form again, errors next to the fields: in place of its row (htmx, when `inline` says where) or on a page."""
    if request.method == "POST" and form.is_valid() and (save or _checked_save)(request, form):
        if fragment and is_htmx(request):
            return fragment(form.instance)
        messages.success(request, saved(form.instance))
        return _back(convention, anchor)
    if inline and is_htmx(request):
        return render(request, INLINE_FORM, {"convention": convention, "anchor": anchor, "form": form, **inline})
    return _form_page(request, convention=convention, form=form, anchor=anchor, **page)


def _delete_or_confirm_page(
    request: HttpRequest,
    convention: Convention,
    row,
    *,
    done: str,
    anchor: str,
    fragment: Callable[[object], HttpResponse] | None = None,
    **confirm,
) -> HttpResponse:
    """A removal: the confirmation page on GET; on POST the row deleted through the service (history kept), then
    htmx gets `fragment(row)` and a page goes back to the section with the message `done`."""
    if request.method == "POST":
        row_delete(instance=row, user=request.user)
        if fragment and is_htmx(request):
            return fragment(row)
        messages.success(request, done)
        return _back(convention, anchor)
    return _confirm_page(request, convention=convention, anchor=anchor, **confirm)


def _inline(url: str, args: list, row_id: str, legend: str, colspan: int) -> dict:
    """Where a row's form goes when shown in place (htmx): its row, its action, its legend, the columns it spans."""
    return {"row_id": row_id, "action": reverse(url, args=args), "legend": legend, "colspan": colspan}


def _removed(_row) -> HttpResponse:
    return HttpResponse("")  # htmx removes the row


def _fragment(request: HttpRequest, template: str, convention: Convention, **context) -> HttpResponse:
    # Fragments are only served to people who may edit the text: the row shows its edit links.
    return render(
        request, template, {"convention": convention, "rights": convention_rights(request.user, convention), **context}
    )


def _direction(request: HttpRequest) -> str | None:
    direction = request.POST.get("direction")
    return direction if direction in ("up", "down") else None
