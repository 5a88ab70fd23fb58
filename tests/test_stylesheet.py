"""Korean text in the stylesheet: Hangul fonts of every desktop system, breaks between words."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

CSS = (Path(__file__).resolve().parents[1] / "static" / "css" / "lms.css").read_text()
HANGUL_FONTS = [
    "Malgun Gothic",
    "Apple SD Gothic Neo",
    "Noto Sans CJK KR",
    "Noto Sans KR",
    "NanumGothic",
]


def rule(selector: str) -> str:
    found = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", CSS)
    assert found, f"no rule for {selector}"
    return found.group(1)


def test_korean_breaks_lines_between_words():
    assert re.search(r"word-break:\s*keep-all", rule(":lang(ko)"))


def test_korean_font_stack_lists_windows_macos_and_linux_hangul_fonts_first():
    stack = re.search(r"font-family:([^;]*);", rule(":lang(ko)")).group(1)
    names = [name.strip().strip('"') for name in stack.split(",")]
    assert names[: len(HANGUL_FONTS)] == HANGUL_FONTS
    assert names[-1] == "sans-serif"


@pytest.mark.django_db
def test_korean_page_declares_its_language_for_the_rule(client):
    client.post(reverse("set_language"), {"language": "ko"})
    assert '<html lang="ko"' in client.get(reverse("courses:catalogue")).text


def _latin_first_stack() -> list[str]:
    stack = re.search(r"--font-latin-first:([^;]*);", rule(":root")).group(1)
    return [name.strip().strip('"') for name in stack.split(",")]


def test_serbian_latin_letters_come_from_a_latin_font_before_any_hangul_font():
    # A Hangul font's Latin has no č or ć: the browser would draw c and a loose caron.
    names = _latin_first_stack()
    first_hangul = min(names.index(font) for font in HANGUL_FONTS)
    assert {"Segoe UI", "Arial", "Liberation Sans"} <= set(names[:first_hangul])
    assert re.search(r"font-family:\s*var\(--font-latin-first\)", rule(":root"))


def test_content_in_another_language_on_a_korean_page_uses_the_latin_first_fonts():
    assert "var(--font-latin-first)" in rule("[lang]:not(:lang(ko))")
