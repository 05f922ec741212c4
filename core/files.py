"""Files kept in the storage (deliberations, frozen bilans, job results): served, or a clear French 404.

A database restored without its files (README « Sauvegarde et restauration ») refers to files the storage no
longer holds: the page says so (404) instead of failing (500); `manage.py check_files` lists them all.
"""

from collections.abc import Iterator

from django.apps import apps
from django.db import models
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render


def stored_file_response(
    request: HttpRequest, field_file, *, filename: str, content_type: str | None = None, as_attachment: bool = False
) -> HttpResponse:
    """The stored file as a download, or the French « fichier introuvable » page (404) when storage lost it."""
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, IsADirectoryError):
        return render(request, "file_missing.html", {"filename": filename}, status=404)
    return FileResponse(handle, content_type=content_type, filename=filename, as_attachment=as_attachment)


def referenced_files() -> Iterator[tuple[type[models.Model], models.FileField, int, str]]:
    """Every (model, field, name) a row of the project refers to in a file field."""
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                names = model._default_manager.exclude(**{field.name: ""}).exclude(**{f"{field.name}__isnull": True})
                for pk, name in names.values_list("pk", field.name).order_by("pk").iterator():
                    yield model, field, pk, name


def missing_files() -> list[tuple[str, int, str]]:
    """(model label, row id, file name) of every referenced file the storage does not hold."""
    return [
        (model._meta.label, pk, name) for model, field, pk, name in referenced_files() if not field.storage.exists(name)
    ]
