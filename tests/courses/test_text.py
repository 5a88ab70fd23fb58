import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from courses.text import render_markdown, search_form


@pytest.mark.parametrize("spelling", ["Ђорђе", "ЂОРЂЕ", "Đorđe", "ĐORĐE", "Djordje", "djordje"])
def test_search_form_folds_serbian_scripts_and_diacritics_alike(spelling):
    assert search_form(spelling) == "djordje"


@pytest.mark.parametrize("spelling", ["Љубић", "Ljubić", "Ljubic", "LJUBIĆ"])
def test_search_form_folds_serbian_digraph_letters(spelling):
    assert search_form(spelling) == "ljubic"


def test_search_form_keeps_hangul():
    assert search_form("오현목") == "오현목"
    assert search_form("Ђорђе 오현목") == "djordje 오현목"


def test_search_form_collapses_whitespace():
    assert search_form("  Основи\n\tинформационе   безбедности ") == (
        "osnovi informacione bezbednosti"
    )


def test_search_form_folds_decomposed_latin_like_composed_latin():
    # Text pasted from some PDFs and macOS file names arrives decomposed (NFD):
    # "c" followed by a combining acute accent instead of "ć".
    decomposed = unicodedata.normalize("NFD", "Ljubić")
    assert decomposed != "Ljubić"

    assert search_form(decomposed) == search_form("Ljubić")


@hypothesis_settings(database=None)
@given(st.text())
@example("Ђорђе Đorđe Djordje 오현목")
@example("ǿ")  # LATIN SMALL LETTER O WITH STROKE AND ACUTE
@example("Ǿ")
def test_search_form_is_idempotent_and_total(text):
    once = search_form(text)

    assert search_form(once) == once
    assert once == " ".join(once.split())


def test_render_markdown_keeps_headings_lists_and_tables():
    html = render_markdown(
        "# Увод\n\n## 개요\n\n- прва\n- druga\n\n1. one\n2. two\n\n"
        "| Колона | Column |\n|---|---|\n| а | b |\n"
    )

    for tag in ("<h1>Увод</h1>", "<h2>개요</h2>", "<ul>", "<ol>", "<li>прва</li>"):
        assert tag in html
    for tag in ("<table>", "<thead>", "<th>Колона</th>", "<tbody>", "<td>а</td>"):
        assert tag in html


def test_render_markdown_removes_script_elements():
    html = render_markdown("Text\n\n<script>alert('x')</script>\n\nMore")

    assert "<script" not in html
    assert "alert" not in html
    assert "Text" in html
    assert "More" in html


def test_render_markdown_removes_event_handler_attributes():
    html = render_markdown('<img src="x.png" onerror="alert(1)">\n\n<p onclick="steal()">Hi</p>')

    assert "onerror" not in html
    assert "onclick" not in html
    assert "alert" not in html
    assert "Hi" in html


@pytest.mark.parametrize(
    "source",
    [
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">click</a>',
        '<a href="JaVaScRiPt:alert(1)">click</a>',
    ],
)
def test_render_markdown_removes_javascript_links(source):
    html = render_markdown(source)

    assert "javascript" not in html.lower()
    assert "click" in html


def test_render_markdown_keeps_ordinary_links():
    html = render_markdown("[Portal](https://www.euprava.gov.rs/)")

    assert 'href="https://www.euprava.gov.rs/"' in html


def test_render_markdown_of_nothing_is_empty():
    assert render_markdown("") == ""
