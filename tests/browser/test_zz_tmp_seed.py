import time

import pytest
from django.core.management import call_command


@pytest.mark.django_db(transaction=True)
def test_seed():
    t = time.time()
    call_command("seed_demo")
    print("seed", time.time() - t)
    t = time.time()
    call_command("seed_demo")
    print("seed2", time.time() - t)
