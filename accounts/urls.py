from django.urls import path
from django.views.generic import RedirectView

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("me/", views.account, name="account"),
    path("me/profile/", views.profile, name="profile"),
    path("me/tokens/new/", views.token_new, name="token_new"),
    path("me/tokens/", views.token_create, name="token_create"),
    path("me/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("me/sessions/end-others/", views.end_other_sessions, name="end_other_sessions"),
    path("users/", views.user_list, name="users"),
    path("users/invite/", views.invite, name="invite"),
    path("users/invitations/<int:pk>/withdraw/", views.invitation_revoke, name="invitation_revoke"),
    path("users/<uuid:uuid>/", views.user_detail, name="user"),
    path("users/<uuid:uuid>/<slug:action>/", views.user_action, name="user_action"),
    # allauth's e-mail page would copy the address into its EmailAddress table in clear: use the profile.
    path("email/", RedirectView.as_view(pattern_name="accounts:profile"), name="email_redirect"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
