"""Several machines, one database, proven on one: two app instances and two queue consumers
sharing PostgreSQL and Redis, one of each killed with kill -9 in the middle of the load.

1. One instance (a gunicorn master and its workers) and one consumer take a bounded load of
   survey submissions and observation syncs (a fifth of the observations sent twice, as after a
   lost answer): the one-instance throughput.
2. Two instances on two ports and two consumers take the same load spread over both, while an
   import, an export and the one-month PDF run; at 40 % of the load, one instance's whole
   process group is killed with SIGKILL, and the consumer running the import as soon as it has
   done part of it (a second consumer having joined, which must finish it). Clients that
   lose their instance send again to the other one (what a load balancer does), with the same
   survey token and observation id, so nothing may be stored twice.
3. Rate limits across instances: one address sends 40 surveys alternately to both instances at
   the start of a minute; the survey limit (30 per minute) must refuse the last 10: counted once,
   in Redis, not once per instance.

Then counts from the database: acknowledged / stored / lost / duplicated for surveys and
observations, each job finished exactly once (status, rows, attempts), throughput per instance
and the ratio to the one-instance run.

    .venv/bin/python bench/scale_out.py [--surveys 600] [--observations 200] [--clients 8]
                                        [--workers 2] [--import-rows 2000]

Works in a PostgreSQL database it creates on BENCH_POSTGRES_URL's server (default
postgres@127.0.0.1:5432) and drops at the end, a queue and rate-limit keys of its own in Redis
(BENCH_REDIS_URL), deleted at the end.
"""

import argparse
import csv
import json
import os
import queue
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import uuid
from datetime import timedelta
from http.client import HTTPException
from pathlib import Path

from _server import (
    REDIS_URL,
    ROOT,
    Client,
    app_for,
    flask,
    hidden,
    instance,
    own_postgres_database,
    percentile,
    start_gunicorn,
    survey_answers,
)

PASSWORD = "mise-a-l-echelle-2026"
OBSERVERS = 4
RETRY_SHARE = 0.2
KILL_AT = 0.4  # share of the second phase's load after which one instance and one consumer die
SURVEY_LIMIT = 30  # per minute and address: the default FLASK_SURVEY_RATE_LIMIT's first part
TEXTS = [
    "Le tap-in ne répond plus au poste 2 de l'urgence, trois infirmières attendent.",
    "Imprimante d'étiquettes hors service en pédiatrie, on écrit à la main.",
    "Super-user rounds in ICU: two nurses still unsure how to document the MAR.",
    "La liste de travail des inhalothérapeutes n'affiche pas les nouveaux patients.",
]
DOWN = (urllib.error.URLError, ConnectionError, HTTPException, TimeoutError, OSError)


def setup(env: dict) -> dict:
    from feedback.accounts import create_user
    from feedback.clock import local_today
    from feedback.extensions import db
    from feedback.models import Establishment, Role, Sector, Site, SiteKind
    from feedback.surveys import create_campaign

    flask(env, "db", "upgrade")
    app = app_for(env)
    with app.app_context():
        establishment = Establishment(name="Mise à l'échelle", code="SCALE",
                                      go_live=local_today())
        site = Site(name="Hôpital", kind=SiteKind.HOSPITAL, establishment=establishment)
        site.sectors = [Sector(code=c, name_fr=c, name_en=c) for c in ("urgence", "chirurgie")]
        db.session.add(establishment)
        db.session.flush()
        campaign = create_campaign(establishment=establishment, title_fr="Échelle",
                                   title_en="Scale", opens_on=local_today(),
                                   closes_on=local_today() + timedelta(days=7))
        emails = [f"super{n}@scale.example" for n in range(OBSERVERS)]
        for email in emails:
            create_user(email=email, name=email, role=Role.SUPER_USER, password=PASSWORD,
                        establishment=establishment)
        create_user(email="gestion@scale.example", name="Gestion", role=Role.MANAGER,
                    password=PASSWORD, establishment=establishment)
        db.session.commit()
        result = {"slug": campaign.slug, "sectors": [str(s.id) for s in site.sectors],
                  "emails": emails, "establishment_id": establishment.id}
        db.engine.dispose()
    return result


