from django.urls import path

from documents import views

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("export.csv", views.document_export, name="export"),
    path("new/", views.document_create, name="create"),
    path("approvals/", views.approvals, name="approvals"),
    path("release-requests/", views.release_requests, name="release_requests"),
    path("<uuid:uuid>/", views.document_detail, name="detail"),
    path("<uuid:uuid>/download/", views.document_download, name="download"),
    path("<uuid:uuid>/edit/", views.document_edit, name="edit"),
    path("<uuid:uuid>/share/", views.document_share, name="share"),
    path("<uuid:uuid>/withdraw/", views.document_withdraw, name="withdraw"),
    path("<uuid:uuid>/publish/", views.document_publish, name="publish"),
    path("<uuid:uuid>/approve/", views.document_approve, name="approve"),
    path("<uuid:uuid>/release-requests/new/", views.release_request_new, name="release_request_new"),
    path(
        "<uuid:uuid>/release-requests/<int:request_id>/",
        views.release_request_decide,
        name="release_request_decide",
    ),
]
