"""Stored-XSS and formula-injection payloads for every text field users control.

Each script payload, if it ever ran, would set `window.__xss` (and most would also open a dialog), so a
browser test proves a page inert by finding no dialog, no CSP report, no page error and no `window.__xss`.
The payloads are short enough for 50-character fields (tags) and cover: raw tags, attribute breakouts,
closing the element a value lands in (title, textarea, script, style), javascript: URLs (plain and in
Markdown links), event handlers on tags that fire without interaction, srcdoc frames and template syntax.
"""

SCRIPT_PAYLOADS: list[str] = [
    "<script>window.__xss=1;alert(1)</script>",
    "<img src=x onerror=window.__xss=1>",
    '"><svg onload=window.__xss=1>',
    "'><body onload=window.__xss=1>",
    "</title><script>window.__xss=1</script>",
    "</textarea><img src=x onerror=window.__xss=1>",
    "</script><script>window.__xss=1</script>",
    "</style><img src=x onerror=window.__xss=1>",
    "<details open ontoggle=window.__xss=1>",
    '<iframe srcdoc="<script>parent.__xss=1</script>">',
    "javascript:window.__xss=1//",
    "{{7*7}}{% debug %}${window.__xss=1}",
]

# Markdown bodies: raw HTML, javascript: and data: links, an image with a handler, autolinks.
MARKDOWN_PAYLOADS: list[str] = [
    "[click me](javascript:window.__xss=1)",
    "[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '![img](x" onerror="window.__xss=1)',
    "<a href='javascript:window.__xss=1'>raw link</a>",
    "<javascript:window.__xss=1>",
    *SCRIPT_PAYLOADS,
]

# Cells a spreadsheet would run as formulas unless neutralised (DDE included).
FORMULA_PAYLOADS: list[str] = [
    '=HYPERLINK("http://evil.invalid","x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def payload(index: int, *, limit: int = 200, marker: str = "XSS") -> str:
    """The `index`-th script payload (cycling), prefixed by a marker a test can look for, cut to `limit`."""
    text = f"{marker}{index} {SCRIPT_PAYLOADS[index % len(SCRIPT_PAYLOADS)]}"
    return text[:limit]


def markdown_body(marker: str = "XSS-MD") -> str:
    """A Markdown body holding every Markdown payload, one paragraph each."""
    return "\n\n".join(f"{marker} {text}" for text in MARKDOWN_PAYLOADS)


def all_payloads(marker: str = "XSS") -> str:
    """Every script payload in one text (for long free-text fields)."""
    return " ".join(f"{marker} {text}" for text in SCRIPT_PAYLOADS)
