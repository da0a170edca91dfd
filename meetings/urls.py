from django.urls import path

from meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.calendar_page, name="calendar"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<uuid:uuid>/", views.event_detail, name="event"),
    path("events/<uuid:uuid>/edit/", views.event_edit, name="event_edit"),
    path("actions/", views.action_tracker, name="actions"),
    path("actions/new/", views.action_create, name="action_create"),
    path("actions/<uuid:uuid>/", views.action_detail, name="action"),
    path("commitments/<slug:code>/", views.commitments, name="commitments"),
    path("priorities/", views.priority_list, name="priorities"),
    path("priorities/<int:pk>/", views.priority_detail, name="priority"),
    path("calendar/address/", views.feed_regenerate, name="feed_regenerate"),
    path("calendar/address/revoke/", views.feed_revoke, name="feed_revoke"),
    path("calendar/<str:secret>.ics", views.feed, name="feed"),
    path("report/", views.report_page, name="report"),
    path("report/narrative/", views.narrative_draft, name="narrative_draft"),
    path("report/narrative/<int:pk>/<str:decision>/", views.narrative_decide, name="narrative_decide"),
]