class Machines:
    """The app instances and consumers of one phase, and which of them are still alive."""

    def __init__(self, env: dict, instances: int, consumers: int, workers: int):
        self.env = env
        self.servers = [start_gunicorn(env, workers) for _ in range(instances)]
        self.alive = [base for _process, base in self.servers]
        self.consumers: list[subprocess.Popen] = []
        for _ in range(consumers):
            self.add_consumer()
        self.lock = threading.Lock()
        self.served = {base: 0 for base in self.alive}

    def add_consumer(self) -> None:
        self.consumers.append(subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "feedback", "consumer", "--workers", "2"],
            env=self.env, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL))

    def pick(self, index: int, avoid: str | None = None) -> str:
        with self.lock:
            choices = [base for base in self.alive if base != avoid] or self.alive
            return choices[index % len(choices)]

    def lost(self, base: str) -> None:
        with self.lock:
            if base in self.alive and len(self.alive) > 1:
                self.alive.remove(base)

    def count(self, base: str) -> None:
        with self.lock:
            self.served[base] += 1

    def kill_instance(self, number: int) -> str:
        process, base = self.servers[number]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return base

    def kill_consumer(self, number: int) -> None:
        os.killpg(self.consumers[number].pid, signal.SIGKILL)
        self.consumers[number].wait()

    def stop(self) -> None:
        for process, _base in self.servers:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
        for process in self.consumers:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)


class Device:
    """A phone or a super-user's tablet: same cookies and address whichever instance answers."""

    def __init__(self, machines: Machines, index: int):
        self.machines, self.index = machines, index
        self.client = Client(machines.alive[0])

    def send(self, path: str, data=None, headers=None, body=None) -> tuple[int, str, str]:
        """Send to an instance; if it is down, to another: returns (status, text, instance)."""
        avoid = None
        for _ in range(4):
            base = self.machines.pick(self.index, avoid)
            self.client.base = base
            try:
                status, text = self.client.request(path, data, headers, body)
                self.machines.count(base)
                return status, text, base
            except DOWN:
                self.machines.lost(base)
                avoid = base
        raise ConnectionError("no instance answered")


