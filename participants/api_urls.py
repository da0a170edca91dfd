from django.urls import path

from participants import api

urlpatterns = [
    path("participants/", api.ParticipantListApi.as_view(), name="api-participant-list"),
    path("participants/<uuid:uuid>/", api.ParticipantDetailApi.as_view(), name="api-participant-detail"),
    path("participants/<uuid:uuid>/status/", api.ParticipantStatusApi.as_view(), name="api-participant-status"),
    path("agencies/", api.AgencyListApi.as_view(), name="api-agency-list"),
    path("agencies/<uuid:uuid>/", api.AgencyDetailApi.as_view(), name="api-agency-detail"),
    path("groups/", api.GroupListApi.as_view(), name="api-group-list"),
    path("groups/<uuid:uuid>/", api.GroupDetailApi.as_view(), name="api-group-detail"),
    path("groups/<uuid:uuid>/members/", api.GroupMembershipApi.as_view(), name="api-group-members"),
    path(
        "groups/<uuid:uuid>/members/<int:membership_id>/end/",
        api.GroupMembershipEndApi.as_view(),
        name="api-group-member-end",
    ),
]
