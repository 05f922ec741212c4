"""Annexe 2: equipment of the perimeter and the signatory that supports it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from core.forms import add_service_errors

from ...forms.annexes import (
    EquipmentCreateForm,
    SupportedEquipmentAddForm,
    SupportedEquipmentForm,
)
from ...models import Convention, SupportedEquipment
from ...perms import get_text_editable_convention
from ...services import (
    row_delete,
    supported_equipment_add,
)
from .pages import EDIT_METHODS, _back, _checked_save, _confirm_page, _data, _form_page


@login_required
@EDIT_METHODS
def supported_equipment_add_view(request: HttpRequest, convention_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    search = request.GET.get("q", "")
    form = SupportedEquipmentAddForm(_data(request), convention=convention, search=search)
    if request.method == "POST" and form.is_valid():
        try:
            support = supported_equipment_add(
                convention=convention,
                equipment=form.cleaned_data["equipment"],
                supported_by=form.cleaned_data["supported_by"],
                financing_note=form.cleaned_data["financing_note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"« {support.equipment.name} » est ajouté à l'annexe 2.")
            return _back(convention, "equipements")
    return _form_page(
        request,
        convention=convention,
        form=form,
        title="Annexe 2 – ajouter un équipement existant",
        anchor="equipements",
        submit_label="Ajouter à l'annexe 2",
        search=search,
        template="conventions/annexes/equipment_add.html",
    )


@login_required
@require_GET
def equipment_options(request: HttpRequest, convention_pk: int) -> HttpResponse:
    """The <option>s of the equipment select, filtered as the user types (htmx)."""
    convention = get_text_editable_convention(request.user, convention_pk)
    form = SupportedEquipmentAddForm(convention=convention, search=request.GET.get("q", ""))
    choices = list(form.fields["equipment"].choices)
    return render(request, "conventions/annexes/_equipment_options.html", {"choices": choices})


@login_required
@EDIT_METHODS
def supported_equipment_create(request: HttpRequest, convention_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    form = EquipmentCreateForm(_data(request), convention=convention)
    if request.method == "POST" and form.is_valid():
        try:
            support = supported_equipment_add(
                convention=convention,
                equipment=form.instance,
                supported_by=form.cleaned_data["supported_by"],
                financing_note=form.cleaned_data["financing_note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"« {support.equipment.name} » est créé et ajouté à l'annexe 2.")
            return _back(convention, "equipements")
    return _form_page(
        request,
        convention=convention,
        form=form,
        title="Annexe 2 – créer un équipement",
        anchor="equipements",
        intro="L'équipement est enregistré dans sa commune, puis ajouté à l'annexe 2 de la convention.",
        submit_label="Créer et ajouter à l'annexe 2",
    )


def _support(convention: Convention, supported_equipment_pk: int) -> SupportedEquipment:
    return get_object_or_404(
        SupportedEquipment.objects.select_related("equipment__commune", "equipment__kind"),
        pk=supported_equipment_pk,
        convention=convention,
    )


@login_required
@EDIT_METHODS
def supported_equipment_edit(request: HttpRequest, convention_pk: int, supported_equipment_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    support = _support(convention, supported_equipment_pk)
    form = SupportedEquipmentForm(_data(request), instance=support, convention=convention)
    if request.method == "POST" and form.is_valid() and _checked_save(request, form):
        messages.success(request, f"« {support.equipment.name} » est enregistré.")
        return _back(convention, "equipements")
    return _form_page(
        request,
        convention=convention,
        form=form,
        title=f"Annexe 2 – {support.equipment.name} ({support.equipment.commune.name})",
        anchor="equipements",
    )


@login_required
@EDIT_METHODS
def supported_equipment_remove(request: HttpRequest, convention_pk: int, supported_equipment_pk: int) -> HttpResponse:
    convention = get_text_editable_convention(request.user, convention_pk)
    support = _support(convention, supported_equipment_pk)
    if request.method == "POST":
        row_delete(instance=support, user=request.user)  # the equipment stays in its commune
        messages.success(request, f"« {support.equipment.name} » est retiré de l'annexe 2.")
        return _back(convention, "equipements")
    return _confirm_page(
        request,
        convention=convention,
        title=f"Retirer « {support.equipment.name} » de l'annexe 2",
        question=(
            f"« {support.equipment.name} » ({support.equipment.kind.label}, {support.equipment.commune.name}) "
            "ne figurera plus à l'annexe 2. L'équipement reste enregistré dans sa commune."
        ),
        anchor="equipements",
        confirm_label="Retirer de l'annexe 2",
    )