def load(machines: Machines, config: dict, surveys: int, observations: int, clients: int,
         tag: str, on_progress=None) -> dict:
    """Surveys and observation syncs (with duplicate retries) from `clients` threads."""
    rng = random.Random(tag)
    uuids = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(observations)]
    items = [("survey", n) for n in range(surveys)] + [("sync", u) for u in uuids]
    items += [("sync", u) for u in rng.sample(uuids, int(len(uuids) * RETRY_SHARE))]
    rng.shuffle(items)
    tasks: queue.Queue = queue.Queue()
    for item in items:
        tasks.put(item)
    total = len(items)
    done = [0]
    lock = threading.Lock()
    result: dict = {"surveys_acknowledged": set(), "observations_acknowledged": set(),
                    "errors": [], "latencies": []}

    def survey(device: Device, number: int, worker_rng) -> None:
        status, page, _ = device.send(f"/s/{config['slug']}")
        if status != 200:
            raise RuntimeError(f"survey form {status}")
        data = survey_answers(page, worker_rng, config["sectors"], TEXTS, comment_share=0.0)
        data["comment"] = f"SCALE-{tag}-{number} : le badge ne répond plus à l'urgence."
        started = time.perf_counter()
        status, _, _ = device.send(f"/s/{config['slug']}", data)
        if status != 302:
            raise RuntimeError(f"survey POST {status}")
        with lock:
            result["latencies"].append(time.perf_counter() - started)
            result["surveys_acknowledged"].add(number)

    def observer(index: int, worker: int) -> tuple[Device, str, list[str]]:
        device = Device(machines, worker)
        _, page, _ = device.send("/login")
        status, _, _ = device.send("/login", {"csrf_token": hidden(page, "csrf_token"),
                                              "email": config["emails"][index],
                                              "password": PASSWORD})
        if status != 302:
            raise RuntimeError(f"sign-in {status}")
        _, form, _ = device.send("/observations/new")
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', form).group(1)
        return device, csrf, re.findall(r'<option (?:selected )?value="(sector-\d+)"', form)

    def sync(item_uuid: str, worker: int, worker_rng, mine: dict) -> None:
        index = uuids.index(item_uuid) % OBSERVERS
        if index not in mine:
            mine[index] = observer(index, worker)
        device, csrf, locations = mine[index]
        item = {"uuid": item_uuid, "text": worker_rng.choice(TEXTS),
                "location": worker_rng.choice(locations), "affected_role": "nurse",
                "priority": ""}
        started = time.perf_counter()
        status, answer, _ = device.send(
            "/observations/sync", body=json.dumps({"items": [item]}).encode(),
            headers={"Content-Type": "application/json", "X-CSRFToken": csrf})
        stored = status == 200 and json.loads(answer)["results"][0]["status"] == "stored"
        if not stored:
            raise RuntimeError(f"sync {status} {answer[:60]}")
        with lock:
            result["latencies"].append(time.perf_counter() - started)
            result["observations_acknowledged"].add(item_uuid)

    def work(worker: int) -> None:
        worker_rng = random.Random(f"{tag}-{worker}")
        mine: dict = {}  # each thread its own tablets (a device is one user at a time)
        while True:
            try:
                kind, value = tasks.get_nowait()
            except queue.Empty:
                return
            try:
                if kind == "survey":
                    survey(Device(machines, worker * 7919 + value), value, worker_rng)
                else:
                    sync(value, worker, worker_rng, mine)
            except Exception as error:  # a refused request is a result: counted, not a crash
                with lock:
                    result["errors"].append(f"{kind}: {error!r}"[:120])
            with lock:
                done[0] += 1
                progress = done[0] / total
            if on_progress:
                on_progress(progress)

    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result["elapsed"] = time.perf_counter() - started
    result["requests"] = sum(machines.served.values())
    result["served"] = dict(machines.served)
    result["items"] = total
    return result


def start_import(env: dict, config: dict, rows: int, folder: Path) -> int:
    """An import job as the pages leave it (uploaded, mapped, checked, confirmed), queued."""
    from feedback import tasks
    from feedback.clock import utcnow
    from feedback.extensions import db, task_queue
    from feedback.imports import jobs as import_jobs
    from feedback.imports import reading as import_reading
    from feedback.imports.running import ImportRules
    from feedback.models import Establishment, User

    path = folder / "scale-import.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Texte", "Secteur"])
        for n in range(rows):
            writer.writerow([f"IMPORT-{n} : le module de commande fige à l'urgence.", "urgence"])
    app = app_for(env)
    with app.app_context():
        stored = import_jobs.store_upload(app.instance_path, lambda to: shutil.copy(path, to),
                                          ".csv")
        table = import_reading.read_headers(import_jobs.upload_folder(app.instance_path) / stored)
        manager = db.session.scalar(db.select(User).where(User.email == "gestion@scale.example"))
        job = import_jobs.create_job(
            user=manager, establishment=db.session.get(Establishment, config["establishment_id"]),
            filename=path.name, stored_as=stored, source="Banc", table=table)
        db.session.flush()
        import_jobs.set_job_mapping(job, {"text": "Texte", "sector": "Secteur"})
        report = import_jobs.check_job(job, app.instance_path, ImportRules.from_config(app.config))
        import_jobs.start_job(job, valid_only=False, total_rows=report.total, now=utcnow())
        job_id = job.id
        db.session.commit()
        task_queue.enqueue(tasks.run_import, job_id, 1)
        db.engine.dispose()
    return job_id


def manager_device(machines: Machines) -> Device:
    device = Device(machines, 0)
    _, page, _ = device.send("/login")
    status, _, _ = device.send("/login", {"csrf_token": hidden(page, "csrf_token"),
                                          "email": "gestion@scale.example",
                                          "password": PASSWORD})
    if status != 302:
        raise RuntimeError(f"manager sign-in {status}")
    return device


