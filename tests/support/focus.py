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


# What the focused control is, for a test driving the page by keyboard (null: the page itself).
FOCUSED = r"""() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const label = el.labels && el.labels.length ? el.labels[0].innerText.trim() : "";
  return {
    tag: el.tagName.toLowerCase(),
    type: el.type || el.tagName.toLowerCase(),
    id: el.id,
    name: el.getAttribute("aria-label") || label,
    label: label,
    text: (el.innerText || "").trim(),
    value: el.value || "",
    options: el.tagName === "SELECT" ? [...el.options].map((o) => o.value) : [],
    ring: style.outlineStyle === "auto"
      || (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2),
  };
}"""


def tab_to(page, wanted, *, limit: int = 200, probe: str = FOCUSED) -> dict:
    """Press Tab until the focused control is `wanted` (a test on `probe`'s answer, which has a
    `ring`); every control passed on the way must show where the focus is (WCAG 2.4.7)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(probe)
        if focused is None:
            continue
        assert focused["ring"], f"no visible focus indicator on {focused}"
        if wanted(focused):
            return focused
    raise AssertionError(f"Tab never reached what was wanted in {limit} presses")
