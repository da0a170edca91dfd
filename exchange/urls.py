from django.urls import path

from exchange import views, views_more

app_name = "exchange"
urlpatterns = [
    path("", views.index, name="index"),
    path("items/new/", views.item_new, name="item-new"),
    path("items/<uuid:uuid>/", views.item_detail, name="item"),
    path("items/<uuid:uuid>/edit/", views.item_edit, name="item-edit"),
    path("items/<uuid:uuid>/share/", views.item_share, name="item-share"),
    path("items/<uuid:uuid>/publish/", views.item_publish, name="item-publish"),
    path("items/<uuid:uuid>/approve/", views.item_approve, name="item-approve"),
    path("items/<uuid:uuid>/withdraw/", views.item_withdraw, name="item-withdraw"),
    path("items/<uuid:uuid>/release/", views.item_release, name="item-release"),
    path("items/<uuid:uuid>/comments/", views.comments, name="comments"),
    path("items/<uuid:uuid>/attachments/", views.attachments, name="attachments"),
    path("items/<uuid:uuid>/attachments/<uuid:attachment>/", views.attachment_download, name="attachment"),
    path("items/<uuid:uuid>/links/", views.item_link, name="item-link"),
    path("items/<uuid:uuid>/export/<str:fmt>/", views.item_export, name="item-export"),
    path("export/", views.export_all, name="export-all"),
    path("approvals/", views.approvals, name="approvals"),
    path("releases/<int:pk>/decide/", views.release_decide, name="release-decide"),
    path("search/", views_more.search_page, name="search"),
    path("search/suggest/", views_more.suggest, name="suggest"),
    path("groups/", views_more.workspaces, name="workspaces"),
    path("groups/<slug:slug>/", views_more.workspace, name="workspace"),
    path("requests/", views_more.rfis, name="rfis"),
    path("requests/new/", views_more.rfi_new, name="rfi-new"),
    path("requests/response-rates/", views_more.rfi_rates, name="rfi-rates"),
    path("requests/<uuid:uuid>/", views_more.rfi_detail, name="rfi"),
    path("requests/<uuid:uuid>/answer/", views_more.rfi_answer, name="rfi-answer"),
    path("requests/<uuid:uuid>/close/", views_more.rfi_close, name="rfi-close"),
    path("answers/<uuid:uuid>/", views_more.answer_detail, name="answer"),
    path("notifications/", views_more.notifications, name="notifications"),
    path("subscriptions/", views_more.subscriptions, name="subscriptions"),
    path("subscriptions/<int:pk>/delete/", views_more.subscription_delete, name="subscription-delete"),
]