def latest_job(machines: Machines, table: str | None = None) -> int:
    """The newest export job (of `table`): the one a request just queued."""
    from sqlalchemy import func, select

    from feedback.extensions import db
    from feedback.models import ExportJob

    stmt = select(func.max(ExportJob.id))
    if table is not None:
        stmt = stmt.where(ExportJob.table == table)
    with app_for(machines.env).app_context():
        job_id = db.session.scalar(stmt)
        db.engine.dispose()
    return job_id


def start_export(machines: Machines) -> int:
    device = manager_device(machines)
    _, page, _ = device.send("/dashboard/feedback")
    status, _, _ = device.send("/dashboard/export/feedback.csv",
                               {"csrf_token": hidden(page, "csrf_token")})
    if status != 302:
        raise RuntimeError(f"export request {status}")
    return latest_job(machines, "feedback")


def make_pdf(machines: Machines, outcome: dict) -> None:
    """The one-month update's PDF as a manager gets it: the report page's button queues it,
    its job page is followed until it offers the file (Chromium runs in a consumer), then the
    file is downloaded and must be a PDF."""
    try:
        device = manager_device(machines)
        started = time.perf_counter()
        _, page, _ = device.send("/dashboard/report")
        status, _, base = device.send("/dashboard/report.pdf",
                                      {"csrf_token": hidden(page, "csrf_token")})
        if status != 302:
            raise RuntimeError(f"PDF request {status}")
        job_id = latest_job(machines, "report")
        link, page = f"/dashboard/exports/{job_id}/file", ""
        deadline = time.perf_counter() + 300
        while link not in page and "flash-error" not in page and time.perf_counter() < deadline:
            time.sleep(1)
            _, page, _ = device.send(f"/dashboard/exports/{job_id}")
        body = device.send(link)[1] if link in page else ""
        outcome.update(job=job_id, seconds=round(time.perf_counter() - started, 1),
                       instance=base, pdf=body.startswith("%PDF"))
    except Exception as error:
        outcome.update(pdf=False, error=repr(error)[:120])


def rate_limit_check(machines: Machines, config: dict) -> dict:
    """One address, 40 surveys alternately to both instances within a minute."""
    now = time.time() % 60
    if now > 30:
        time.sleep(61 - now)  # a fresh fixed window, so the 40 fall in one minute
    client = Client(machines.alive[0])
    rng = random.Random(5)
    accepted = refused = 0
    started = time.perf_counter()
    for n in range(SURVEY_LIMIT + 10):
        client.base = machines.alive[n % len(machines.alive)]
        status, page = client.request(f"/s/{config['slug']}")
        data = survey_answers(page, rng, config["sectors"], TEXTS, comment_share=0.0)
        status, _ = client.request(f"/s/{config['slug']}", data)
        accepted += status == 302
        refused += status == 429
    return {"sent": SURVEY_LIMIT + 10, "accepted": accepted, "refused (429)": refused,
            "seconds": time.perf_counter() - started,
            "instances": len(machines.alive)}


def import_progress(env: dict, import_id: int) -> tuple[str, int]:
    from feedback.extensions import db
    from feedback.models import ImportJob

    with app_for(env).app_context():
        job = db.session.get(ImportJob, import_id)
        result = str(job.status), job.processed_rows
        db.engine.dispose()
    return result


def kill_consumer_mid_import(machines: Machines, env: dict, import_id: int,
                             killed: dict) -> None:
    """The only consumer has taken the import: once it has done part of it, a second consumer
    starts and the first is killed (-9), so the second must finish the import, exactly once."""
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        status, processed = import_progress(env, import_id)
        if status == "running" and processed > 0:
            machines.add_consumer()
            machines.kill_consumer(0)
            killed.update(consumer=0, import_status=status, import_rows_done=processed)
            return
        if status in ("done", "failed"):
            killed.update(consumer=None, import_status=status)
            return
        time.sleep(0.5)


