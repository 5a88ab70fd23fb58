"""Which language applies to a request: the one rule, used by the middleware and the views.

1. A signed-in person's preferred language (set on the profile or by the header switcher).
2. Otherwise the language cookie a visitor set with the switcher.
3. Otherwise the first language the browser asks for (Accept-Language) that the site speaks;
   Serbian tags with a Latin script subtag (``sr-Latn``, ``sr-Latn-RS``) get Serbian Latin,
   other Serbian tags (``sr``, ``sr-RS``, ``sr-Cyrl``) Serbian Cyrillic, and the neighbouring
   Latin-script languages (Croatian, Bosnian, Montenegrin, Serbo-Croatian) Serbian Latin.
4. Otherwise the site default (``LANGUAGE_CODE``).
"""

from django.conf import settings
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header

# Readers of these languages read Serbian Latin more easily than Cyrillic.
_LATIN_NEIGHBOURS = {"sh": "sr-latn", "hr": "sr-latn", "bs": "sr-latn", "cnr": "sr-latn"}


def supported_language(code: str | None) -> str | None:
    """The site's language code for ``code`` (any case, any region), or None."""
    if not code:
        return None
    code = code.strip().lower().replace("_", "-")
    if code in dict(settings.LANGUAGES):
        return code
    subtags = code.split("-")
    if subtags[0] == "sr" and "latn" in subtags[1:]:
        return "sr-latn" if "sr-latn" in dict(settings.LANGUAGES) else None
    if subtags[0] in _LATIN_NEIGHBOURS:
        return _LATIN_NEIGHBOURS[subtags[0]]
    try:
        return get_supported_language_variant(code)
    except LookupError:
        return None


def language_from_browser(accept_language: str) -> str | None:
    for tag, _quality in parse_accept_lang_header(accept_language):
        if tag == "*":
            break
        language = supported_language(tag)
        if language is not None:
            return language
    return None


def language_for_request(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        language = supported_language(user.preferred_language)
        if language is not None:
            return language
    language = supported_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if language is not None:
        return language
    language = language_from_browser(request.headers.get("Accept-Language", ""))
    return language or settings.LANGUAGE_CODE


def set_language_cookie(response, language: str) -> None:
    """Keep the language in this browser too, so it stays after signing out."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
