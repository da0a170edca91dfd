from django.urls import path

from participants import views

app_name = "participants"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("new/", views.participant_create, name="create"),
    path("groups/", views.group_list, name="group_list"),
    path("groups/new/", views.group_create, name="group_create"),
    path("groups/<slug:slug>/", views.group_detail, name="group_detail"),
    path("groups/<slug:slug>/edit/", views.group_edit, name="group_edit"),
    path("groups/<slug:slug>/members/new/", views.membership_add, name="membership_add"),
    path("groups/<slug:slug>/members/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("agencies/<uuid:uuid>/edit/", views.agency_edit, name="agency_edit"),
    path("<slug:code>/", views.participant_detail, name="detail"),
    path("<slug:code>/edit/", views.participant_edit, name="edit"),
    path("<slug:code>/status/", views.participant_status, name="status"),
    path("<slug:code>/agencies/new/", views.agency_create, name="agency_create"),
]
