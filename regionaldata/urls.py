from django.urls import path

from regionaldata import views

app_name = "regionaldata"
urlpatterns = [
    path("", views.index, name="index"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/<slug:code>/edit/", views.indicator_edit, name="indicator-edit"),
    path("datasets/new/", views.dataset_new, name="dataset-new"),
    path("datasets/<slug:code>/", views.dataset_detail, name="dataset"),
    path("datasets/<slug:code>/template.<str:fmt>", views.template_download, name="template"),
    path("datasets/<slug:code>/upload/", views.upload, name="upload"),
    path("datasets/<slug:code>/audience/", views.dataset_audience, name="audience"),
    path("datasets/<slug:code>/notes/", views.quality_note, name="quality-note"),
    path("datasets/<slug:code>/grid/<str:period>/", views.grid, name="grid"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("submissions/<int:pk>/<slug:action>/", views.submission_action, name="submission-action"),
    path("uploads/<int:pk>/", views.upload_status, name="upload-status"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("public/", views.public_dashboard, name="public"),
    path("completeness/", views.completeness, name="completeness"),
    path("completeness/remind/", views.send_reminders, name="remind"),
    path("explorer/", views.explorer, name="explorer"),
    path("export/<str:fmt>/", views.export, name="export"),
    path("sdmx/structure.xml", views.sdmx_structure, name="sdmx-structure"),
    path("feedback/<slug:participant>/<int:year>-Q<int:quarter>.pdf", views.feedback_pdf, name="feedback"),
]
