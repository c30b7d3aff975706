"""Load without loss: 5,000 survey submissions and 1,000 observation syncs (with deliberate
duplicate retries) from 16 concurrent clients against gunicorn (2 workers) on 127.0.0.1, on
SQLite and on PostgreSQL. Rate limits stay on, counted in Redis; each phone and each super-user's
device sends from an address of its own. Prints throughput, p50/p95/p99, errors (must be 0), rows
stored against distinct items sent (nothing lost, nothing doubled), the same server's rate on a
trivial endpoint (ceiling) and, in the same run, a bare Flask + SQLAlchemy endpoint that validates
a small form and inserts one row (bench/_bare.py) with the same workers and clients.

    .venv/bin/python bench/load.py [--surveys 5000] [--observations 1000] [--clients 16]
                                   [--sqlite-only] [--postgres-url URL]

PostgreSQL: a database created for the run on BENCH_POSTGRES_URL's server and dropped after it;
--postgres-url names one you created instead (used as it is, never emptied nor dropped).
"""

import argparse
import json
import queue
import random
import re
import threading
import time
import uuid
from contextlib import nullcontext
from datetime import timedelta

from _server import (
    Client,
    app_for,
    bare_rate,
    bare_server,
    count_rows,
    flask,
    gunicorn,
    hidden,
    instance,
    own_postgres_database,
    percentile,
    postgres_reachable,
    survey_answers,
)

PASSWORD = "banc-de-charge-2026"
RETRY_SHARE = 0.2  # a fifth of the observations are sent twice, as after a lost answer
OBSERVERS = 4  # super-users; a retry comes from the device that sent the observation first
TEXTS = [
    "Le tap-in ne répond plus au poste 2 de l'urgence, trois infirmières attendent.",
    "Imprimante d'étiquettes hors service en pédiatrie, on écrit à la main.",
    "Super-user rounds in ICU: two nurses still unsure how to document the MAR.",
    "La liste de travail des inhalothérapeutes n'affiche pas les nouveaux patients.",
]


def setup(env: dict) -> dict:
    from feedback.accounts import create_user
    from feedback.clock import local_today
    from feedback.extensions import db
    from feedback.models import Establishment, Role, Sector, Site, SiteKind
    from feedback.surveys import create_campaign

    flask(env, "db", "upgrade")
    app = app_for(env)
    with app.app_context():
        establishment = Establishment(name="Banc de charge", code="LOAD", go_live=local_today())
        site = Site(name="Hôpital", kind=SiteKind.HOSPITAL, establishment=establishment)
        site.sectors = [Sector(code=c, name_fr=c, name_en=c) for c in ("urgence", "chirurgie")]
        db.session.add(establishment)
        db.session.flush()
        campaign = create_campaign(establishment=establishment, title_fr="Charge",
                                   title_en="Load", opens_on=local_today(),
                                   closes_on=local_today() + timedelta(days=7))
        emails = [f"super{n}@load.example" for n in range(OBSERVERS)]
        for email in emails:
            create_user(email=email, name=email, role=Role.SUPER_USER, password=PASSWORD,
                        establishment=establishment)
        db.session.commit()
        result = {"slug": campaign.slug, "sectors": [str(s.id) for s in site.sectors],
                  "emails": emails}
        db.engine.dispose()
    return result


class Worker:
    def __init__(self, base: str, config: dict, index: int, results: dict, lock: threading.Lock):
        self.base, self.config, self.rng = base, config, random.Random(index)
        self.results, self.lock = results, lock
        self.observers: dict[int, tuple[Client, str, list[str]]] = {}

    def record(self, kind: str, seconds: float, ok: bool, detail: str = "") -> None:
        with self.lock:
            self.results[kind].append(seconds)
            if not ok:
                self.results["errors"].append(f"{kind}: {detail}")

    def survey(self) -> None:
        client = Client(self.base)  # a new phone each time
        status, page = client.request(f"/s/{self.config['slug']}")
        if status != 200:
            self.record("survey", 0.0, False, f"GET {status}")
            return
        data = survey_answers(page, self.rng, self.config["sectors"], TEXTS, comment_share=0.3)
        started = time.perf_counter()
        status, _ = client.request(f"/s/{self.config['slug']}", data)
        self.record("survey", time.perf_counter() - started, status == 302, f"POST {status}")

    def sign_in(self, observer: int) -> tuple[Client, str, list[str]]:
        client = Client(self.base)
        _, page = client.request("/login")
        status, _ = client.request("/login", {"csrf_token": hidden(page, "csrf_token"),
                                              "email": self.config["emails"][observer],
                                              "password": PASSWORD})
        if status != 302:
            raise RuntimeError(f"sign-in failed: {status}")
        _, form = client.request("/observations/new")
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', form).group(1)
        return client, csrf, re.findall(r'<option (?:selected )?value="(sector-\d+)"', form)

    def observation(self, item_uuid: str, observer: int) -> None:
        if observer not in self.observers:
            self.observers[observer] = self.sign_in(observer)
        client, csrf, locations = self.observers[observer]
        item = {"uuid": item_uuid, "text": self.rng.choice(TEXTS),
                "location": self.rng.choice(locations), "affected_role": "nurse",
                "priority": self.rng.choice(["", "P1", "P2", "P3"])}
        body = json.dumps({"items": [item]}).encode()
        started = time.perf_counter()
        status, answer = client.request(
            "/observations/sync", body=body,
            headers={"Content-Type": "application/json", "X-CSRFToken": csrf})
        elapsed = time.perf_counter() - started
        try:
            stored = json.loads(answer)["results"][0]["status"] == "stored"
        except (ValueError, KeyError, IndexError):
            stored = False
        self.record("sync", elapsed, status == 200 and stored, f"{status} {answer[:80]}")


