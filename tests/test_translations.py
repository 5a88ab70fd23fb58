"""The catalogues: Serbian Latin derived from Cyrillic, compiled in Python, used by Django."""

import importlib.util
from pathlib import Path

import polib
import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("messages_tool", ROOT / "scripts" / "messages.py")
messages_tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(messages_tool)


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Љубљана", "Ljubljana"),
        ("ЉУБЉАНА", "LJUBLJANA"),
        ("Његош", "Njegoš"),
        ("НЈ", "NJ"),
        ("Џ", "Dž"),
        ("ЏЕП", "DŽEP"),
        ("Ђорђе Чачак, Ћуприја, Жабаљ, Шабац", "Đorđe Čačak, Ćuprija, Žabalj, Šabac"),
        ("Курс %(course)s је завршен.", "Kurs %(course)s je završen."),
        ('<a href="%(url)s">Пријава</a>', '<a href="%(url)s">Prijava</a>'),
        ("PDF и ICT", "PDF i ICT"),
    ],
)
def test_transliteration(cyrillic, latin):
    assert messages_tool.transliterate(cyrillic) == latin


def _catalogue(*entries: polib.POEntry) -> polib.POFile:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "sr"}
    for entry in entries:
        po.append(entry)
    return po


def test_latin_catalogue_follows_cyrillic_and_keeps_plurals(tmp_path, monkeypatch):
    monkeypatch.setattr(messages_tool, "OVERRIDES", tmp_path / "none.po")
    cyrillic = _catalogue(
        polib.POEntry(msgid="Course", msgstr="Курс"),
        polib.POEntry(
            msgid="%(n)s lesson",
            msgid_plural="%(n)s lessons",
            msgstr_plural={0: "%(n)s лекција", 1: "%(n)s лекције", 2: "%(n)s лекција"},
        ),
        polib.POEntry(msgid="Title", msgctxt="certificate", msgstr="Наслов"),
    )
    latin = {(e.msgctxt, e.msgid): e for e in messages_tool.latin_catalogue(cyrillic)}
    assert latin[(None, "Course")].msgstr == "Kurs"
    assert latin[(None, "%(n)s lesson")].msgstr_plural == {
        0: "%(n)s lekcija",
        1: "%(n)s lekcije",
        2: "%(n)s lekcija",
    }
    assert latin[("certificate", "Title")].msgstr == "Naslov"
    assert messages_tool.latin_catalogue(cyrillic).metadata["Language"] == "sr_Latn"


def test_override_file_wins_over_transliteration(tmp_path, monkeypatch):
    overrides = tmp_path / "overrides.po"
    _catalogue(polib.POEntry(msgid="Email", msgstr="E-mail")).save(str(overrides))
    monkeypatch.setattr(messages_tool, "OVERRIDES", overrides)
    cyrillic = _catalogue(polib.POEntry(msgid="Email", msgstr="Имејл"))
    (entry,) = messages_tool.latin_catalogue(cyrillic)
    assert entry.msgstr == "E-mail"


def test_committed_catalogues_are_complete_and_compiled():
    """The same check CI runs, without the extraction step (which needs gettext)."""
    for language in messages_tool.ALL:
        po = polib.pofile(str(messages_tool.po_path(language)))
        assert not po.untranslated_entries(), (language, po.untranslated_entries()[:3])
        assert not po.fuzzy_entries(), (language, po.fuzzy_entries()[:3])
        mo = messages_tool.po_path(language).with_suffix(".mo")
        assert mo.read_bytes() == messages_tool.mo_bytes(po), f"{mo} is stale: run make messages"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("sr", "Каталог"), ("sr-latn", "Katalog"), ("ko", "과정 목록"), ("en", "Catalogue")],
)
def test_django_reads_the_compiled_catalogues(language, expected):
    with translation.override(language):
        assert translation.gettext("Catalogue") == expected