def wait_jobs(env: dict, import_id: int, export_id: int | None, timeout: float) -> dict:
    from sqlalchemy import func, select

    from feedback.extensions import db
    from feedback.insights import export_jobs
    from feedback.models import ExportJob, Feedback, FeedbackKind, ImportJob

    app = app_for(env)
    deadline = time.monotonic() + timeout
    with app.app_context():
        while True:
            db.session.rollback()
            job = db.session.get(ImportJob, import_id)
            export = db.session.get(ExportJob, export_id) if export_id else None
            finished = job.status in ("done", "failed") and (
                export is None or export.status in ("done", "failed"))
            if finished or time.monotonic() > deadline:
                break
            time.sleep(2)
        imported_rows = db.session.scalar(select(func.count()).select_from(Feedback).where(
            Feedback.kind == FeedbackKind.IMPORT))
        distinct_rows = db.session.scalar(select(func.count(func.distinct(Feedback.text))).where(
            Feedback.kind == FeedbackKind.IMPORT))
        result = {
            "import": {"status": str(job.status), "attempts": job.attempts,
                       "total": job.total_rows, "imported": job.imported,
                       "rows stored": imported_rows, "distinct rows": distinct_rows},
            "export": None if export is None else {
                "status": str(export.status), "attempts": export.attempts, "rows": export.rows,
                "file": export_jobs.export_file(app.instance_path, export) is not None},
        }
        db.engine.dispose()
    return result


def database_counts(env: dict, tag: str) -> dict:
    from sqlalchemy import func, select

    from feedback.extensions import db
    from feedback.models import Feedback, FeedbackKind, ObservationDetail, SurveyResponse

    with app_for(env).app_context():
        texts = list(db.session.scalars(select(Feedback.text).where(
            Feedback.text.like(f"SCALE-{tag}-%"), Feedback.kind == FeedbackKind.SURVEY)))
        result = {
            "survey responses": db.session.scalar(select(func.count()).select_from(
                SurveyResponse)),
            # Each acknowledged survey carried a numbered comment: which numbers are stored.
            "survey numbers": [int(re.match(rf"SCALE-{tag}-(\d+)", text).group(1))
                               for text in texts],
            "observation ids": list(db.session.scalars(select(ObservationDetail.client_uuid))),
        }
        db.engine.dispose()
    return result


def summarise(name: str, result: dict, before: dict, after: dict) -> dict:
    numbers = after["survey numbers"]
    observations_after = after["observation ids"]
    new_observations = set(observations_after) - set(before["observation ids"])
    return {
        "phase": name,
        "surveys acknowledged": len(result["surveys_acknowledged"]),
        "surveys stored": after["survey responses"] - before["survey responses"],
        "surveys lost": len(result["surveys_acknowledged"] - set(numbers)),
        "surveys duplicated": len(numbers) - len(set(numbers)),
        "observations acknowledged": len(result["observations_acknowledged"]),
        "observations stored": len(new_observations),
        "observations lost": len(result["observations_acknowledged"] - new_observations),
        "observations duplicated": len(observations_after) - len(set(observations_after)),
        "refused (client told)": len(result["errors"]),
        "refusals": sorted(set(result["errors"]))[:4],
        "items": result["items"], "elapsed (s)": result["elapsed"],
        "items/s": result["items"] / result["elapsed"],
        "requests per instance": result["served"],
        "p95 (ms)": 1000 * percentile(result["latencies"], .95) if result["latencies"] else 0,
    }


