"""Language names are written in their own language, the same on every page."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

NATIVE = ["English", "Српски", "Srpski", "한국어"]


def options(html: str, select_id: str) -> list[str]:
    select = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [text.strip() for text in re.findall(r"<option[^>]*>([^<]*)</option>", select)]


@pytest.mark.parametrize("language", ["en", "sr", "sr-latn", "ko"])
def test_switcher_and_course_filter_name_each_language_in_itself(client, language):
    client.post(reverse("set_language"), {"language": language})
    html = client.get(reverse("courses:catalogue")).text
    assert options(html, "language-select") == NATIVE
    assert options(html, "id_language")[1:] == NATIVE


def test_switcher_options_carry_their_language(client):
    html = client.get(reverse("courses:catalogue")).text
    assert '<option value="sr-latn" lang="sr-latn">Srpski</option>' in html
    assert '<option value="ko" lang="ko">한국어</option>' in html
