from django.urls import path

from exchange import api

urlpatterns = [
    path("exchange/items/", api.ItemListView.as_view(), name="api-exchange-items"),
    path("exchange/items/<uuid:uuid>/", api.ItemDetailView.as_view(), name="api-exchange-item"),
    path("exchange/items/<uuid:uuid>/share/", api.ItemShareView.as_view(), name="api-exchange-item-share"),
    path("exchange/items/<uuid:uuid>/withdraw/", api.ItemWithdrawView.as_view(), name="api-exchange-item-withdraw"),
    path("exchange/items/<uuid:uuid>/comments/", api.ItemCommentsView.as_view(), name="api-exchange-item-comments"),
    path(
        "exchange/items/<uuid:uuid>/attachments/<uuid:attachment>/",
        api.ItemAttachmentView.as_view(),
        name="api-exchange-item-attachment",
    ),
    path("exchange/search/", api.SearchView.as_view(), name="api-exchange-search"),
    path("exchange/export/", api.ExportView.as_view(), name="api-exchange-export"),
    path("exchange/requests/", api.RfiListView.as_view(), name="api-exchange-rfis"),
    path("exchange/requests/<uuid:uuid>/", api.RfiDetailView.as_view(), name="api-exchange-rfi"),
    path("exchange/requests/<uuid:uuid>/answers/", api.RfiAnswersView.as_view(), name="api-exchange-rfi-answers"),
    path("exchange/requests/<uuid:uuid>/close/", api.RfiCloseView.as_view(), name="api-exchange-rfi-close"),
    path("exchange/answers/<uuid:uuid>/", api.AnswerDetailView.as_view(), name="api-exchange-answer"),
    path("exchange/notifications/", api.NotificationsView.as_view(), name="api-exchange-notifications"),
]
