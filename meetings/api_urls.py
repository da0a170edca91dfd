from django.urls import path

from meetings import api

urlpatterns = [
    path("events/", api.EventListView.as_view(), name="api-meetings-event-list"),
    path("events/<uuid:uuid>/", api.EventDetailView.as_view(), name="api-meetings-event-detail"),
    path("events/<uuid:uuid>/documents/", api.EventDocumentsView.as_view(), name="api-meetings-event-documents"),
    path(
        "events/<uuid:uuid>/documents/<uuid:document>/",
        api.EventDocumentDetailView.as_view(),
        name="api-meetings-event-document",
    ),
    path("priorities/", api.PriorityListView.as_view(), name="api-meetings-priority-list"),
    path("priorities/<int:pk>/", api.PriorityDetailView.as_view(), name="api-meetings-priority-detail"),
    path("actions/", api.ActionListView.as_view(), name="api-meetings-action-list"),
    path("actions/<uuid:uuid>/", api.ActionDetailView.as_view(), name="api-meetings-action-detail"),
]
