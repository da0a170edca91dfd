"""Password rules: long passphrases welcome, breached ones refused."""

import gzip
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

BREACHED_LIST = Path(__file__).resolve().parent / "data" / "breached-passwords.txt.gz"


@lru_cache(maxsize=1)
def _breached() -> frozenset[str]:
    if not BREACHED_LIST.exists():
        return frozenset()
    with gzip.open(BREACHED_LIST, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip().lower() for line in handle if line.strip())


class BreachedPasswordValidator:
    def validate(self, password: str, user=None) -> None:
        if password.lower() in _breached():
            raise ValidationError(_("This password appears in lists of breached passwords."), code="password_breached")

    def get_help_text(self) -> str:
        return _("Your password must not appear in lists of breached passwords.")


class MaximumLengthValidator:
    max_length = 256

    def validate(self, password: str, user=None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(_("Use at most %(n)d characters.") % {"n": self.max_length}, code="password_too_long")

    def get_help_text(self) -> str:
        return _("Up to %(n)d characters; long passphrases are welcome.") % {"n": self.max_length}
