"""axe-core in the browser tier: load the pinned package, run WCAG 2.1 A/AA rules, report.

axe is handed to the page through ``page.evaluate`` (the DevTools protocol), not as a
``<script>`` element, so a strict Content-Security-Policy (``script-src 'self'``) on the site
does not block it; ``tests/e2e/test_accessibility.py`` proves that against such a header.
"""

from functools import cache
from pathlib import Path

from tests.conftest import require_service

AXE_DIR = Path(__file__).parent / "axe"
AXE_SCRIPT = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"

# WCAG 2.0 and 2.1, levels A and AA: the rules the site promises to meet.
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
# axe's "best practice" rules on page structure (WCAG 1.3.1 and 2.4.1 in spirit), which the
# site meets too: one main landmark, all content in landmarks, an h1, no skipped heading level.
STRUCTURE_RULES = ("landmark-one-main", "region", "page-has-heading-one", "heading-order")


@cache
def axe_source() -> str:
    if not AXE_SCRIPT.exists():
        require_service(f"axe-core at {AXE_SCRIPT} (run `npm ci` in {AXE_DIR})")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """Run axe on the page as it stands and return its violations (an empty list is a pass)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    return page.evaluate(
        """([tags, rules]) => axe.run(document, {
            runOnly: {type: 'tag', values: tags},
            rules: Object.fromEntries(rules.map(rule => [rule, {enabled: true}])),
            resultTypes: ['violations'],
        }).then(results => results.violations.map(v => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            helpUrl: v.helpUrl,
            nodes: v.nodes.map(n => ({
                target: n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : t).join(', '),
                summary: n.failureSummary,
            })),
        })))""",
        [list(WCAG_TAGS), list(STRUCTURE_RULES)],
    )


# WCAG 1.4.10 (reflow): at 320 CSS pixels nothing may need scrolling sideways, except inside a
# box made for it (a wide table scrolls in its own .table-scroll).
PHONE_WIDTH = 320

OVERFLOW = r"""width => {
    const inside = el => el.closest('.table-scroll, pre');
    return [...document.querySelectorAll('body *')]
        .filter(el => el.getBoundingClientRect().right > width + 1 && !inside(el))
        .slice(0, 5)
        .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
            + (typeof el.className === 'string' && el.className
                ? '.' + el.className.trim().split(/\s+/).join('.') : '')
            + ' (right edge ' + Math.round(el.getBoundingClientRect().right) + 'px)');
}"""


def sideways_overflow(page) -> list[str]:
    """At a phone's width, the elements that stick out to the right (an empty list is a pass)."""
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 640})
    if page.evaluate("() => document.documentElement.scrollWidth") <= PHONE_WIDTH:
        return []
    return page.evaluate(OVERFLOW, PHONE_WIDTH) or ["the page, though no single element"]


def describe_violations(violations: list[dict]) -> str:
    """One readable block per rule: id, impact, what to do, and where, one selector a line."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {node['target']}")
            lines.extend(f"      {line.strip()}" for line in (node["summary"] or "").splitlines())
    return "\n".join(lines)