def run(env: dict, args) -> dict:
    config = setup(env)
    tasks: queue.Queue = queue.Queue()
    rng = random.Random(2026)
    uuids = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(args.observations)]
    items = [("survey", None)] * args.surveys + [("sync", u) for u in uuids]
    items += [("sync", u) for u in rng.sample(uuids, int(len(uuids) * RETRY_SHARE))]
    rng.shuffle(items)
    for item in items:
        tasks.put(item)
    results: dict = {"survey": [], "sync": [], "errors": []}
    lock = threading.Lock()

    def work(index: int) -> None:
        worker = Worker(base, config, index, results, lock)
        while True:
            try:
                kind, item_uuid = tasks.get_nowait()
            except queue.Empty:
                return
            try:
                if kind == "survey":
                    worker.survey()
                else:
                    worker.observation(item_uuid, uuids.index(item_uuid) % OBSERVERS)
            except Exception as error:  # a failed request is a result, not a crash
                worker.record(kind, 0.0, False, repr(error)[:120])

    with bare_server(env["DATABASE_URL"], 2, args.threads) as (bare_base, _stored):
        bare = bare_rate(bare_base, args.clients, min(args.surveys, 2000))
    with gunicorn(env, workers=2, threads=args.threads) as base:
        started = time.perf_counter()
        threads = [threading.Thread(target=work, args=(i,)) for i in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        ceiling = trivial_rate(base, args.clients, seconds=10)

    from feedback.models import ObservationDetail, SurveyResponse

    return {
        "requests": len(results["survey"]) + len(results["sync"]),
        "elapsed": elapsed,
        "latencies": results["survey"] + results["sync"],
        "survey_latencies": results["survey"], "sync_latencies": results["sync"],
        "errors": results["errors"],
        "surveys_stored": count_rows(env, SurveyResponse),
        "observations_stored": count_rows(env, ObservationDetail),
        "surveys_sent": args.surveys, "observations_sent": args.observations,
        "retries": len(items) - args.surveys - args.observations,
        "ceiling": ceiling, "bare": bare, "clients": args.clients,
    }


def trivial_rate(base: str, clients: int, seconds: float) -> float:
    """Requests per second on /healthz: what the same server and clients manage with no work."""
    count = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def hammer() -> None:
        client = Client(base)
        done = 0
        while time.perf_counter() < deadline:
            client.request("/healthz")
            done += 1
        with lock:
            count[0] += done

    threads = [threading.Thread(target=hammer) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return count[0] / seconds


def report(name: str, r: dict) -> bool:
    rate = r["requests"] / r["elapsed"]
    lat = r["latencies"]
    ok = (not r["errors"] and r["surveys_stored"] == r["surveys_sent"]
          and r["observations_stored"] == r["observations_sent"])
    print(f"== {name}: gunicorn 2 workers, {r['clients']} clients")
    print(f"requests            {r['requests']} in {r['elapsed']:.1f} s "
          f"({r['surveys_sent']} surveys, {r['observations_sent']} observations "
          f"+ {r['retries']} duplicate retries)")
    print(f"throughput          {rate:.1f} requests/s")
    print(f"latency p50/p95/p99 {percentile(lat, .5) * 1000:.0f} / "
          f"{percentile(lat, .95) * 1000:.0f} / {percentile(lat, .99) * 1000:.0f} ms")
    print(f"  survey POST p50   {percentile(r['survey_latencies'], .5) * 1000:.0f} ms, "
          f"sync p50 {percentile(r['sync_latencies'], .5) * 1000:.0f} ms")
    print(f"errors              {len(r['errors'])} {sorted(set(r['errors']))[:3]}")
    print(f"surveys stored      {r['surveys_stored']} of {r['surveys_sent']} sent")
    print(f"observations stored {r['observations_stored']} of {r['observations_sent']} distinct "
          f"(nothing doubled by the retries)")
    print(f"ceiling /healthz    {r['ceiling']:.0f} requests/s; ratio {rate / r['ceiling']:.2f}")
    bare = r["bare"]
    surveys_rate = len(r["survey_latencies"]) / r["elapsed"]
    print(f"bare endpoint       {bare['rate']:.1f} GET+POST pairs/s, POST p50 "
          f"{bare['p50'] * 1000:.0f} ms, {len(bare['errors'])} errors (same workers, clients)")
    print(f"surveys / bare      {surveys_rate / bare['rate']:.1%} (surveys alone, while the "
          "observations share the server)")
    print("rate limits         on, counted in Redis, one address per device")
    print(f"result              {'OK' if ok else 'LOSS OR ERRORS'}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--surveys", type=int, default=5000)
    parser.add_argument("--observations", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1, help="per gunicorn worker")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--postgres-url")
    args = parser.parse_args()

    all_ok = True
    with instance(rate_limits=True) as env:
        all_ok &= report("SQLite", run(env, args))
    if not args.sqlite_only:
        if args.postgres_url:
            database = nullcontext(args.postgres_url)
        elif postgres_reachable():
            database = own_postgres_database()
        else:
            database = None
            print("PostgreSQL unreachable: skipped")
        if database is not None:
            with database as url, instance(url, rate_limits=True) as env:
                all_ok &= report("PostgreSQL", run(env, args))
    if not all_ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
