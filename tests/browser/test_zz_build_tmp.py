import pytest
from tests.browser.xss_world import build
@pytest.mark.django_db(transaction=True)
def test_build():
    w = build()
    print(w.document.title, w.item.uuid)
