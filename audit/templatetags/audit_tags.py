from django import template

from audit.queries import history_for

register = template.Library()


@register.inclusion_tag("audit/includes/history.html", takes_context=True)
def audit_history(context, obj):
    """`{% load audit_tags %}{% audit_history obj %}`: the object's change history as the current user sees it."""
    return {"history": history_for(obj, context["request"].user)}
