from django.urls import path

from operations import views

app_name = "operations"
urlpatterns = [
    path("jobs/<uuid:job_id>/", views.job_detail, name="job-detail"),
    path("jobs/<uuid:job_id>/progress/", views.job_progress, name="job-progress"),
    path("jobs/<uuid:job_id>/cancel/", views.job_cancel, name="job-cancel"),
    path("health/", views.health, name="health"),
    path("metrics/", views.metrics_view, name="metrics"),
]
