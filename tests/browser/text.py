"""Browser steps shared by the flows that take a convention to signature."""

import re

from django.urls import reverse

BLANK = re.compile(r"\[À compléter[^\]]*\]")


def text_completed(page, origin: str, convention) -> None:
    """Write, through the text's own forms, every « [À compléter : …] » passage the model left (the signature
    guard refuses a text that still has one)."""

    def written(field: str) -> None:
        box = page.locator(field)
        box.fill(BLANK.sub("ce que le diagnostic partagé a établi", box.input_value()))
        page.get_by_role("button", name="Enregistrer").click()
        page.wait_for_load_state()

    page.goto(origin + reverse("conventions:convention_text_edit", args=[convention.pk]))
    written("#id_preamble")
    for clause in convention.clauses.filter(body__contains="[À compléter"):
        page.goto(origin + reverse("conventions:clause_edit", args=[convention.pk, clause.pk]))
        written("#id_body")
    assert not convention.clauses.filter(body__contains="[À compléter").exists()
