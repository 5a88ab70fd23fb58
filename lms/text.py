"""Search folding shared by every app: one rule for "the same text in any Serbian script"."""

import unicodedata

_CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "dj", "е": "e", "ж": "z",
    "з": "z", "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n",
    "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "c", "у": "u",
    "ф": "f", "х": "h", "ц": "c", "ч": "c", "џ": "dz", "ш": "s",
}  # fmt: skip
# Letters that Unicode decomposition does not fold to plain Latin.
_LATIN_SPECIAL = {"đ": "dj", "ß": "ss", "ø": "o", "ł": "l"}


def search_form(text: str) -> str:
    """Fold text so that Serbian Cyrillic and Latin, with or without diacritics, compare equal:
    "Ђорђе", "Đorđe" and "Djordje" all become "djordje". Hangul passes through whole; combining
    marks are dropped in every script, which is harmless because queries are folded the same way."""
    # Compose first, so "c" followed by a combining accent is treated as "ć".
    lowered = unicodedata.normalize("NFC", text.casefold())
    out = []
    for char in lowered:
        if unicodedata.category(char) == "Mn":
            continue
        mapped = _CYRILLIC_TO_LATIN.get(char) or _LATIN_SPECIAL.get(char)
        if mapped is not None:
            out.append(mapped)
            continue
        decomposed = unicodedata.normalize("NFD", char)
        base = decomposed[0]
        # Keep Hangul syllables whole; strip combining marks from Latin letters only.
        if "LATIN" in unicodedata.name(base, ""):
            out.append(_LATIN_SPECIAL.get(base, base))
        else:
            out.append(unicodedata.normalize("NFC", char))
    return " ".join("".join(out).split())
