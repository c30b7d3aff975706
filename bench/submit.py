"""Survey submissions under load: gunicorn on 127.0.0.1, 2,000 responses from 8 concurrent clients.

Each client behaves like a phone: it loads the survey (GET), then sends its answers (POST); a third
of the answers carry a comment, which goes through the analysis pipeline. Prints responses/second,
p50/p95 latency of the POSTs, errors (must be 0) and rows stored (must equal responses sent).

    .venv/bin/python bench/submit.py [--responses 2000] [--clients 8] [--workers 4]
"""

import argparse
import random
import threading
import time
from datetime import timedelta

from _server import (
    Client,
    app_for,
    count_rows,
    flask,
    gunicorn,
    instance,
    percentile,
    survey_answers,
)

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
    args = parser.parse_args()

    with instance(args.database_url) as env:
        slug, sectors = setup(env)
        latencies: list[float] = []
        errors: list[str] = []
        share = args.responses // args.clients
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
    if errors or stored != len(latencies):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
