"""URL patterns that name an object but are NOT routes to shareable content, each with its reason.

The coverage tests fail on any object route (uuid / pk / slug / id / code kwarg) that is neither
registered with `sharing.registry.register_shareable` nor listed here. Adding a line here is a
statement reviewed like code: say why the route cannot show what the sharing rules protect.
"""

ALLOWLIST: dict[str, str] = {
    # Accounts: the user's own objects, or focal-point user management with its own tests (accounts app).
    "accounts:token_revoke": "The user's own API tokens; looked up inside request.user.api_tokens.",
    "api-token": "The user's own API tokens; looked up inside request.user.api_tokens.",
    "accounts:user": "Focal-point user management, scoped by accounts.permissions (tested in accounts).",
    "accounts:user_action": "Focal-point user management, scoped by accounts.permissions (tested in accounts).",
    "accounts:invitation_revoke": "Focal-point invitation management, scoped by accounts.permissions.",
    "accounts:accept_invitation": "Invitation token for a signed-out visitor; not content.",
    # Participants directory: reference data every signed-in user may read (DESIGN.md 1: who a user is).
    "participants:detail": "Participants directory: reference data, not shareable content.",
    "participants:edit": "Reference data; writes limited to the secretariat (participants tests).",
    "participants:status": "Reference data; writes limited to the secretariat (participants tests).",
    "participants:agency_create": "Reference data; writes limited to the secretariat (participants tests).",
    "participants:agency_edit": "Reference data; writes limited to the secretariat (participants tests).",
    "participants:group_detail": "Group directory; hidden memberships are masked by the participants app.",
    "participants:group_edit": "Group administration; writes limited to the secretariat (participants tests).",
    "participants:membership_add": "Group administration; writes limited to the secretariat (participants tests).",
    "participants:membership_end": "Group administration; writes limited to the secretariat (participants tests).",
    "api-participant-detail": "Participants directory (API).",
    "api-participant-status": "Participants directory (API); writes limited to the secretariat.",
    "api-agency-detail": "Agencies directory (API).",
    "api-group-detail": "Group directory (API); hidden memberships masked by the participants app.",
    "api-group-members": "Group directory (API); hidden memberships masked by the participants app.",
    "api-group-member-end": "Group administration (API); writes limited to the secretariat.",
    # Operations: a job belongs to the user who started it (operations tests prove 404 for others).
    "operations:job-detail": "Background jobs are owned by their starter; not shareable content.",
    "operations:job-progress": "Background jobs are owned by their starter; not shareable content.",
    "operations:job-cancel": "Background jobs are owned by their starter; not shareable content.",
    # Django admin: off unless ADMIN_ENABLED; system administrators only.
    "admin:view_on_site": "Django admin, system administrators only, disabled by default.",
    # allauth: the signed-in user's own security keys.
    "mfa_edit_webauthn": "allauth: the user's own security keys, looked up within request.user.",
    "mfa_remove_webauthn": "allauth: the user's own security keys, looked up within request.user.",
    # Meetings (owner: meetings app): reference data and the user's own calendar feed.
    "meetings:priority": "Priorities are reference data; the page lists events/actions via meetings.queries.",
    "api-meetings-priority-detail": "Priorities are reference data (API).",
    "meetings:commitments": "Per-participant commitments page built from meetings.queries (visible actions only).",
    "meetings:feed": "Personal calendar feed keyed by the user's own secret; built from visible events.",
    "meetings:priority_edit": "Priorities are reference data; writes limited to the secretariat (meetings tests).",
    "meetings:contribution_edit": "Contributions are reference data; secretariat-only pages (meetings tests).",
    "meetings:narrative_decide": "Report narrative versions (not Shareable); decided in meetings.services.",
    # Exchange (owner: exchange app).
    "exchange:release-decide": "Fetched by exchange.queries.get_release_request_or_404 (visible items only).",
    "exchange:subscription-delete": "The user's own subscriptions.",
    "exchange:workspace": "A group's workspace page listing items through exchange.queries (visible items only).",
    # Statistics (owner: regionaldata app): the catalogue is reference data; submissions are registered.
    "regionaldata:dataset": "Data-set catalogue entry (reference data); figures come from visible submissions.",
    "regionaldata:audience": "Data-set audience settings; owner participant's focal points only (regionaldata tests).",
    "regionaldata:grid": "Entry grid of the user's own participant for a data set (regionaldata tests).",
    "regionaldata:indicator-edit": "Indicator catalogue (reference data), secretariat only.",
    "regionaldata:quality-note": "Data-set quality notes (reference data).",
    "regionaldata:template": "Blank upload template of a data set (no figures).",
    "regionaldata:upload": "Upload form for the user's own participant.",
    "regionaldata:upload-status": "The user's own upload jobs.",
    "api-statistics-datasets-detail": "Data-set catalogue (API, reference data).",
    "api-statistics-indicators-detail": "Indicator catalogue (API, reference data).",
}
