"""``lms.fragments.Fragment``: a fragment kept per process is what the template renders for the
same values and language, and the kept ones stay within their bound."""

from django.template.loader import get_template
from django.utils import translation

from lms.fragments import Fragment

NAME = "reports/_completion_head.html"
HOSTILE = "<script>\"x\" & 'y'</script>"


def _values(**overrides):
    values = {
        "filters_html": "",
        "query": "q=a",
        "sort_query": "q=a",
        "count": 3,
        "show_reports_link": True,
    }
    return {**values, **overrides}


def test_the_kept_fragment_is_the_template_in_each_language():
    fragment = Fragment(NAME)
    for language in ("en", "sr", "sr-latn", "ko"):
        with translation.override(language):
            for values in (_values(), _values(count=1, query=HOSTILE, show_reports_link=False)):
                expected = get_template(NAME).render(values)
                assert fragment.render(**values) == expected
                assert fragment.render(**values) == expected  # kept
    with translation.override("en"):
        english = fragment.render(**_values())
    with translation.override("ko"):
        assert fragment.render(**_values()) != english
    with translation.override("en"):
        assert HOSTILE not in fragment.render(**_values(query=HOSTILE))


def test_the_kept_fragments_stay_within_their_bound():
    fragment = Fragment(NAME, size=3)
    with translation.override("en"):
        for count in range(2, 12):
            assert f"{count} rows" in fragment.render(**_values(count=count))
        assert len(fragment._entries) == 3
        assert "2 rows" in fragment.render(**_values(count=2))  # rendered again, not kept
