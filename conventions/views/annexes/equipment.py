"""Annexe 2: equipment of the perimeter and the signatory that supports it."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from core.forms import add_service_errors

from ...forms.annexes import EquipmentCreateForm, SupportedEquipmentAddForm, SupportedEquipmentForm
from ...models import Convention, SupportedEquipment
from ...services import supported_equipment_add
from .pages import _data, _delete_or_confirm_page, _save_or_form_page, text_edit_view


def _adding(convention: Convention, equipment=None):
    """The save of an equipment added to annexe 2: an existing one chosen in the form, or the form's new one."""

    def save(_request: HttpRequest, form) -> bool:
        data = form.cleaned_data
        try:
            form.instance = supported_equipment_add(
                convention=convention,
                equipment=equipment or data["equipment"],
                supported_by=data["supported_by"],
                financing_note=data["financing_note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return False
        return True

    return save


@text_edit_view
def supported_equipment_add_view(request: HttpRequest, convention: Convention) -> HttpResponse:
    search = request.GET.get("q", "")
    form = SupportedEquipmentAddForm(_data(request), convention=convention, search=search)
    return _save_or_form_page(
        request,
        convention,
        form,
        save=_adding(convention),
        saved=lambda support: f"« {support.equipment.name} » est ajouté à l'annexe 2.",
        anchor="equipements",
        title="Annexe 2 – ajouter un équipement existant",
        submit_label="Ajouter à l'annexe 2",
        search=search,
        template="conventions/annexes/equipment_add.html",
    )


@text_edit_view(methods=["GET"])
def equipment_options(request: HttpRequest, convention: Convention) -> HttpResponse:
    """The <option>s of the equipment select, filtered as the user types (htmx)."""
    form = SupportedEquipmentAddForm(convention=convention, search=request.GET.get("q", ""))
    choices = list(form.fields["equipment"].choices)
    return render(request, "conventions/annexes/_equipment_options.html", {"choices": choices})


@text_edit_view
def supported_equipment_create(request: HttpRequest, convention: Convention) -> HttpResponse:
    form = EquipmentCreateForm(_data(request), convention=convention)
    return _save_or_form_page(
        request,
        convention,
        form,
        save=_adding(convention, equipment=form.instance),
        saved=lambda support: f"« {support.equipment.name} » est créé et ajouté à l'annexe 2.",
        anchor="equipements",
        title="Annexe 2 – créer un équipement",
        intro="L'équipement est enregistré dans sa commune, puis ajouté à l'annexe 2 de la convention.",
        submit_label="Créer et ajouter à l'annexe 2",
    )


def _support(convention: Convention, supported_equipment_pk: int) -> SupportedEquipment:
    return get_object_or_404(
        SupportedEquipment.objects.select_related("equipment__commune", "equipment__kind"),
        pk=supported_equipment_pk,
        convention=convention,
    )


@text_edit_view
def supported_equipment_edit(request: HttpRequest, convention: Convention, supported_equipment_pk: int) -> HttpResponse:
    support = _support(convention, supported_equipment_pk)
    equipment = support.equipment
    form = SupportedEquipmentForm(_data(request), instance=support, convention=convention)
    saved = lambda _: f"« {equipment.name} » est enregistré."  # noqa: E731
    title = f"Annexe 2 – {equipment.name} ({equipment.commune.name})"
    return _save_or_form_page(request, convention, form, saved=saved, anchor="equipements", title=title)


@text_edit_view
def supported_equipment_remove(
    request: HttpRequest, convention: Convention, supported_equipment_pk: int
) -> HttpResponse:
    support = _support(convention, supported_equipment_pk)
    equipment = support.equipment  # it stays in its commune
    return _delete_or_confirm_page(
        request,
        convention,
        support,
        done=f"« {equipment.name} » est retiré de l'annexe 2.",
        anchor="equipements",
        title=f"Retirer « {equipment.name} » de l'annexe 2",
        question=(
            f"« {equipment.name} » ({equipment.kind.label}, {equipment.commune.name}) "
            "ne figurera plus à l'annexe 2. L'équipement reste enregistré dans sa commune."
        ),
        confirm_label="Retirer de l'annexe 2",
    )
