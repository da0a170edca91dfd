"""Progress bars for command-line imports and exports (management commands).

    from operations.progress import cli_progress

    with cli_progress(total=len(rows), desc="Importing", stream=self.stderr) as bar:
        for row in rows:
            ...
            bar.update(1)

A thin wrapper around tqdm: it writes to the command's stderr (so stdout stays machine-readable), hides
itself when that stream is not a terminal unless `force=True`, and counts rows.
"""

import sys

from tqdm import tqdm


def cli_progress(*, total: int | None, desc: str = "", stream=None, unit: str = "rows", force: bool = False) -> tqdm:
    stream = stream or sys.stderr
    raw = getattr(stream, "_out", stream)  # Django's OutputWrapper keeps the real stream in _out
    interactive = bool(getattr(raw, "isatty", lambda: False)())
    return tqdm(
        total=total,
        desc=desc,
        unit=unit,
        file=raw,
        disable=not (interactive or force),
        dynamic_ncols=True,
        mininterval=0.2,
    )


def iterate_with_progress(iterable, *, total: int | None = None, desc: str = "", stream=None, force: bool = False):
    """Yield from `iterable` while advancing a terminal progress bar."""
    with cli_progress(total=total, desc=desc, stream=stream, force=force) as bar:
        for item in iterable:
            yield item
            bar.update(1)
