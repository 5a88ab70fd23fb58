"""Translation catalogues: extract, derive Serbian Latin, compile, and check.

    python scripts/messages.py update   # makemessages (needs gettext), then latin + compile
    python scripts/messages.py latin    # sr_Latn from sr by transliteration (+ overrides)
    python scripts/messages.py compile  # .po -> .mo in pure Python (no gettext tools needed)
    python scripts/messages.py check    # the CI gate: complete, current, Latin in step, .mo current
    python scripts/messages.py harvest REF...  # fill untranslated entries from other git refs

Serbian Latin is never edited by hand: it is the Cyrillic catalogue transliterated, except for
the few entries in ``locale/sr_Latn.overrides.po`` whose Latin form differs from the
letter-by-letter one. The compiled ``.mo`` files are committed, so a fresh machine shows
translated pages without the gettext tools; ``check`` proves they match their ``.po`` files.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
# The catalogues translators edit; sr_Latn is derived from sr.
EDITED = ["sr", "ko"]
DERIVED = {"sr_Latn": "sr"}
ALL = [*EDITED, *DERIVED]
OVERRIDES = LOCALE / "sr_Latn.overrides.po"
PLURAL_FORMS = {
    "sr": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);",
    "sr_Latn": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);",
    "ko": "nplurals=1; plural=0;",
}
LANGUAGE_TEAMS = {"sr": "Serbian (Cyrillic)", "sr_Latn": "Serbian (Latin)", "ko": "Korean"}
IGNORE = [".venv/*", "bench/*", "tests/*", "docs/*", "staticfiles/*", "media/*", "scripts/*"]

_CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e", "ж": "ž", "з": "z",
    "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "ć", "у": "u", "ф": "f", "х": "h", "ц": "c",
    "ч": "č", "џ": "dž", "ш": "š",
}  # fmt: skip


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def transliterate(text: str) -> str:
    """Serbian Cyrillic to Latin, letter by letter. Љ, Њ and Џ become Lj, Nj, Dž before a
    lower-case letter and LJ, NJ, DŽ inside a word written in capitals."""
    out = []
    for index, char in enumerate(text):
        lower = char.lower()
        latin = _CYRILLIC_TO_LATIN.get(lower)
        if latin is None:
            out.append(char)
        elif char == lower:
            out.append(latin)
        elif len(latin) == 1:
            out.append(latin.upper())
        else:
            following = text[index + 1 : index + 2]
            preceding = text[index - 1 : index] if index else ""
            all_caps = following.isupper() or (not following.isalpha() and preceding.isupper())
            out.append(latin.upper() if all_caps else latin[0].upper() + latin[1:])
    return "".join(out)


def _key(entry: polib.POEntry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


def latin_catalogue(cyrillic: polib.POFile) -> polib.POFile:
    overrides = {}
    if OVERRIDES.exists():
        overrides = {_key(e): e for e in polib.pofile(str(OVERRIDES)) if not e.obsolete}
    latin = polib.POFile(wrapwidth=cyrillic.wrapwidth)
    latin.header = (
        "Serbian (Latin) catalogue, produced from the Cyrillic one by scripts/messages.py.\n"
    )
    latin.header += "Do not edit: change locale/sr/LC_MESSAGES/django.po or the overrides file."
    latin.metadata_is_fuzzy = False
    latin.metadata = dict(cyrillic.metadata)
    latin.metadata["Language"] = "sr_Latn"
    latin.metadata["Language-Team"] = LANGUAGE_TEAMS["sr_Latn"]
    for entry in cyrillic:
        if entry.obsolete:
            continue
        override = overrides.get(_key(entry))
        new = polib.POEntry(
            msgid=entry.msgid,
            msgctxt=entry.msgctxt,
            msgid_plural=entry.msgid_plural,
            occurrences=entry.occurrences,
            flags=list(entry.flags),
            comment=entry.comment,
        )
        if entry.msgid_plural:
            source = override.msgstr_plural if override else entry.msgstr_plural
            new.msgstr_plural = {
                k: (v if override else transliterate(v)) for k, v in source.items()
            }
        else:
            new.msgstr = override.msgstr if override else transliterate(entry.msgstr)
        latin.append(new)
    return latin


def write_latin() -> None:
    for target, source in DERIVED.items():
        catalogue = latin_catalogue(polib.pofile(str(po_path(source))))
        po_path(target).parent.mkdir(parents=True, exist_ok=True)
        catalogue.save(str(po_path(target)))


def mo_bytes(po: polib.POFile) -> bytes:
    return po.to_binary()


def compile_all() -> None:
    for language in ALL:
        po = polib.pofile(str(po_path(language)))
        po_path(language).with_suffix(".mo").write_bytes(mo_bytes(po))


def fix_headers() -> None:
    """makemessages writes template headers; give each catalogue its real ones."""
    for language in EDITED:
        po = polib.pofile(str(po_path(language)))
        po.header = "Translations of the ICT Training Centre LMS. See docs/translation.md."
        po.metadata_is_fuzzy = False
        po.metadata.update(
            {
                "Project-Id-Version": "lms",
                "Language": language,
                "Language-Team": LANGUAGE_TEAMS[language],
                "Plural-Forms": PLURAL_FORMS[language],
                "Content-Type": "text/plain; charset=UTF-8",
            }
        )
        po.metadata.pop("POT-Creation-Date", None)
        po.metadata.pop("PO-Revision-Date", None)
        po.metadata.pop("Last-Translator", None)
        po.metadata.pop("Report-Msgid-Bugs-To", None)
        po.save(str(po_path(language)))


def makemessages() -> None:
    if shutil.which("xgettext") is None:
        sys.exit("makemessages needs the gettext tools (Debian: apt-get install gettext).")
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
    command = [sys.executable, "manage.py", "makemessages", "--no-obsolete"]
    command += ["--add-location", "file"]
    for language in EDITED:
        command += ["-l", language]
    for pattern in IGNORE:
        command += ["-i", pattern]
    subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603 (fixed argv, no shell)


def update() -> None:
    makemessages()
    fix_headers()
    write_latin()
    compile_all()
    report = statistics()
    for line in report:
        print(line)


def statistics() -> list[str]:
    lines = []
    for language in ALL:
        po = polib.pofile(str(po_path(language)))
        untranslated = len(po.untranslated_entries())
        fuzzy = len(po.fuzzy_entries())
        lines.append(
            f"{language}: {len(po.translated_entries())} translated, "
            f"{untranslated} untranslated, {fuzzy} fuzzy"
        )
    return lines


def check() -> int:
    problems: list[str] = []
    # 1. Every marked string is in the catalogues (extract into a scratch copy and compare).
    if shutil.which("xgettext") is None:
        problems.append("gettext tools missing: cannot check that the catalogues are current.")
    else:
        # Extract over the real files, read what came out, then put the originals back.
        saved = {language: po_path(language).read_bytes() for language in EDITED}
        current_keys = {
            language: {_key(e) for e in polib.pofile(str(po_path(language))) if not e.obsolete}
            for language in EDITED
        }
        try:
            makemessages()
            fresh_keys = {
                language: {_key(e) for e in polib.pofile(str(po_path(language))) if not e.obsolete}
                for language in EDITED
            }
        finally:
            for language, content in saved.items():
                po_path(language).write_bytes(content)
        for language in EDITED:
            current, fresh = current_keys[language], fresh_keys[language]
            for _ctxt, msgid in sorted(fresh - current, key=str):
                problems.append(f"{language}: not in the catalogue (run make messages): {msgid!r}")
            for _ctxt, msgid in sorted(current - fresh, key=str):
                problems.append(f"{language}: no longer in the code (run make messages): {msgid!r}")
    # 2. Complete: nothing untranslated or fuzzy.
    for language in ALL:
        po = polib.pofile(str(po_path(language)))
        for entry in po.untranslated_entries():
            problems.append(f"{language}: untranslated: {entry.msgid!r}")
        for entry in po.fuzzy_entries():
            problems.append(f"{language}: fuzzy: {entry.msgid!r}")
    # 3. Serbian Latin follows the Cyrillic catalogue exactly.
    for target, source in DERIVED.items():
        expected = latin_catalogue(polib.pofile(str(po_path(source))))
        actual = polib.pofile(str(po_path(target)))
        want = {_key(e): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in expected}
        have = {_key(e): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in actual}
        if want != have:
            problems.append(
                f"{target} differs from the transliteration of {source}: run make messages"
            )
    # 4. The compiled files match their sources.
    for language in ALL:
        po = polib.pofile(str(po_path(language)))
        mo = po_path(language).with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != mo_bytes(po):
            problems.append(f"{mo.relative_to(ROOT)} is out of date: run make messages")
    for problem in problems:
        print(problem)
    if problems:
        print(f"translation check failed: {len(problems)} problem(s)")
        return 1
    for line in statistics():
        print(line)
    print("translation check passed")
    return 0


def harvest(refs: list[str]) -> None:
    """After merging branches whose catalogues conflicted: take the translations each branch
    made for entries that are still untranslated here."""
    for language in EDITED:
        po = polib.pofile(str(po_path(language)))
        missing = {_key(e): e for e in po if not e.translated() or e.fuzzy}
        filled = 0
        for ref in refs:
            shown = subprocess.run(  # noqa: S603 (fixed argv, no shell)
                ["git", "show", f"{ref}:locale/{language}/LC_MESSAGES/django.po"],  # noqa: S607
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            if shown.returncode != 0:
                continue
            for other in polib.pofile(shown.stdout):
                entry = missing.get(_key(other))
                if entry is None or not other.translated() or other.fuzzy:
                    continue
                entry.msgstr = other.msgstr
                entry.msgstr_plural = dict(other.msgstr_plural)
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                del missing[_key(other)]
                filled += 1
        po.save(str(po_path(language)))
        print(f"{language}: {filled} filled, {len(missing)} still untranslated")
    write_latin()
    compile_all()


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "update"
    if command == "update":
        update()
    elif command == "latin":
        write_latin()
    elif command == "compile":
        compile_all()
    elif command == "check":
        return check()
    elif command == "harvest":
        harvest(sys.argv[2:])
    else:
        sys.exit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main())
