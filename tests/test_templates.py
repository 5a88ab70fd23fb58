"""Template source rules the template engine does not enforce."""

import re
from pathlib import Path

from django.conf import settings

# Django's {# #} comment ends on its own line; one left open is shown to the reader as text.
_OPEN_COMMENT = re.compile(r"\{#(?:(?!#\}).)*$", re.MULTILINE)


def _templates() -> list[Path]:
    roots = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    roots += [
        p / "templates" for p in Path(settings.BASE_DIR).iterdir() if (p / "templates").is_dir()
    ]
    return sorted({path for root in roots for path in root.rglob("*.html")})


def test_no_template_comment_runs_over_a_line():
    assert _templates(), "no templates found"
    open_comments = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)[:50]}"
        for path in _templates()
        for match in _OPEN_COMMENT.finditer(path.read_text(encoding="utf-8"))
    ]
    assert open_comments == [], "use {% comment %} for a comment of several lines"
