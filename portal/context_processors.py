from django.urls import NoReverseMatch, reverse

from portal.nav import nav_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_links": []}
    links = []
    for entry in nav_for(user):
        try:
            links.append({"label": entry.label, "url": reverse(entry.url_name)})
        except NoReverseMatch:
            continue
    return {"nav_links": links}
