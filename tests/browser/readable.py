"""Readable at 200% zoom on a 360 px phone: no word broken, text >= 16 px, targets >= 44 px.

Chromium lays a 360 px screen at 200% zoom out in 180 CSS px at twice the pixel density, so
the honest test is a 180 px viewport at device scale 2 (see `zoomed_context`). One walk over
the page checks the three things an older learner notices:
- every word of every visible text node sits on one line (Range.getClientRects of the word
  gives the line boxes it occupies: two boxes at different heights mean a line holds a
  fragment of it). Breaks after "-", "/", "." and the like are allowed: they are where a
  compound, an address or a number may wrap;
- no visible text is smaller than 16 CSS px (SVG text measured as drawn, after scaling);
- every tap target (links, buttons, fields, summaries) is at least 44 x 44 CSS px;
- nothing hides off the side of a scrolling box (tables reflow into cards instead).
"""
from __future__ import annotations

ZOOM_200 = {"width": 180, "height": 370}
MIN_TEXT_PX = 16
MIN_TARGET_PX = 44

_WALK = """({minText, minTarget}) => {
  const shown = (el) => el && el.checkVisibility({checkVisibilityCSS: true})
    && !el.closest('.visually-hidden, [aria-hidden="true"] title, option, script, style, noscript, template');
  const where = (el) => {
    const id = el.id ? '#' + el.id : '';
    const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    return el.tagName.toLowerCase() + id + cls;
  };
  const broken = [], small = [], targets = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.data;
    if (!text.trim()) continue;
    const parent = node.parentElement;
    if (!shown(parent)) continue;
    const box = parent.getBoundingClientRect();
    if (box.width < 4 || box.height < 4) continue;  // clipped away (screen-reader text)
    // Text size as drawn: SVG text is scaled with its drawing.
    let size = parseFloat(getComputedStyle(parent).fontSize);
    const svg = parent.closest('svg');
    if (svg && svg.getScreenCTM()) size *= svg.getScreenCTM().a;
    if (size < minText - 0.01) small.push(`${Math.round(size * 10) / 10}px "${text.trim().slice(0, 40)}" in ${where(parent)}`);
    if (svg) continue;  // SVG text never wraps
    // Words: runs of letters and digits between spaces and allowed break points.
    const word = /[^\\s\\-\\u2010-\\u2015\\/.,;:?&=_@+()\\[\\]"'\\u201c\\u201d\\u00ad]+/g;
    for (let match = word.exec(text); match; match = word.exec(text)) {
      if (match[0].length < 2) continue;
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set();
      for (const rect of range.getClientRects()) {
        if (rect.width > 0.5 && rect.height > 0.5) tops.add(Math.round(rect.top + rect.height / 2));
      }
      const lines = [...tops].sort((a, b) => a - b);
      const apart = lines.length > 1 && lines[lines.length - 1] - lines[0] > 4;
      if (apart) broken.push(`"${match[0]}" on ${lines.length} lines in ${where(parent)}`);
    }
  }
  const tappable = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex="0"]';
  for (const el of document.querySelectorAll(tappable)) {
    if (!shown(el) || el.closest('[inert]')) continue;
    // A file input covers its styled label; a radio or check box is tapped through its row.
    const target = (el.type === 'file' || el.type === 'checkbox' || el.type === 'radio')
      ? (el.closest('label, .file-button, .field--check, .checklist li') || el) : el;
    const box = target.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    // A link wrapped over lines is as tall as one of its lines, not as all of them.
    const lineHeight = Math.min(...[...target.getClientRects()].map((rect) => rect.height));
    if (box.width < minTarget - 0.5 || lineHeight < minTarget - 0.5) {
      targets.push(`${Math.round(box.width)}x${Math.round(lineHeight)} ${where(el)} "${(el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 30)}"`);
    }
  }
  // Content that hides off the side of its own box (a table in a scrolling region).
  const sideways = [];
  for (const el of document.querySelectorAll('body *')) {
    const overflowX = getComputedStyle(el).overflowX;
    if ((overflowX === 'auto' || overflowX === 'scroll') && shown(el) && el.scrollWidth > el.clientWidth + 1) {
      sideways.push(`${el.scrollWidth - el.clientWidth} px hidden sideways in ${where(el)}`);
    }
  }
  return {broken, small, targets, sideways};
}"""


def zoomed_context(browser, **options):
    """A browser context like a 360 px phone at 200% zoom (180 CSS px at device scale 2)."""
    return browser.new_context(viewport=ZOOM_200, device_scale_factor=2, locale="vi-VN",
                               **options)


def reading_problems(page) -> dict[str, list[str]]:
    """Broken words, text under 16 px and tap targets under 44 px on the page as it is now."""
    found = page.evaluate(_WALK, {"minText": MIN_TEXT_PX, "minTarget": MIN_TARGET_PX})
    return {kind: items for kind, items in found.items() if items}


def overflow(page) -> int:
    """How many CSS px the page is wider than the screen."""
    return page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")
