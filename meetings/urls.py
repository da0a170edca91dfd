from django.urls import path

from meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.calendar_page, name="calendar"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<uuid:uuid>/", views.event_detail, name="event"),
    path("events/<uuid:uuid>/edit/", views.event_edit, name="event_edit"),
    path("events/<uuid:uuid>/documents/add/", views.event_documents_add, name="event_documents_add"),
    path(
        "events/<uuid:uuid>/documents/<uuid:document>/remove/",
        views.event_document_remove,
        name="event_document_remove",
    ),
    path("actions/", views.action_tracker, name="actions"),
    path("actions/new/", views.action_create, name="action_create"),
    path("actions/<uuid:uuid>/", views.action_detail, name="action"),
    path("commitments/<slug:code>/", views.commitments, name="commitments"),
    path("priorities/", views.priority_list, name="priorities"),
    path("priorities/new/", views.priority_form, name="priority_create"),
    path("priorities/<int:pk>/", views.priority_detail, name="priority"),
    path("priorities/<int:pk>/edit/", views.priority_form, name="priority_edit"),
    path("contributions/", views.contribution_list, name="contributions"),
    path("contributions/new/", views.contribution_form, name="contribution_create"),
    path("contributions/<int:pk>/edit/", views.contribution_form, name="contribution_edit"),
    path("calendar/address/", views.feed_regenerate, name="feed_regenerate"),
    path("calendar/address/revoke/", views.feed_revoke, name="feed_revoke"),
    path("calendar/<str:secret>.ics", views.feed, name="feed"),
    path("report/", views.report_page, name="report"),
    path("report/narrative/", views.narrative_draft, name="narrative_draft"),
    path("report/narrative/<int:pk>/<str:decision>/", views.narrative_decide, name="narrative_decide"),
]
