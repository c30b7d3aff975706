"""Shared by the benchmarks: a throw-away Écho served by gunicorn on 127.0.0.1, and HTTP clients."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379")
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES_URL",
                                 "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@contextmanager
def instance(database_url: str | None = None, rate_limits: bool = False):
    """Environment for an app on a fresh database (SQLite in a temporary folder by default).

    `rate_limits`: counted as in production, in Redis (under a key prefix of this run only), each
    simulated device sending from an address of its own (X-Forwarded-For, one trusted proxy hop);
    otherwise off, the benchmark being one client address sending thousands of answers.
    """
    with tempfile.TemporaryDirectory(prefix="echo-bench-") as folder:
        env = dict(os.environ)
        env.update({
            "ECHO_INSTANCE_PATH": folder,
            "DATABASE_URL": database_url or f"sqlite:///{folder}/bench.sqlite3",
            "FLASK_SECRET_KEY": "bench-secret",
        })
        if rate_limits:
            env.update({"FLASK_RATELIMIT_ENABLED": "true",
                        "FLASK_RATELIMIT_STORAGE_URI": REDIS_URL,
                        "FLASK_RATELIMIT_KEY_PREFIX": f"echo-bench-{uuid.uuid4().hex[:8]}",
                        "FLASK_PROXY_FIX_HOPS": "1"})
        else:
            env["FLASK_RATELIMIT_ENABLED"] = "false"
        yield env


@contextmanager
def own_postgres_database(server_url: str = POSTGRES_SERVER, prefix: str = "echo_bench"):
    """A PostgreSQL database created for this run on the server of `server_url`, and dropped at
    the end: a benchmark never empties or drops a database it did not create."""
    import sqlalchemy as sa

    from feedback.config import normalise_database_url

    url = sa.make_url(normalise_database_url(server_url))
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def postgres_reachable(server_url: str = POSTGRES_SERVER) -> bool:
    import sqlalchemy as sa

    from feedback.config import normalise_database_url

    try:
        engine = sa.create_engine(normalise_database_url(server_url))
        with engine.connect():
            pass
        engine.dispose()
        return True
    except sa.exc.OperationalError:
        return False


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


def start_gunicorn(env: dict, workers: int, threads: int | None = 1, port: int | None = None,
                   app: str = "feedback:create_app()", probe: str = "/login",
                   extra: tuple[str, ...] = ()) -> tuple[subprocess.Popen, str]:
    """A gunicorn master serving `app` on 127.0.0.1, once it answers `probe`.

    `threads` None: as gunicorn.conf.py sets them.
    """
    port = port or free_port()
    threading_args = ("--threads", str(threads)) if threads is not None else ()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), *threading_args,
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", *extra, app],
        env=env, cwd=ROOT, start_new_session=True,  # its own group: killed whole, like a machine
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + probe, timeout=10).read()
            return process, base
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() > deadline or process.poll() is not None:
                process.terminate()
                raise RuntimeError("gunicorn did not start") from None
            time.sleep(0.2)


@contextmanager
def gunicorn(env: dict, workers: int, threads: int = 1):
    process, base = start_gunicorn(env, workers, threads)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def bare_server(database_url: str, workers: int, threads: int = 1):
    """The bare Flask + SQLAlchemy endpoint (bench/_bare.py) on the same database engine, its
    table created for the run and dropped after it."""
    import sqlalchemy as sa

    from feedback.config import normalise_database_url

    sys.path.insert(0, str(ROOT / "bench"))
    from _bare import BareAnswer

    url = normalise_database_url(database_url)
    engine = sa.create_engine(url)
    BareAnswer.__table__.create(engine)
    env = dict(os.environ, BARE_DATABASE_URL=url, FLASK_SECRET_KEY="bench-secret")
    with tempfile.NamedTemporaryFile("w", suffix=".py") as no_config:
        # Not Écho's gunicorn.conf.py: the bare app has no rate limits to guard nor models to load.
        process, base = start_gunicorn(
            env, workers, threads, app="_bare:create_app()", probe="/bare",
            extra=("--config", no_config.name, "--pythonpath", str(ROOT / "bench")))
        try:
            yield base, lambda: _count(engine, BareAnswer)
        finally:
            process.terminate()
            process.wait(timeout=30)
            BareAnswer.__table__.drop(engine)
            engine.dispose()


def _count(engine, model) -> int:
    import sqlalchemy as sa

    with engine.connect() as connection:
        return connection.scalar(sa.select(sa.func.count()).select_from(model))


def bare_rate(base: str, clients: int, requests: int) -> dict:
    """GET form + POST answer pairs per second on the bare endpoint, `clients` at once."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    share = requests // clients

    def client_loop(index: int) -> None:
        rng = __import__("random").Random(index)
        for _ in range(share):
            client = Client(base)
            status, page = client.request("/bare")
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]*)"', page)
            if status != 200 or not token:
                with lock:
                    errors.append(f"GET {status}")
                continue
            started = time.perf_counter()
            status, _ = client.request("/bare", {
                "csrf_token": token.group(1), "role": rng.choice(["nurse", "clerk"]),
                "score": str(rng.randrange(1, 6)), "comment": "Le badge ne marche pas."})
            with lock:
                latencies.append(time.perf_counter() - started)
                if status != 302:
                    errors.append(f"POST {status}")

    started = time.perf_counter()
    threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {"sent": len(latencies), "elapsed": elapsed, "rate": len(latencies) / elapsed,
            "p50": percentile(latencies, .5) if latencies else 0.0,
            "p95": percentile(latencies, .95) if latencies else 0.0, "errors": errors}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_addresses = iter(range(1, 1 << 24))
_address_lock = threading.Lock()


def new_address() -> str:
    """A client address of its own (10.x.y.z), sent as X-Forwarded-For to a server that trusts
    one proxy hop: each simulated device is counted apart by the rate limits, as in a hospital."""
    with _address_lock:
        n = next(_addresses)
    return f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"


class Client:
    """One device: its own cookies and address, no redirect following (a 302 is the success we
    measure)."""

    def __init__(self, base: str):
        self.base = base
        self.address = new_address()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())

    def request(self, path: str, data: dict | list | None = None,
                headers: dict | None = None, body: bytes | None = None) -> tuple[int, str]:
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
        headers = {"X-Forwarded-For": self.address, **(headers or {})}
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode(errors="replace")
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
