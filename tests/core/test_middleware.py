"""A NUL byte or a control character in a query string or a form: refused in French, nothing written."""

import pytest
from django.urls import reverse

from conventions.models import Convention
from core.forms import CONTROL_CHARACTER_MESSAGE


@pytest.mark.parametrize("query", ["q=ab%00cd", "q=%01", "page=%00", "a%00=1", "q=%7f", "q=%1b%5b31m"])
@pytest.mark.parametrize("name", ["conventions:list", "territories:commune_search", "actions:my_follow_up"])
def test_control_characters_in_a_query_string_answer_a_french_400(client, adviser, name, query):
    client.force_login(adviser)
    response = client.get(f"{reverse(name)}?{query}")
    assert response.status_code == 400
    assert "caractère invisible" in response.content.decode()


def test_tab_and_line_breaks_are_text(client, adviser):
    client.force_login(adviser)
    assert client.get(reverse("conventions:list") + "?q=a%09b%0d%0ac").status_code == 200


def edit_url(convention) -> str:
    return reverse("conventions:edit", kwargs={"convention_pk": convention.pk})


def test_a_nul_byte_in_a_posted_value_is_refused_before_the_view(client, adviser, convention):
    client.force_login(adviser)
    before = Convention.objects.get(pk=convention.pk).title
    response = client.post(edit_url(convention), {"title": "Nouveau\x00titre"})
    assert response.status_code == 400
    assert "Rien n'a été enregistré" in response.content.decode()
    assert Convention.objects.get(pk=convention.pk).title == before


def test_another_control_character_is_refused_next_to_the_field(client, adviser, convention):
    client.force_login(adviser)
    page = client.get(edit_url(convention))
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["title"] = "Titre\x0b avec une tabulation verticale"
    before = Convention.objects.get(pk=convention.pk).title
    response = client.post(edit_url(convention), data)
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == [CONTROL_CHARACTER_MESSAGE]
    assert Convention.objects.get(pk=convention.pk).title == before
