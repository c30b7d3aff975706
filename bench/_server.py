"""Shared by the benchmarks: a throw-away Écho served by gunicorn on 127.0.0.1, and HTTP clients."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def instance(database_url: str | None = None):
    """Environment for an app on a fresh database (SQLite in a temporary folder by default)."""
    with tempfile.TemporaryDirectory(prefix="echo-bench-") as folder:
        env = dict(os.environ)
        env.update({
            "ECHO_INSTANCE_PATH": folder,
            "DATABASE_URL": database_url or f"sqlite:///{folder}/bench.sqlite3",
            "FLASK_SECRET_KEY": "bench-secret",
            # The benchmark is one client address sending thousands of answers.
            "FLASK_RATELIMIT_ENABLED": "false",
        })
        yield env


def flask(env: dict, *args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "feedback", *args], env=env,
                            cwd=ROOT, capture_output=True, text=True, check=True)
    return result.stdout


def app_for(env: dict):
    """The app as the server sees it: same environment, same database."""
    os.environ.update(env)
    from feedback import create_app

    return create_app()


def count_rows(env: dict, model) -> int:
    from sqlalchemy import func, select

    from feedback.extensions import db

    app = app_for(env)
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(model))
        db.engine.dispose()
    return count


@contextmanager
def gunicorn(env: dict, workers: int, threads: int = 1):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", str(threads),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "feedback:create_app()"],
        env=env, cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/login", timeout=10).read()
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """One device: its own cookies, no redirect following (a 302 is the success we measure)."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())

    def request(self, path: str, data: dict | list | None = None,
                headers: dict | None = None, body: bytes | None = None) -> tuple[int, str]:
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")


def hidden(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', page) or re.search(
        rf'id="{name}" name="{name}" type="hidden" value="([^"]*)"', page)
    if not match:
        raise ValueError(f"no hidden field {name}")
    return match.group(1)


def survey_answers(page: str, rng, sectors: list[str], comments: list[str],
                   comment_share: float) -> dict:
    """A respondent's answers to the survey form in `page`: random scores, sometimes a comment."""
    data = {"csrf_token": hidden(page, "csrf_token"), "token": hidden(page, "token"),
            "role": rng.choice(["nurse", "physician", "clerk", "professional"]),
            "sector": rng.choice(sectors), "phase": "1", "recommend": str(rng.randrange(11)),
            "comment": rng.choice(comments) if rng.random() < comment_share else "",
            "contact": "", "website": ""}
    data.update({f"item_{item}": str(rng.randrange(1, 6))
                 for item in ("access", "training", "workflow", "support", "safety")})
    return data


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]
