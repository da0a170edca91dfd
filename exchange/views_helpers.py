"""Small display helpers shared by pages, the home section and the API."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from sharing.rules import originator_label, tombstone_shows_title

VERB_TEXT = {
    "published": _("New: %(title)s"),
    "shared": _("Shared with you: %(title)s"),
    "asked": _("New request for information: %(title)s"),
    "overdue": _("Overdue request for information: %(title)s"),
}


def notification_text(user, notification) -> str:
    if notification.item_id:
        item = notification.item
        title = item.title if item.status != "withdrawn" or tombstone_shows_title(item) else _("an item")
        if notification.verb.startswith("commented"):
            return _("New comment on %(title)s") % {"title": title}
        text = VERB_TEXT.get(notification.verb, "%(title)s") % {"title": title}
        return f"{text} ({originator_label(item, user)})"
    rfi = notification.rfi
    return VERB_TEXT.get(notification.verb, "%(title)s") % {"title": rfi.title}


def error_messages(error: ValidationError | PermissionDenied) -> list[str]:
    if isinstance(error, PermissionDenied):
        return [str(error) or _("You cannot do that.")]
    if hasattr(error, "error_dict"):
        return [f"{field}: {message}" for field, messages in error.message_dict.items() for message in messages]
    return list(error.messages)


def add_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form field it names (or on the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message if target else f"{field}: {message}")
    else:
        for message in error.messages:
            form.add_error(None, message)
