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


@pytest.mark.parametrize(
    "source",
    [
        '<iframe src="javascript:alert(1)"></iframe>',
        "<iframe src=javascript:alert(1)>",
        '<object data="x.swf"></object>',
        '<embed src="x.swf">',
        '<form action="https://evil.example/"><input name="p"></form>',
        "<style>body{display:none}</style>",
        '<svg onload="alert(1)"><circle r="1"/></svg>',
        "<math><mi>x</mi></math>",
    ],
)
def test_sanitiser_drops_elements_outside_the_allow_list(source):
    html = render_markdown(f"Before\n\n{source}\n\nAfter")

    for tag in ("<iframe", "<object", "<embed", "<form", "<input", "<style", "<svg", "<math"):
        assert tag not in html
    assert "javascript" not in html.lower()
    assert "display:none" not in html
    assert "Before" in html and "After" in html


@pytest.mark.parametrize(
    "href",
    ["http://example.gov.rs/", "data:text/html,<b>x</b>", "ftp://example.gov.rs/", "vbscript:x"],
)
def test_links_keep_only_https_and_mailto_schemes(href):
    html = render_markdown(f'<a href="{href}">link</a>')

    assert "href" not in html
    assert "link" in html


def test_mailto_and_relative_links_are_kept():
    html = render_markdown("[Write](mailto:obuka@example.gov.rs) and [next](/courses/)")

    assert 'href="mailto:obuka@example.gov.rs"' in html
    assert 'href="/courses/"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_style_class_and_unknown_attributes_are_dropped():
    html = render_markdown(
        '<p style="position:fixed" class="x" id="main" data-x="1" lang="sr">Hi</p>'
    )

    assert html == '<p lang="sr">Hi</p>'


def test_remote_images_lose_their_address_unless_their_host_is_listed(settings):
    settings.LMS_LESSON_IMAGE_HOSTS = []
    source = "![Chart](https://img.example.gov.rs/chart.png) ![Local](/static/chart.png)"

    html = render_markdown(source)

    assert "img.example.gov.rs" not in html
    assert 'src="/static/chart.png"' in html

    settings.LMS_LESSON_IMAGE_HOSTS = ["img.example.gov.rs"]
    html = render_markdown(source)

    assert 'src="https://img.example.gov.rs/chart.png"' in html
    # An http address on a listed host is still refused.
    assert "src=" not in render_markdown("![x](http://img.example.gov.rs/chart.png)")


def test_footnote_anchors_survive_but_other_ids_do_not():
    html = render_markdown('Text[^1]\n\n[^1]: A note.\n\n<h2 id="main">Heading</h2>')

    assert 'id="fnref:1"' in html
    assert 'id="fn:1"' in html
    assert 'href="#fn:1"' in html
    assert 'id="main"' not in html
