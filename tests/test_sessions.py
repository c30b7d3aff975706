"""Sessions end on the server; new passwords revoke what the old one opened; rate limits are
counted once however many processes serve Écho."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import timedelta
from pathlib import Path

import pytest

from feedback.accounts import resets, tokens
from feedback.clock import utcnow
from feedback.extensions import db
from feedback.models import ApiToken, AuditEntry, Role, User
from feedback.security import UnsharedRateLimits, check_shared_limits
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parent.parent
NEW_PASSWORD = "une phrase bien plus longue"


def session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def test_a_copied_cookie_dies_with_sign_out(app, client, auth, make_user, make_establishment):
    user = make_user(Role.MANAGER, make_establishment())
    auth.login(user.email)
    stolen = session_cookie(client)
    assert client.get("/dashboard/summary").status_code == 200
    auth.logout()
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    response = thief.get("/dashboard/summary")
    assert response.status_code == 302 and "/login" in response.location


def test_sign_out_everywhere_ends_every_browser(app, make_user, make_establishment):
    user = make_user(Role.MANAGER, make_establishment())
    phone, desk = app.test_client(), app.test_client()
    for browser in (phone, desk):
        browser.post("/login", data={"email": user.email, "password": PASSWORD})
        assert browser.get("/account").status_code == 200
    assert "2 appareils" in desk.get("/account").text
    response = desk.post("/account/sessions/end")
    assert response.status_code == 302 and "/login" in response.location
    for browser in (phone, desk):
        assert browser.get("/account").status_code == 302
    with app.app_context():
        entry = db.session.scalar(db.select(AuditEntry).where(
            AuditEntry.action == "user.signed_out_everywhere"))
        assert entry.details["sessions"] == 2


def test_a_new_password_ends_other_browsers_and_revokes_tokens(app, make_user,
                                                               make_establishment):
    user = make_user(Role.MANAGER, make_establishment())
    with app.app_context():
        _token, secret = tokens.issue_token(db.session.get(User, user.id), "BI", now=utcnow())
        db.session.commit()
    phone, desk = app.test_client(), app.test_client()
    for browser in (phone, desk):
        browser.post("/login", data={"email": user.email, "password": PASSWORD})
    assert desk.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code \
        == 200
    response = desk.post("/account/password", data={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert desk.get("/account").status_code == 200  # this browser stays signed in
    assert phone.get("/account").status_code == 302  # the other one is signed out
    assert desk.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code \
        == 401
    with app.app_context():
        assert db.session.scalar(db.select(ApiToken)).revoked_at is not None


def test_a_password_reset_ends_sessions_and_revokes_tokens(app, client, make_user,
                                                           make_establishment):
    user = make_user(Role.MANAGER, make_establishment())
    browser = app.test_client()
    browser.post("/login", data={"email": user.email, "password": PASSWORD})
    with app.app_context():
        person = db.session.get(User, user.id)
        _token, secret = tokens.issue_token(person, "BI", now=utcnow())
        token = resets.issue_reset(person, actor=None, valid_for=timedelta(hours=48))
        db.session.commit()
    response = client.post(f"/reset/{token}",
                           data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert browser.get("/account").status_code == 302
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code \
        == 401


@pytest.mark.committed
def test_several_workers_need_shared_rate_limit_storage():
    with pytest.raises(UnsharedRateLimits, match="FLASK_RATELIMIT_STORAGE_URI"):
        check_shared_limits({"RATELIMIT_STORAGE_URI": "memory://"}, workers=4)
    check_shared_limits({"RATELIMIT_STORAGE_URI": "memory://"}, workers=1)
    check_shared_limits({"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379"}, workers=4)
    # With rate limiting switched off (the benchmarks' one client address) nothing is counted.
    check_shared_limits({"RATELIMIT_STORAGE_URI": "memory://", "RATELIMIT_ENABLED": False},
                        workers=4)


# --- A real gunicorn with two workers ---------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(env: dict, workers: int):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind",
         f"127.0.0.1:{port}", "--log-level", "warning", "feedback:create_app()"],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return process, f"http://127.0.0.1:{port}"


def server_env(migrated_database, tmp_path, **settings) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("FLASK_")}
    env.update({"DATABASE_URL": migrated_database[0], "ECHO_INSTANCE_PATH": str(tmp_path),
                "FLASK_SECRET_KEY": "gunicorn-test", "FLASK_WTF_CSRF_ENABLED": "false",
                **{f"FLASK_{name}": value for name, value in settings.items()}})
    return env


@pytest.mark.committed
def test_gunicorn_refuses_several_workers_counting_limits_in_memory(migrated_database,
                                                                    tmp_path):
    process, _base = serve(server_env(migrated_database, tmp_path,
                                      RATELIMIT_STORAGE_URI="memory://"), workers=2)
    try:
        _out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode != 0
    assert "FLASK_RATELIMIT_STORAGE_URI" in err and "redis://" in err


def redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_up(), reason="Redis is not running on 127.0.0.1:6379")
@pytest.mark.committed
def test_two_workers_count_failed_sign_ins_once(app, make_user, make_establishment,
                                                migrated_database, tmp_path):
    """5 failed sign-ins per account and 15 minutes: the 6th is refused, whichever worker."""
    user = make_user(Role.MANAGER, make_establishment())
    env = server_env(migrated_database, tmp_path,
                     RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379",
                     RATELIMIT_KEY_PREFIX=f"echo-test-{uuid.uuid4().hex}")
    process, base = serve(env, workers=2)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/login", timeout=5).read()
                break
            except (urllib.error.URLError, ConnectionError):
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        statuses = []
        for _ in range(8):
            body = urllib.parse.urlencode({"email": user.email, "password": "wrong"}).encode()
            request = urllib.request.Request(base + "/login", data=body,
                                             headers={"Connection": "close"})
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    statuses.append(response.status)
            except urllib.error.HTTPError as error:
                statuses.append(error.code)
        assert statuses[:5] == [200] * 5, statuses
        assert statuses[5:] == [429] * 3, statuses
    finally:
        process.terminate()
        _out, err = process.communicate(timeout=30)
    assert not re.search(r"Traceback", err), err
