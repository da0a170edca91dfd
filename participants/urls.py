from django.urls import path

from participants import views

app_name = "participants"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("groups/", views.group_list, name="group_list"),
]
