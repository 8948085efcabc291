"""axe-core (bundled by axe-playwright-python) run on a Playwright page with the WCAG 2.0, 2.1
and 2.2 level A and AA rules, and its violations put in words a failing test can show."""

from axe_playwright_python.sync_playwright import Axe

# axe-core's rule tags for WCAG 2.0/2.1/2.2 A and AA (2.2 added AA rules only, e.g. target-size).
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# axe leaves its "experimental" rules out unless asked; these check WCAG A/AA success criteria
# (2.5.3 label in name, 1.3.4 orientation, 1.3.1 info and relationships), so they are asked for.
EXPERIMENTAL_WCAG_RULES = [
    "label-content-name-mismatch",
    "css-orientation-lock",
    "p-as-heading",
    "table-fake-caption",
    "td-has-header",
]

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_AA_TAGS},
    "rules": {rule: {"enabled": True} for rule in EXPERIMENTAL_WCAG_RULES},
    "resultTypes": ["violations"],
    # A frame's own page is checked where the tour opens it on its own; axe is injected into the
    # top page only, and would wait for an answer from frames that have none.
    "iframes": False,
}

_axe = Axe()


def axe_violations(page) -> list[dict]:
    """The WCAG A/AA violations axe finds on `page` as it is now."""
    return _axe.run(page, options=AXE_OPTIONS).response["violations"]


def describe_violations(found: dict[str, list[dict]]) -> str:
    """One block per page: each rule broken (id, impact, what it asks) and the elements, by their
    CSS selectors, with axe's own summary of what to fix."""
    lines: list[str] = []
    for where, violations in found.items():
        lines.append(f"{where}:")
        for violation in violations:
            lines.append(
                f"  {violation['id']} ({violation.get('impact') or 'no impact given'}): "
                f"{violation['help']} <{violation.get('helpUrl', '')}>"
            )
            for node in violation["nodes"][:8]:
                target = " ".join(str(part) for part in node["target"])
                summary = " ".join((node.get("failureSummary") or "").split())
                lines.append(f"    {target}: {summary[:300]}")
            if len(violation["nodes"]) > 8:
                lines.append(f"    … and {len(violation['nodes']) - 8} more")
    return "\n".join(lines)
