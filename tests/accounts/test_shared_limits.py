"""Several workers share one count of sign-in attempts through Redis."""

import subprocess
import sys
import uuid

import pytest

pytestmark = pytest.mark.redis

# Another worker: its own process, its own app, the same Redis.
WORKER = """
import sys
from academy import create_app
app = create_app({
    "SECRET_KEY": sys.argv[1], "WTF_CSRF_ENABLED": False,
    "ACADEMY_DATABASE_URL": sys.argv[2], "ACADEMY_RATELIMIT_STORAGE_URL": sys.argv[3],
    "ACADEMY_SIGN_IN_NAME_LIMIT": "2 per minute",
})
client = app.test_client()
for _ in range(2):
    response = client.post("/sign-in", data={"username": "rose", "password": "guess guess"})
    assert response.status_code == 400, response.status_code
"""


def test_guesses_counted_by_one_worker_are_refused_by_another(make_app, database_url, redis_url):
    secret = uuid.uuid4().hex  # keys are keyed hashes: a fresh secret gives fresh counters
    config = {
        "SECRET_KEY": secret,
        "ACADEMY_RATELIMIT_STORAGE_URL": redis_url,
        "ACADEMY_SIGN_IN_NAME_LIMIT": "2 per minute",
    }
    app = make_app(**config)
    subprocess.run(
        [sys.executable, "-c", WORKER, secret, database_url, redis_url], check=True, timeout=60
    )
    response = app.test_client().post(
        "/sign-in", data={"username": "rose", "password": "guess guess"}
    )
    assert response.status_code == 429


def test_each_worker_counts_alone_in_memory(make_app, database_url):
    secret = uuid.uuid4().hex
    app = make_app(SECRET_KEY=secret, ACADEMY_SIGN_IN_NAME_LIMIT="2 per minute")
    subprocess.run(
        [sys.executable, "-c", WORKER, secret, database_url, "memory://"], check=True, timeout=60
    )
    response = app.test_client().post(
        "/sign-in", data={"username": "rose", "password": "guess guess"}
    )
    assert response.status_code == 400  # which is why several workers need Redis
