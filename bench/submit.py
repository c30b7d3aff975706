"""Survey submissions under load: gunicorn on 127.0.0.1, 2,000 responses from 8 concurrent clients.

Each client behaves like a phone: it loads the survey (GET), then sends its answers (POST); a third
of the answers carry a comment, which goes through the analysis pipeline. Rate limits stay on,
counted in Redis, each phone with an address of its own. In the same run, with the same workers
and clients, a bare Flask + SQLAlchemy endpoint that validates a small form and inserts one row
(bench/_bare.py) is measured before and after Écho: the target is Écho ≥ 20 % of its rate.
Prints responses/second, p50/p95 latency of the POSTs, errors (must be 0) and rows stored (must
equal responses sent).

    .venv/bin/python bench/submit.py [--responses 2000] [--clients 8] [--workers 4] [--postgres]

--postgres: in a PostgreSQL database created for the run (BENCH_POSTGRES_URL names the server,
default 127.0.0.1:5432) and dropped after it; --database-url: one you created (never emptied).
"""

import argparse
import random
import threading
import time
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
    instance,
    own_postgres_database,
    percentile,
    survey_answers,
)

TARGET_SHARE = 0.20  # of the bare endpoint's rate

COMMENTS = [
    "Le tap-in fonctionne enfin partout, merci à l'équipe.",
    "Impossible d'imprimer les étiquettes au poste 2 depuis lundi.",
    "The order sets for sepsis are still missing in the ED.",
    "On a besoin de plus de pratique sur la FADM avant les nuits.",
    "Les super-utilisateurs sont extraordinaires, toujours là quand ça plante.",
]


def setup(env: dict) -> tuple[str, list[str]]:
    """A fresh database with one establishment, two sectors and a campaign open today."""
    from feedback.clock import local_today
    from feedback.extensions import db
    from feedback.models import Establishment, Sector, Site, SiteKind
    from feedback.surveys import create_campaign

    flask(env, "db", "upgrade")
    app = app_for(env)
    with app.app_context():
        establishment = Establishment(name="Banc d'essai", code="BENCH", go_live=local_today())
        site = Site(name="Hôpital", kind=SiteKind.HOSPITAL, establishment=establishment)
        site.sectors = [Sector(code=c, name_fr=c, name_en=c) for c in ("urgence", "chirurgie")]
        db.session.add(establishment)
        db.session.flush()
        campaign = create_campaign(establishment=establishment, title_fr="Banc", title_en="Bench",
                                   opens_on=local_today(),
                                   closes_on=local_today() + timedelta(days=7))
        db.session.commit()
        result = campaign.slug, [str(sector.id) for sector in site.sectors]
        db.engine.dispose()
    return result


def respondent(base: str, slug: str, sectors: list[str], count: int, seed: int,
               latencies: list[float], errors: list[str]) -> None:
    rng = random.Random(seed)
    for _ in range(count):
        client = Client(base)
        status, page = client.request(f"/s/{slug}")
        if status != 200:
            errors.append(f"GET {status}")
            continue
        data = survey_answers(page, rng, sectors, COMMENTS, comment_share=1 / 3)
        started = time.perf_counter()
        status, _ = client.request(f"/s/{slug}", data)
        latencies.append(time.perf_counter() - started)
        if status != 302:
            errors.append(f"POST {status}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--database-url", help="default: a new SQLite file")
    parser.add_argument("--postgres", action="store_true",
                        help="in a PostgreSQL database created (and dropped) for the run")
    args = parser.parse_args()

    database = own_postgres_database() if args.postgres else nullcontext(args.database_url)
    with database as database_url, instance(database_url, rate_limits=True) as env:
        slug, sectors = setup(env)
        latencies: list[float] = []
        errors: list[str] = []
        share = args.responses // args.clients
        bare = []
        with bare_server(env["DATABASE_URL"], args.workers) as (bare_base, _stored):
            bare.append(bare_rate(bare_base, args.clients, args.responses))
        with gunicorn(env, workers=args.workers) as base:
            started = time.perf_counter()
            threads = [
                threading.Thread(target=respondent, args=(
                    base, slug, sectors, share + (i < args.responses % args.clients), i,
                    latencies, errors))
                for i in range(args.clients)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
        with bare_server(env["DATABASE_URL"], args.workers) as (bare_base, bare_stored):
            bare.append(bare_rate(bare_base, args.clients, args.responses))
            bare_rows = bare_stored()
        from feedback.models import SurveyResponse

        stored = count_rows(env, SurveyResponse)

    engine = env["DATABASE_URL"].split(":", 1)[0]
    print(f"database            {engine}, gunicorn {args.workers} workers, {args.clients} clients")
    print(f"responses sent      {len(latencies)}")
    print(f"responses/second    {len(latencies) / elapsed:.1f}  (GET form + POST answers each)")
    print(f"POST latency p50    {percentile(latencies, 0.50) * 1000:.1f} ms")
    print(f"POST latency p95    {percentile(latencies, 0.95) * 1000:.1f} ms")
    print(f"errors              {len(errors)}  {sorted(set(errors))[:5] if errors else ''}")
    print(f"rows stored         {stored}  ({'OK' if stored == len(latencies) else 'MISMATCH'})")
    bare_mean = sum(b["rate"] for b in bare) / len(bare)
    rate = len(latencies) / elapsed
    rates = " and ".join(f"{b['rate']:.1f}" for b in bare)
    print(f"bare endpoint       {rates} pairs/s "
          f"(before and after Écho; POST p50 {bare[-1]['p50'] * 1000:.1f} ms; "
          f"{sum(len(b['errors']) for b in bare)} errors; {bare_rows} rows in its last run)")
    share_of_bare = rate / bare_mean if bare_mean else 0.0
    print(f"Écho / bare         {share_of_bare:.1%}  (target ≥ {TARGET_SHARE:.0%}: "
          f"{'OK' if share_of_bare >= TARGET_SHARE else 'MISSED'})")
    print("rate limits         on, counted in Redis, one address per phone")
    if errors or stored != len(latencies):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
