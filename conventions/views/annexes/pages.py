"""What the text and annex views share: the form and confirmation pages, htmx fragments, a row's form."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.forms import add_service_errors
from core.htmx import is_htmx

from ...models import Convention
from ...perms import convention_rights
from ...placeholders import PLACEHOLDERS
from ...services import (
    row_save,
)

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
EDIT_METHODS = require_http_methods(["GET", "POST"])


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


def _fragment(request: HttpRequest, template: str, convention: Convention, **context) -> HttpResponse:
    # Fragments are only served to people who may edit the text: the row shows its edit links.
    return render(
        request, template, {"convention": convention, "rights": convention_rights(request.user, convention), **context}
    )


def _direction(request: HttpRequest) -> str | None:
    direction = request.POST.get("direction")
    return direction if direction in ("up", "down") else None


# Rows edited in place (key figures, issues, committee members) ----------------------------------------------
# Each kind has its own three small views below; they share only how the row's form is shown: in place of the
# row in its table (htmx), or on a page of its own without JavaScript.


def _row_form_page(
    request: HttpRequest, convention: Convention, form, *, row_id: str, action: str, legend: str, colspan: int, **page
) -> HttpResponse:
    anchor = page.pop("anchor")
    if is_htmx(request):
        inline = {"row_id": row_id, "action": action, "colspan": colspan, "legend": legend}
        return render(request, INLINE_FORM, {"convention": convention, "anchor": anchor, "form": form, **inline})
    return _form_page(request, convention=convention, form=form, anchor=anchor, **page)
