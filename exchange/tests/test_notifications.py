"""Notifications are produced as their recipient and checked again when the e-mail is sent."""

import pytest
from django.core import mail

from exchange import notify, services
from exchange.models import Notification, Subscription
from exchange.queries import unread_count
from exchange.tests.conftest import make_item
from operations.models import OutboxMessage
from operations.outbox import deliver_pending

pytestmark = pytest.mark.django_db


def subscribe(user, **fields):
    return Subscription.objects.create(user=user, name="Watch", **fields)


def share(author, group, django_capture_on_commit_callbacks, **fields):
    with django_capture_on_commit_callbacks(execute=True):
        return make_item(author, group=group, **fields)


def test_a_group_subscription_notifies_members_who_see_the_item(personas, django_capture_on_commit_callbacks):
    subscribe(personas.bea_analyst, group=personas.rilon)
    subscribe(personas.gus_outsider, group=personas.rilon)
    item = share(personas.alan_analyst, personas.rilon, django_capture_on_commit_callbacks)
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["bea"]
    assert unread_count(personas.bea_analyst) == 1
    message = OutboxMessage.objects.get()
    assert message.recipient == personas.bea_analyst and message.target_id == str(item.pk)


def test_an_amber_email_carries_the_title_and_a_link_but_never_the_body(personas, django_capture_on_commit_callbacks):
    subscribe(personas.bea_analyst, kind="trend_report")
    item = share(
        personas.alan_analyst,
        personas.rilon,
        django_capture_on_commit_callbacks,
        tlp="amber",
        summary="Summary words",
        body="BODYSECRET",
    )
    message = OutboxMessage.objects.get()
    assert item.title in message.body and str(item.uuid) in message.body
    assert "BODYSECRET" not in message.body and "Summary words" not in message.body


def test_a_red_email_shows_neither_title_nor_body(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = make_item(
            personas.alan_analyst, recipients=[f"user:{personas.bea_analyst.pk}"], tlp="red", title="REDTITLE"
        )
    message = OutboxMessage.objects.get()
    assert "REDTITLE" not in message.body + message.subject
    assert "TLP:RED" in message.subject and str(item.uuid) in message.body


def test_the_send_time_check_drops_an_email_for_an_item_withdrawn_meanwhile(
    personas, django_capture_on_commit_callbacks
):
    subscribe(personas.bea_analyst, group=personas.rilon)
    item = share(personas.alan_analyst, personas.rilon, django_capture_on_commit_callbacks)
    services.withdraw_item(item=item, actor=personas.alan_analyst)
    assert deliver_pending() == 0
    assert OutboxMessage.objects.get().state == OutboxMessage.State.DROPPED
    assert mail.outbox == []


def test_the_email_is_sent_when_still_visible_and_only_once(personas, django_capture_on_commit_callbacks):
    subscribe(personas.bea_analyst, group=personas.rilon)
    item = share(personas.alan_analyst, personas.rilon, django_capture_on_commit_callbacks)
    assert notify.notify_item(item.pk, "published") == 0  # a retry queues nothing twice
    assert deliver_pending() == 1
    assert len(mail.outbox) == 1


def test_anonymous_item_notifications_hide_the_originator(personas, django_capture_on_commit_callbacks, signed_in):
    subscribe(personas.bea_analyst, group=personas.rilon)
    share(
        personas.alan_analyst,
        personas.rilon,
        django_capture_on_commit_callbacks,
        tlp="green",
        anonymous=True,
        anonymous_group=personas.rilon,
    )
    message = OutboxMessage.objects.get()
    assert "a member of Test RILON" in message.body and "Alphaland" not in message.body
    page = signed_in(personas.bea_analyst).get("/exchange/notifications/").content.decode()
    assert "a member of Test RILON" in page


def test_saved_search_and_attribute_subscriptions(personas, django_capture_on_commit_callbacks):
    subscribe(personas.bea_analyst, query="impostor", frequency=Subscription.Frequency.IN_APP)
    subscribe(personas.ben_viewer, nationality="AFG", route="CMB-KUL-PER")
    share(personas.alan_analyst, personas.rilon, django_capture_on_commit_callbacks, title="Impostors at CMB")
    share(
        personas.alan_analyst,
        personas.rilon,
        django_capture_on_commit_callbacks,
        title="Afghan nationals",
        nationalities=["AFG"],
        routes=["CMB-KUL-PER"],
    )
    assert list(Notification.objects.filter(user=personas.bea_analyst).values_list("item__title", flat=True)) == [
        "Impostors at CMB"
    ]
    assert list(Notification.objects.filter(user=personas.ben_viewer).values_list("item__title", flat=True)) == [
        "Afghan nationals"
    ]
    assert OutboxMessage.objects.filter(recipient=personas.bea_analyst).count() == 0


def test_daily_digest_lists_visible_items_once_a_day(personas, django_capture_on_commit_callbacks):
    subscribe(personas.bea_analyst, group=personas.rilon, frequency=Subscription.Frequency.DAILY)
    share(personas.alan_analyst, personas.rilon, django_capture_on_commit_callbacks, title="First", tlp="green")
    gone = share(personas.alan_analyst, personas.rilon, django_capture_on_commit_callbacks, title="Second")
    services.withdraw_item(item=gone, actor=personas.alan_analyst)
    assert OutboxMessage.objects.count() == 0
    assert notify.send_digests() == 1
    assert notify.send_digests() == 0
    digest = OutboxMessage.objects.get()
    assert "First" in digest.body and "Second" not in digest.body
    assert deliver_pending() == 1


def test_unread_count_on_the_home_page_and_mark_as_read(personas, django_capture_on_commit_callbacks, signed_in):
    subscribe(personas.bea_analyst, group=personas.rilon)
    share(personas.alan_analyst, personas.rilon, django_capture_on_commit_callbacks)
    client = signed_in(personas.bea_analyst)
    assert "Notifications (1 unread)" in client.get("/").content.decode()
    client.post("/exchange/notifications/")
    assert unread_count(personas.bea_analyst) == 0


def test_a_notification_disappears_when_the_item_is_narrowed_away(personas, django_capture_on_commit_callbacks):
    subscribe(personas.bea_analyst, group=personas.rilon)
    item = share(personas.alan_analyst, personas.rilon, django_capture_on_commit_callbacks)
    services.share_item(
        item=item, actor=personas.alan_analyst, distribution="originator", tlp="amber", recipient_keys=[]
    )
    assert unread_count(personas.bea_analyst) == 0


def test_the_home_page_counts_only_notifications_whose_item_is_still_visible(
    personas, django_capture_on_commit_callbacks, signed_in
):
    client = signed_in(personas.bea_analyst)
    assert "Notifications (0 unread)" in client.get("/").content.decode()
    subscribe(personas.bea_analyst, group=personas.rilon)
    item = share(personas.alan_analyst, personas.rilon, django_capture_on_commit_callbacks, title="Narrowed later")
    assert "Notifications (1 unread)" in client.get("/").content.decode()
    services.share_item(
        item=item, actor=personas.alan_analyst, distribution="originator", tlp="amber", recipient_keys=[]
    )
    assert Notification.objects.filter(user=personas.bea_analyst, read_at__isnull=True).exists()
    page = client.get("/").content.decode()
    assert "Notifications (0 unread)" in page and "Narrowed later" not in page