def clean_redis(prefixes: list[str]) -> int:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    removed = 0
    for prefix in prefixes:
        for key in client.scan_iter(match=f"*{prefix}*", count=1000):
            removed += client.delete(key)
    return removed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--surveys", type=int, default=600)
    parser.add_argument("--observations", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance")
    parser.add_argument("--import-rows", type=int, default=2000)
    args = parser.parse_args()

    run_id = uuid.uuid4().hex[:8]
    with own_postgres_database(prefix="echo_scale") as url, \
            instance(url, rate_limits=True) as env, \
            tempfile.TemporaryDirectory(prefix="echo-scale-") as folder:
        env.update({
            "FLASK_QUEUE_URL": REDIS_URL, "FLASK_QUEUE_NAME": f"echo-scale-{run_id}",
            # A killed consumer's job is taken as stopped after 20 s without news (not 10 min),
            # and tried again 2 s later.
            "FLASK_QUEUE_LEASE_SECONDS": "20", "FLASK_QUEUE_RETRY_SECONDS": "2",
            "FLASK_EXPORT_DIRECT_ROWS": "10",
        })
        config = setup(env)
        phases = []
        try:
            # 1. One instance, one consumer.
            print("one instance, one consumer…", file=sys.stderr)
            machines = Machines(env, 1, 1, args.workers)
            try:
                before = database_counts(env, "one")
                result = load(machines, config, args.surveys, args.observations, args.clients,
                              "one")
                phases.append(summarise("one instance", result, before,
                                        database_counts(env, "one")))
            finally:
                machines.stop()

            # 2. Two instances, two consumers, jobs running, then kill -9 of one of each.
            print("two instances, two consumers, jobs, kill -9…", file=sys.stderr)
            machines = Machines(env, 2, 1, args.workers)  # the second consumer joins below
            killed: dict = {}
            try:
                limits = rate_limit_check(machines, config)  # while both instances serve
                before = database_counts(env, "two")
                import_id = start_import(env, config, args.import_rows, Path(folder))
                export_id = start_export(machines)
                pdf: dict = {}
                pdf_thread = threading.Thread(target=make_pdf, args=(machines, pdf))
                pdf_thread.start()
                consumer_killer = threading.Thread(target=kill_consumer_mid_import, args=(
                    machines, env, import_id, killed))
                consumer_killer.start()

                def kill_when_due(progress: float) -> None:
                    if progress >= KILL_AT and "instance" not in killed:
                        killed["at"] = progress
                        killed["instance"] = machines.kill_instance(1)

                result = load(machines, config, args.surveys, args.observations, args.clients,
                              "two", on_progress=kill_when_due)
                phases.append(summarise("two instances, one of each killed", result, before,
                                        database_counts(env, "two")))
                pdf_thread.join()
                consumer_killer.join()
                jobs = wait_jobs(env, import_id, export_id, timeout=300)
            finally:
                machines.stop()
        finally:
            removed = clean_redis([f"echo-scale-{run_id}", env["FLASK_RATELIMIT_KEY_PREFIX"]])

    print()
    for phase in phases:
        print(f"== {phase.pop('phase')} ==")
        for key, value in phase.items():
            shown = f"{value:,.1f}" if isinstance(value, float) else value
            print(f"{key:<32} {shown}")
    one, two = phases
    per_instance = {base: n for base, n in two["requests per instance"].items()}
    print("== scale-out ==")
    print(f"{'killed':<32} instance {killed.get('instance')} at {killed.get('at', 0):.0%} of "
          f"the load; consumer {killed.get('consumer')} with the import "
          f"{killed.get('import_status')} after {killed.get('import_rows_done')} rows")
    print(f"{'throughput ratio (2 vs 1)':<32} {two['items/s'] / one['items/s']:.2f}")
    print(f"{'requests per instance':<32} {per_instance}")
    print(f"{'import job':<32} {jobs['import']}")
    print(f"{'export job':<32} {jobs['export']}")
    print(f"{'PDF':<32} {pdf}")
    print(f"{'rate limit across instances':<32} {limits} "
          f"({'counted once' if limits['accepted'] == SURVEY_LIMIT else 'NOT counted once'})")
    print(f"{'redis keys removed':<32} {removed}")
    ok = (all(p["surveys lost"] == 0 and p["observations lost"] == 0
              and p["observations duplicated"] == 0 and p["surveys duplicated"] == 0
              for p in (one, two))
          and jobs["import"]["status"] == "done"
          and jobs["import"]["rows stored"] == jobs["import"]["imported"]
          == jobs["import"]["distinct rows"]
          and (jobs["export"] or {}).get("status") == "done"
          and pdf.get("pdf") is True
          and limits["accepted"] == SURVEY_LIMIT)
    print(f"{'result':<32} {'OK' if ok else 'FAILED'}")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
