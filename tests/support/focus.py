"""Where the keyboard focus is, and whether a person can see it: a focus ring drawn (WCAG 2.4.7)
and the focused control not covered by anything else on the page (2.4.11)."""

# The focused element (null: the page itself, or a frame whose own page is checked on its own),
# whether an outline is drawn around it (2 px or more, or the browser's own "auto" ring), and
# whether the element found at its centre is it (or its label, or inside it): not covered.
FOCUS_STOP = r"""() => {
  const el = document.activeElement;
  if (!el || el === document.body || el.tagName === "IFRAME") return null;
  const style = getComputedStyle(el);
  const ring = style.outlineStyle === "auto"
    || (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2);
  const box = el.getBoundingClientRect();
  const x = Math.min(Math.max(box.left + box.width / 2, 0), window.innerWidth - 1);
  const y = Math.min(Math.max(box.top + box.height / 2, 0), window.innerHeight - 1);
  const seen = document.elementFromPoint(x, y);
  const labels = el.labels ? [...el.labels] : [];
  const uncovered = !!seen && (seen === el || el.contains(seen) || seen.contains(el)
    || labels.some((label) => label.contains(seen)));
  const name = (el.getAttribute("aria-label") || el.innerText || el.value || el.name || "")
    .trim().slice(0, 40);
  return {
    what: `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} "${name}"`,
    ring: ring,
    uncovered: uncovered,
  };
}"""


def focus_problems(page, *, stops: int = 25) -> list[str]:
    """Tab through the first `stops` focus stops of `page`; each one without a visible ring or
    covered by something else, in words."""
    problems = []
    for _ in range(stops):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS_STOP)
        if stop is None:
            continue
        if not stop["ring"]:
            problems.append(f"no focus ring on {stop['what']}")
        if not stop["uncovered"]:
            problems.append(f"focus hidden under another element: {stop['what']}")
    return problems
