"""Walking pages in the browser and collecting every problem, so one run names all of them."""

import re
from dataclasses import dataclass, field

from tests.browser.fixtures import accessibility_violations

# axe-core takes 1-5 s a page on the 2-core CI machine: each kind of page (one template) is checked the
# first time any persona reaches it in a run; status, CSP, dialogs and script errors are checked everywhere.
_checked_with_axe: set[str] = set()


# Markup that only an injected payload would produce; CSP would block most of it, but its presence is the
# defect (a page must show user text as text), so it is reported even when nothing ran.
INJECTED_MARKUP_JS = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.trim().toLowerCase();
      if (name.startsWith('on')) found.push(el.tagName + '[' + name + ']');
      if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(name)
          && (value.startsWith('javascript:') || value.startsWith('data:text/html'))) {
        found.push(el.tagName + '[' + name + '=' + value.slice(0, 40) + ']');
      }
      if (name === 'srcdoc') found.push(el.tagName + '[srcdoc]');
    }
  }
  for (const script of document.querySelectorAll('script')) {
    const executable = !script.type || /javascript|module/i.test(script.type);
    if (executable && script.textContent.includes('__xss')) found.push('SCRIPT containing __xss');
  }
  return found;
}"""


@dataclass
class Visit:
    label: str
    path: str
    status: int


@dataclass
class Walker:
    """Visits pages as one signed-in person; records status, axe, CSP and script problems per page."""

    page: object
    persona: str
    check_accessibility: bool = True
    visits: list[Visit] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def visit(
        self, label: str, path: str, *, expect: tuple[int, ...] = (200,), shows: str | tuple[str, ...] = ()
    ) -> int:
        watch = self.page.watch
        before = (len(watch.dialogs), len(watch.csp_violations), len(watch.page_errors))
        response = self.page.goto(path)
        self.page.wait_for_load_state("load")
        status = response.status if response else 0
        self.visits.append(Visit(label, path, status))
        where = f"{self.persona} {label} ({path})"
        if status not in expect:
            self.problems.append(f"{where}: status {status}, expected {expect}")
        if status >= 500:
            return status
        if self.check_accessibility and status == 200 and label not in _checked_with_axe:
            _checked_with_axe.add(label)
            for violation in accessibility_violations(self.page):
                self.problems.append(f"{where}: axe {violation}")
        after = (len(watch.dialogs), len(watch.csp_violations), len(watch.page_errors))
        for kind, old, new, items in zip(
            ("dialog", "CSP violation", "page error"),
            before,
            after,
            (watch.dialogs, watch.csp_violations, watch.page_errors),
            strict=True,
        ):
            if new > old:
                self.problems.append(f"{where}: {kind}: {items[old:new]}")
        if self.page.evaluate("window.__xss") is not None:
            self.problems.append(f"{where}: a payload ran (window.__xss is set)")
        injected = self.page.evaluate(INJECTED_MARKUP_JS)
        if injected:
            self.problems.append(f"{where}: user text became markup: {injected[:5]}")
        text = self.page.inner_text("body") if shows and status == 200 else ""
        for expected in (shows,) if isinstance(shows, str) else shows:
            if text and expected not in text:
                self.problems.append(f"{where}: does not show {expected!r} as text")
        return status

    def links(self, pattern: str) -> list[str]:
        """The distinct same-site links on the current page whose path matches `pattern` in full."""
        hrefs = self.page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        found: list[str] = []
        for href in hrefs:
            path = href.split("#")[0].split("?")[0]
            if re.fullmatch(pattern, path) and path not in found:
                found.append(path)
        return found

    def follow(self, label: str, list_path: str, pattern: str, *, required: bool = True, limit: int = 1) -> list[str]:
        """Open a list page, then the first `limit` detail pages it links to (matching `pattern`)."""
        if self.visit(f"{label} list", list_path) != 200:
            return []
        targets = self.links(pattern)[:limit]
        if not targets and required:
            self.problems.append(f"{self.persona} {label}: no link matching {pattern} on {list_path}")
        for target in targets:
            self.visit(label, target)
        return targets

    def visited_labels(self) -> list[str]:
        return [f"{visit.label} [{visit.status}]" for visit in self.visits]
