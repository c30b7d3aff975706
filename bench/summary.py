"""The managers' summary over a million feedback: the page against its own SQL and a raw SQL.

Fills one establishment with 1,000,000 feedback rows and their themes (and the survey responses
their comments came with) by Core bulk inserts — not the ORM, not the analysis pipeline — with
the shapes of a real go-live: many comments the first days then a trickle, nurses first, themes
that move with the phases. With --establishments N, N − 1 other establishments each receive a
copy of every N-th of those rows (in SQL), so the tables also hold other establishments' data.
The finished weeks are cut into anonymity cohorts as the queue's Monday task does (timed). Then,
alternating the three in each round (median of --runs rounds, after a warm-up):

- the summary page through the Flask test client, signed in as the establishment's manager
  (server time: no network, no browser), and the CPU time of this process during it (on a
  PostgreSQL server of this machine, also that of the database's server processes: on a busy
  machine wall times mostly measure the wait for a core, CPU times do not);
- the SQL statements that page ran, replayed on one connection without Flask, ORM or templates
  (the page's database time: page / SQL is the application's overhead);
- a hand-written SQL over the raw tables (feedback, feedback_theme, survey_response,
  survey_answer and the cohorts) computing the same figures: raw / page is what the summary
  tables buy. Its overall totals are checked against the page's figures.

Targets printed beside the figures: page ≤ 300 ms median at 1 M rows (≤ 600 ms at 5 M) and
page ≤ 1.5 × its own SQL.

    .venv/bin/python bench/summary.py [--rows 1000000] [--runs 5] [--establishments 1]
                                      [--skip-sqlite] [--postgres] [--export]

--postgres: also on PostgreSQL, in a database this script creates on BENCH_POSTGRES_URL's server
(default postgres@127.0.0.1:5432) and drops at the end; it never empties a database it did not
create. `--postgres --skip-sqlite --rows 5000000 --establishments 10` is the 5 M run.
--keep-postgres echo_bench_keep_NAME: that database instead, created and filled on the first run,
kept for the next ones (add --drop to the last run to drop it).
"""

import argparse
import json
import math
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

from _server import POSTGRES_SERVER, ROOT, app_for, flask, instance, own_postgres_database

from feedback.insights import rollups

PASSWORD = "bench-password-2026"
MANAGER = "gestion.bench@echo.example"
GO_LIVE = date(2026, 5, 9)
DAYS = 100
BATCH = 50_000
SITES = {
    "Hôpital régional": ("urgence", "soins-critiques", "oncologie", "chirurgie", "medecine",
                         "perinatalite", "laboratoire", "pharmacie"),
    "Hôpital communautaire": ("urgence", "chirurgie", "medecine", "cliniques-externes",
                              "sante-mentale"),
    "CLSC": ("soutien-domicile", "sante-mentale", "cliniques-externes"),
    "CHSLD": ("hebergement",),
}
KINDS = (("survey", 65), ("observation", 25), ("import", 10))
STAFF_ROLES = (("nurse", 40), ("physician", 20), ("professional", 15), ("manager", 13),
               ("clerk", 12))
# Where each role works (the demo corpus's weights, rounded).
ROLE_SECTORS = {
    "physician": {"urgence": 20, "soins-critiques": 10, "oncologie": 10, "chirurgie": 12,
                  "medecine": 18, "cliniques-externes": 14, "sante-mentale": 7,
                  "perinatalite": 6, "hebergement": 2, "soutien-domicile": 1},
    "nurse": {"urgence": 15, "soins-critiques": 10, "oncologie": 9, "chirurgie": 13,
              "medecine": 16, "cliniques-externes": 7, "soutien-domicile": 9, "sante-mentale": 7,
              "hebergement": 8, "perinatalite": 6},
    "professional": {"pharmacie": 8, "laboratoire": 5, "soutien-domicile": 12,
                     "sante-mentale": 10, "medecine": 10, "soins-critiques": 8,
                     "hebergement": 8, "urgence": 6, "oncologie": 5, "chirurgie": 4},
    "clerk": {"urgence": 22, "cliniques-externes": 30, "laboratoire": 10, "chirurgie": 7,
              "medecine": 7, "oncologie": 8},
    "manager": {"urgence": 10, "medecine": 10, "chirurgie": 10, "hebergement": 10},
    "super_user": {"urgence": 16, "soins-critiques": 10, "oncologie": 9, "chirurgie": 12,
                   "medecine": 15, "sante-mentale": 6, "hebergement": 7},
}
# Theme weights by phase: access first, then workflow and configuration.
THEME_WEIGHTS = {
    1: {"access": 35, "support": 20, "training": 15, "workflow": 12, "configuration": 10,
        "safety": 5, "engagement": 3},
    2: {"access": 10, "support": 15, "training": 20, "workflow": 25, "configuration": 18,
        "safety": 6, "engagement": 6},
    3: {"access": 5, "support": 10, "training": 15, "workflow": 30, "configuration": 15,
        "safety": 8, "engagement": 17},
}
SENTIMENTS = {1: (60, 25, 15), 2: (50, 28, 22), 3: (40, 22, 38)}
TEXTS = (
    "Le badge ne fonctionne pas sur le poste de l'unité, il faut se reconnecter à chaque fois.",
    "Trop de clics pour documenter une note d'évolution, on perd du temps au chevet.",
    "Merci aux super-utilisateurs, toujours disponibles quand le système bloque.",
    "Les étiquettes du laboratoire sortent sur la mauvaise imprimante depuis lundi.",
    "The order sets for sepsis are still missing in the emergency department.",
    "On aurait besoin d'une formation courte sur les ordonnances avant les nuits.",
    "Le rapport de fin de quart oublie les informations psychosociales.",
    "Good support at night this week, the command centre answered fast.",
)
ITEMS = ("access", "training", "workflow", "support", "safety")
ITEM_MEANS = {"access": (2.3, 3.3, 4.0), "training": (2.7, 3.2, 3.6),
              "workflow": (2.3, 2.7, 3.2), "support": (3.3, 3.6, 3.9),
              "safety": (2.9, 3.3, 3.6)}


def cumulative(pairs) -> tuple[list, list[float]]:
    values, weights, total = [], [], 0.0
    for value, weight in pairs:
        total += weight
        values.append(value)
        weights.append(total)
    return values, weights


def fill(env: dict, rows: int, establishments: int = 1, seed: int = 6,
         go_live: date = GO_LIVE) -> dict:
    """Schema, one establishment, a manager, weekly campaigns, then the bulk rows; copies for
    the other establishments; rollups rebuilt; the finished weeks cut into cohorts.

    `go_live`: the first of the DAYS days the rows spread over.
    """
    from sqlalchemy import func, select, text

    from feedback.clock import QUEBEC, local_day_start
    from feedback.extensions import db
    from feedback.models import (
        Campaign,
        Establishment,
        Feedback,
        FeedbackTheme,
        Role,
        Sector,
        Site,
        SiteKind,
        SurveyAnswer,
        SurveyResponse,
        Theme,
        User,
    )
    from feedback.models.base import new_ref
    from feedback.surveys import default_instrument

    flask(env, "db", "upgrade")
    app = app_for(env)
    timings = {}
    with app.app_context():
        establishment = Establishment(name="Banc d'essai – un million", code="BENCH",
                                      go_live=go_live)
        for name, codes in SITES.items():
            site = Site(name=name, kind=SiteKind.HOSPITAL, establishment=establishment)
            site.sectors = [Sector(code=c, name_fr=c.capitalize(), name_en=c.capitalize())
                            for c in codes]
        db.session.add(establishment)
        manager = User(email=MANAGER, name="Gestion banc", role=Role.MANAGER,
                       establishment=establishment)
        manager.set_password(PASSWORD)
        db.session.add(manager)
        db.session.flush()
        first_monday = go_live - timedelta(days=go_live.weekday())
        campaigns = {}
        for week in range(DAYS // 7 + 2):
            monday = first_monday + timedelta(weeks=week)
            campaign = Campaign(establishment=establishment, slug=f"bench{week}",
                                title_fr=f"Pouls {week + 1}", title_en=f"Pulse {week + 1}",
                                opens_on=monday, closes_on=monday + timedelta(days=6),
                                instrument=default_instrument())
            db.session.add(campaign)
            campaigns[monday] = campaign
        db.session.commit()
        establishment_id = establishment.id
        campaign_ids = {monday: c.id for monday, c in campaigns.items()}
        sectors_by_code: dict[str, list[int]] = {}
        site_of: dict[int, int] = {}
        for sector in db.session.scalars(select(Sector).join(Site).where(
                Site.establishment_id == establishment_id)):
            sectors_by_code.setdefault(sector.code, []).append(sector.id)
            site_of[sector.id] = sector.site_id
        theme_ids = {t.code: t.id for t in db.session.scalars(select(Theme))}
        phase2 = go_live + timedelta(days=establishment.phase2_day)
        phase3 = go_live + timedelta(days=establishment.phase3_day)

        rng = random.Random(seed)
        day_values, day_weights = cumulative(
            (d, 60 * math.exp(-d / 18) + 9) for d in range(DAYS))
        kind_values, kind_weights = cumulative(KINDS)
        role_values, role_weights = cumulative(STAFF_ROLES)
        sector_tables = {
            role: cumulative((sector_id, weight / len(sectors_by_code[code]))
                             for code, weight in weights.items() if code in sectors_by_code
                             for sector_id in sectors_by_code[code])
            for role, weights in ROLE_SECTORS.items()
        }
        theme_tables = {phase: cumulative((theme_ids[code], w) for code, w in weights.items())
                        for phase, weights in THEME_WEIGHTS.items()}
        day_starts = {d: local_day_start(go_live + timedelta(days=d)) for d in range(DAYS)}

        connection = db.session.connection()
        started = time.perf_counter()
        feedback_table, theme_table = Feedback.__table__, FeedbackTheme.__table__
        response_table, answer_table = SurveyResponse.__table__, SurveyAnswer.__table__
        next_id = (connection.scalar(select(func.max(Feedback.id))) or 0) + 1
        response_id = (connection.scalar(select(func.max(SurveyResponse.id))) or 0) + 1
        counts = {"feedback": 0, "themes": 0, "responses": 0, "answers": 0}
        while counts["feedback"] < rows:
            size = min(BATCH, rows - counts["feedback"])
            feedback, links, responses, answers = [], [], [], []
            for _ in range(size):
                offset = rng.choices(day_values, cum_weights=day_weights)[0]
                day = go_live + timedelta(days=offset)
                actual = 1 if day < phase2 else 2 if day < phase3 else 3
                kind = rng.choices(kind_values, cum_weights=kind_weights)[0]
                if kind == "observation":
                    role = "super_user" if rng.random() < 0.9 else "manager"
                    moment = datetime.combine(day, clock_time(rng.randrange(6, 23),
                                                              rng.randrange(60)), tzinfo=QUEBEC)
                    phase = actual
                else:
                    role = rng.choices(role_values, cum_weights=role_weights)[0]
                    moment = day_starts[offset]
                    # Respondents say where their team is: mostly where the calendar says.
                    phase = actual if rng.random() < 0.85 else max(1, min(3, actual + rng.choice(
                        (-1, 1))))
                values, weights = sector_tables[role]
                sector_id = rng.choices(values, cum_weights=weights)[0] if rng.random() < 0.95 \
                    else None
                sentiment = rng.choices(("negative", "neutral", "positive"),
                                        weights=SENTIMENTS[actual])[0]
                polarity = {"negative": -0.45, "neutral": 0.0, "positive": 0.45}[sentiment]
                feedback.append({
                    "id": next_id, "establishment_id": establishment_id,
                    "site_id": site_of.get(sector_id),
                    "sector_id": sector_id, "role": role, "phase": phase, "kind": kind,
                    "text": f"{rng.choice(TEXTS)} (#{next_id})", "language": "fr",
                    "polarity": round(polarity + rng.gauss(0, 0.15), 3), "sentiment": sentiment,
                    "created_at": moment.astimezone(UTC), "ref": new_ref(),
                })
                how_many = rng.choices((0, 1, 2, 3), weights=(10, 50, 30, 10))[0]
                values, weights = theme_tables[actual]
                for theme_id in {rng.choices(values, cum_weights=weights)[0]
                                 for _ in range(how_many)}:
                    links.append({"feedback_id": next_id, "theme_id": theme_id,
                                  "source": "auto", "confidence": 0.8})
                if kind == "survey":  # the response the comment came with
                    monday = day - timedelta(days=day.weekday())
                    scores = [min(5, max(1, round(rng.gauss(ITEM_MEANS[item][actual - 1]
                                                            + polarity, 0.9))))
                              for item in ITEMS]
                    responses.append({
                        "id": response_id, "campaign_id": campaign_ids[monday],
                        "establishment_id": establishment_id, "sector_id": sector_id,
                        "role": role, "phase": phase, "submitted_on": day,
                        "recommend": min(10, max(0, round(rng.gauss(
                            2.3 * sum(scores) / len(scores) - 0.2, 1.6)))),
                        "submission_token": f"bench-{response_id}", "comment_id": next_id,
                    })
                    answers += [{"response_id": response_id, "item": item, "theme_code": item,
                                 "value": value} for item, value in zip(ITEMS, scores,
                                                                        strict=True)]
                    response_id += 1
                next_id += 1
            # Straight into the tables: no ORM, no pipeline, no rollup hook.
            bulk_insert(connection, feedback_table, feedback)
            bulk_insert(connection, theme_table, links)
            bulk_insert(connection, response_table, responses)
            bulk_insert(connection, answer_table, answers)
            for name, batch in (("feedback", feedback), ("themes", links),
                                ("responses", responses), ("answers", answers)):
                counts[name] += len(batch)
            print(f"  … {counts['feedback']:>9,} feedback", file=sys.stderr)
        timings["bulk insert (s)"] = time.perf_counter() - started
        if establishments > 1:
            started = time.perf_counter()
            counts["feedback in other establishments"] = copy_to_others(
                connection, establishment_id, establishments)
            timings["copies for the others (s)"] = time.perf_counter() - started
        started = time.perf_counter()
        rollups.rebuild(connection)  # bulk inserts bypass the ORM: rebuild the summary tables
        timings["rollup rebuild (s)"] = time.perf_counter() - started
        if connection.dialect.name == "postgresql":
            for table, column in (("feedback", "id"), ("survey_response", "id")):
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                    f"(SELECT max({column}) FROM {table}))"))
        db.session.commit()
        from feedback.clock import utcnow
        from feedback.insights import anonymity

        # What the queue's Monday task does (tasks.cut_cohorts): pages never cut.
        started = time.perf_counter()
        counts["units cut into cohorts"] = anonymity.publish_due(db.session, 5, utcnow())
        db.session.commit()
        timings["cohort cut, as the task does (s)"] = time.perf_counter() - started
        started = time.perf_counter()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as raw:
            raw.execute(text("ANALYZE"))
        timings["analyze (s)"] = time.perf_counter() - started
        rollup_rows = db.session.scalar(text("SELECT count(*) FROM feedback_rollup"))
        response_rollup_rows = db.session.scalar(text("SELECT count(*) FROM response_rollup"))
        db.session.remove()  # its connection back to the pool, which dispose() then closes
        db.engine.dispose()
    return {**counts, "feedback rollup rows": rollup_rows,
            "response rollup rows": response_rollup_rows, **timings}


def bulk_insert(connection, table, rows: list[dict]) -> None:
    """Rows into a table: Core's executemany, or on PostgreSQL its COPY, which stores the 5 M
    rows of the largest run in minutes where inserts, a few thousand rows a second, take an
    hour. Each row carries every column the table's Python-side defaults would fill; values go
    through the columns' own types, as imports send them (UTCDateTime: aware → naive UTC)."""
    if not rows:
        return
    from sqlalchemy import insert

    if connection.dialect.name != "postgresql":
        connection.execute(insert(table), rows)
        return
    columns = list(rows[0])
    converters = [(column, table.c[column].type.bind_processor(connection.dialect))
                  for column in columns]
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([convert(row[column]) if convert else row[column]
                            for column, convert in converters])


def copy_to_others(connection, first_id: int, establishments: int) -> int:
    """Establishments 2..N, each with a copy of every N-th feedback of the first (and its
    themes), in SQL: other establishments' rows beside the measured one's."""
    import sqlalchemy as sa

    from feedback.models import Establishment, Feedback, FeedbackTheme

    feedback, links = Feedback.__table__, FeedbackTheme.__table__
    top = connection.scalar(sa.select(sa.func.max(feedback.c.id)))
    copied = 0
    for number in range(2, establishments + 1):
        other = connection.execute(sa.insert(Establishment.__table__).values(
            name=f"Banc d'essai – établissement {number}", code=f"BENCH{number}",
            go_live=GO_LIVE, phase2_day=30, phase3_day=60, active=True,
        ).returning(Establishment.__table__.c.id)).scalar_one()
        offset = (number - 1) * (top + 1)
        chosen = sa.and_(feedback.c.establishment_id == first_id,
                         feedback.c.id % establishments == number - 1)
        replaced = {"id": feedback.c.id + offset, "establishment_id": sa.literal(other),
                    "ref": feedback.c.ref + f"-{number}", "site_id": sa.null(),
                    "sector_id": sa.null(), "cohort_id": sa.null(), "issue_id": sa.null(),
                    "campaign_id": sa.null()}
        columns = [column.name for column in feedback.c]
        connection.execute(feedback.insert().from_select(columns, sa.select(
            *(replaced.get(name, feedback.c[name]) for name in columns)).where(chosen)))
        # Counted, not read from rowcount: drivers report -1 for INSERT … SELECT.
        copied += connection.scalar(sa.select(sa.func.count()).select_from(feedback).where(
            feedback.c.establishment_id == other))
        link_columns = [column.name for column in links.c]
        connection.execute(links.insert().from_select(link_columns, sa.select(
            *((links.c.feedback_id + offset) if name == "feedback_id" else links.c[name]
              for name in link_columns)).join(feedback, feedback.c.id == links.c.feedback_id)
            .where(chosen)))
    return copied


def raw_statements(establishment_id: int, f) -> list:
    """The summary's figures computed over the raw tables, written by hand (no rollup): the five
    theme breakdowns and the survey scores overall, by role group and by campaign, each counting
    observations as they are and anonymous answers through their whole cohorts."""
    import sqlalchemy as sa

    from feedback.clock import local_day_start
    from feedback.insights.rollups import quebec_week
    from feedback.models import (
        Cohort,
        CohortItem,
        Feedback,
        FeedbackKind,
        FeedbackTheme,
        SentimentLabel,
        SurveyAnswer,
        SurveyResponse,
    )

    scope = f.scope
    start, end = local_day_start(scope.first_week), local_day_start(
        scope.last_week + timedelta(days=7))
    observed = Feedback.kind == FeedbackKind.OBSERVATION
    in_cohort = sa.and_(Cohort.unit == "comment", Cohort.n >= f.threshold,
                        Cohort.establishment_id == establishment_id,
                        Cohort.week.between(scope.first_week, scope.last_week))
    keys = {
        None: sa.null(),
        "week": quebec_week(Feedback.created_at),
        "phase": sa.case((observed, Feedback.phase), else_=Cohort.phase),
        "sector": sa.case((observed, sa.func.coalesce(Feedback.sector_id, 0)),
                          else_=Cohort.sector_id),
        "role_group": sa.case((observed, sa.null()), else_=Cohort.role_group),
    }
    statements = []
    for by, key in keys.items():
        for themed in (False, True):
            theme = FeedbackTheme.theme_id if themed else sa.literal(0)
            stmt = (
                sa.select(theme.label("theme"), key.label("key"), sa.func.count(),
                          sa.func.count().filter(Feedback.cohort_id.is_not(None)),
                          *(sa.func.count().filter(Feedback.kind == kind)
                            for kind in FeedbackKind),
                          *(sa.func.count().filter(Feedback.sentiment == label)
                            for label in SentimentLabel),
                          sa.func.sum(Feedback.polarity))
                .select_from(Feedback)
                .outerjoin(Cohort, Cohort.id == Feedback.cohort_id)
                .where(Feedback.establishment_id == establishment_id, sa.or_(
                    sa.and_(observed, Feedback.created_at >= start, Feedback.created_at < end),
                    sa.and_(~observed, in_cohort)))
                .group_by(*([theme] if themed else []), *([key] if by else [])))
            if themed:
                stmt = stmt.join(FeedbackTheme, FeedbackTheme.feedback_id == Feedback.id)
            if by == "role_group":
                stmt = stmt.where(~observed)
            statements.append(((by, themed), stmt))
    counted = sa.and_(Cohort.unit == "response", Cohort.n >= f.threshold,
                      Cohort.establishment_id == establishment_id,
                      Cohort.week.between(scope.first_week, scope.last_week))
    scored = Cohort.scored >= f.threshold
    recommend = SurveyResponse.recommend
    for by, key in ((None, sa.null()), ("role_group", Cohort.role_group),
                    ("campaign", Cohort.campaign_id)):
        statements.append(((f"responses by {by}", False), sa.select(
            key.label("key"), sa.func.count(), sa.func.count(recommend).filter(scored),
            sa.func.count().filter(scored, recommend >= 9),
            sa.func.count().filter(scored, recommend.between(7, 8)),
            sa.func.count().filter(scored, recommend <= 6),
        ).select_from(SurveyResponse).join(Cohort, Cohort.id == SurveyResponse.cohort_id)
            .where(SurveyResponse.establishment_id == establishment_id, counted)
            .group_by(*([key] if by else []))))
        statements.append(((f"items by {by}", False), sa.select(
            SurveyAnswer.item, key.label("key"), sa.func.count(), sa.func.sum(SurveyAnswer.value),
            *(sa.func.count().filter(SurveyAnswer.value == value) for value in range(1, 6)),
        ).select_from(SurveyResponse)
            .join(Cohort, Cohort.id == SurveyResponse.cohort_id)
            .join(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
            .join(CohortItem, sa.and_(CohortItem.cohort_id == Cohort.id,
                                      CohortItem.item == SurveyAnswer.item))
            .where(SurveyResponse.establishment_id == establishment_id, counted,
                   CohortItem.n >= f.threshold)
            .group_by(SurveyAnswer.item, *([key] if by else []))))
    return statements


def time_summary(env: dict, runs: int = 5, raw_runs: int = 1) -> dict:
    """The page, its own SQL replayed and the raw SQL, alternating; medians of `runs` rounds
    (the raw SQL in the first `raw_runs` of them only: at 1 M rows, a round of it takes minutes)."""
    from sqlalchemy import event, select

    from feedback import insights
    from feedback.extensions import db
    from feedback.models import Establishment
    from feedback.web import default_period, summary_selection

    app = app_for(env)
    client = app.test_client()
    login = client.get("/login")
    token = login.text.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    client.post("/login", data={"email": MANAGER, "password": PASSWORD, "csrf_token": token})
    url = "/dashboard/summary"
    assert client.get(url).status_code == 200  # warm-up: templates, analyser, caches
    with app.app_context():
        engine = db.engine
    statements: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _executemany):
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    client.get(url)
    event.remove(engine, "before_cursor_execute", capture)

    with app.test_request_context():
        establishment = db.session.scalar(select(Establishment).where(
            Establishment.code == "BENCH"))
        f = summary_selection(establishment, *default_period(establishment))
        figures = insights.SummaryFigures(f, establishment).prefetch()
        whole = figures.overall.overall
        page_total, page_anonymous = whole.total, whole.responses
        raw = raw_statements(establishment.id, f)
        db.session.rollback()

    def page_once() -> tuple[float, float]:
        cpu, started = time.process_time(), time.perf_counter()
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return time.perf_counter() - started, time.process_time() - cpu

    def replay_once(connection) -> float:
        started = time.perf_counter()
        for statement, parameters in statements:
            connection.exec_driver_sql(statement, parameters).fetchall()
        return time.perf_counter() - started

    def raw_once(connection) -> tuple[float, dict]:
        started = time.perf_counter()
        results = {name: connection.execute(stmt).all() for name, stmt in raw}
        return time.perf_counter() - started, results

    page_times, page_cpu, sql_times, raw_times = [], [], [], []
    database_cpu: list[float] = []
    raw_results: dict = {}
    with engine.connect() as connection:
        replay_once(connection)  # warm-up of the replay's connection
        server_cpu = backend_cpu_reader(connection)
        for round_number in range(runs):
            steps = ["page", "sql", "raw"] if round_number < raw_runs else ["page", "sql"]
            turn = round_number % len(steps)
            steps = steps[turn:] + steps[:turn]  # alternate the order
            for step in steps:
                if step == "page":
                    before = server_cpu() if server_cpu else 0.0
                    wall, cpu = page_once()
                    page_times.append(wall)
                    page_cpu.append(cpu)
                    if server_cpu:
                        database_cpu.append(server_cpu() - before)
                elif step == "sql":
                    sql_times.append(replay_once(connection))
                else:
                    elapsed, raw_results = raw_once(connection)
                    raw_times.append(elapsed)
    engine.dispose()
    page, sql = statistics.median(page_times), statistics.median(sql_times)
    figures = {"summary page, median (s)": page, "summary page, p95 of runs (s)": max(page_times),
               "summary page, CPU of this process (s)": statistics.median(page_cpu),
               "its own SQL replayed (s)": sql, "page / its own SQL": page / sql,
               "statements per page": len(statements)}
    if database_cpu:
        # On a busy machine wall times mostly measure waiting for a core: CPU times do not.
        figures["summary page, CPU of the database server (s)"] = statistics.median(database_cpu)
    if raw_times:
        overall = raw_results[(None, False)][0]
        same = (overall[2], overall[3]) == (page_total, page_anonymous)
        raw_sql = statistics.median(raw_times)
        figures.update({
            "hand-written SQL over raw tables (s)": raw_sql, "raw SQL / page": raw_sql / page,
            "raw SQL totals = page totals": "yes" if same else
            f"NO: raw {overall[2]}/{overall[3]}, page {page_total}/{page_anonymous}"})
    return figures


def backend_cpu_reader(replay):
    """A function giving the CPU seconds used so far by the other server processes of this
    database (the page's), or None where they cannot be read (SQLite, or a server on another
    machine). Read from /proc/PID/schedstat, in nanoseconds."""
    from sqlalchemy import text

    if replay.dialect.name != "postgresql":
        return None

    def used(probe: bool = False) -> float:
        pids = [pid for (pid,) in replay.execute(text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"))]
        replay.rollback()
        total = 0
        for pid in pids:
            try:
                with open(f"/proc/{pid}/schedstat") as stats:
                    total += int(stats.read().split()[0])
            except FileNotFoundError:
                if probe:
                    raise
                # A connection closed since it was listed: its work is no longer counted.
        return total / 1e9

    try:
        used(probe=True)
    except OSError:
        return None
    return used


def export_child() -> None:
    """Run in a fresh process: one full CSV export, its time and memory, as JSON on stdout."""
    from feedback import create_app

    app = create_app()
    client = app.test_client()
    login = client.get("/login")
    token = login.text.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    client.post("/login", data={"email": MANAGER, "password": PASSWORD, "csrf_token": token})
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    response = client.get("/dashboard/export/feedback.csv")
    size = lines = 0
    for chunk in response.response:
        data = chunk.encode() if isinstance(chunk, str) else chunk
        size += len(data)
        lines += data.count(b"\n")
    response.close()
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"CSV export (s)": elapsed, "CSV lines": lines, "CSV size (MB)": size / 1e6,
                      "CSV rows per second": (lines - 1) / elapsed,
                      "process peak RSS before export (MB)": before / 1024,
                      "process peak RSS after export (MB)": after / 1024,
                      "peak RSS growth during export (MB)": (after - before) / 1024}))


def time_export(env: dict) -> dict:
    result = subprocess.run([sys.executable, __file__, "--export-child"], env=env, cwd=ROOT,
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def run(name: str, database_url: str | None, args) -> dict:
    if args.keep and database_url is None:
        return run_kept(name, args)
    if args.keep_postgres and database_url is not None:
        return run_kept_postgres(name, database_url, args)
    print(f"{name}: filling {args.rows:,} feedback…", file=sys.stderr)
    with instance(database_url) as env:
        figures = {"engine": name, "rows": args.rows,
                   **fill(env, args.rows, args.establishments)}
        print(f"{name}: timing the summary page…", file=sys.stderr)
        figures.update(time_summary(env, args.runs, args.raw_runs))
        if args.export:
            print(f"{name}: exporting the feedback as CSV…", file=sys.stderr)
            figures.update(time_export(env))
    return figures


def run_kept(name: str, args) -> dict:
    """SQLite in a folder that outlives the run: filled the first time, timed again after."""
    folder = Path(args.keep).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, ECHO_INSTANCE_PATH=str(folder), FLASK_SECRET_KEY="bench-secret",
               DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3", FLASK_RATELIMIT_ENABLED="false")
    figures = {"engine": name, "rows": args.rows}
    filled = folder / "filled.json"
    if filled.exists():
        figures.update(json.loads(filled.read_text()))
        figures["engine"] = f"{name} (filled before, in {folder})"
    else:
        print(f"{name}: filling {args.rows:,} feedback in {folder}…", file=sys.stderr)
        figures.update(fill(env, args.rows, args.establishments))
        filled.write_text(json.dumps({k: v for k, v in figures.items() if k != "engine"}))
    print(f"{name}: timing the summary page…", file=sys.stderr)
    figures.update(time_summary(env, args.runs, args.raw_runs))
    return figures


def run_kept_postgres(name: str, database_url: str, args) -> dict:
    """PostgreSQL in a database this script created and keeps: filled the first time (its fill
    figures kept in a JSON file beside the temporary folders), timed again after."""
    import tempfile

    filled = Path(tempfile.gettempdir()) / f"{args.keep_postgres}.filled.json"
    figures = {"engine": name, "rows": args.rows}
    with instance(database_url) as env:
        if filled.exists():
            figures.update(json.loads(filled.read_text()))
            figures["engine"] = f"{name} (filled before, database {args.keep_postgres})"
        else:
            print(f"{name}: filling {args.rows:,} feedback in {args.keep_postgres}…",
                  file=sys.stderr)
            figures.update(fill(env, args.rows, args.establishments))
            filled.write_text(json.dumps({k: v for k, v in figures.items() if k != "engine"}))
        print(f"{name}: timing the summary page…", file=sys.stderr)
        figures.update(time_summary(env, args.runs, args.raw_runs))
    return figures


@contextmanager
def kept_postgres_database(name: str, drop: bool):
    """A database of this script's own (its name starts with echo_bench_keep_), created if
    missing and kept after the run unless `drop`."""
    import tempfile

    import sqlalchemy as sa

    from feedback.config import normalise_database_url

    if not name.startswith("echo_bench_keep_"):
        raise SystemExit("--keep-postgres: the name must start with echo_bench_keep_")
    url = sa.make_url(normalise_database_url(POSTGRES_SERVER))
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if not connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                 {"name": name}):
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
            (Path(tempfile.gettempdir()) / f"{name}.filled.json").unlink(missing_ok=True)
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        if drop:
            with admin.connect() as connection:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            (Path(tempfile.gettempdir()) / f"{name}.filled.json").unlink(missing_ok=True)
        admin.dispose()


def report(figures: dict) -> None:
    print(f"\n== {figures['engine']} ==")
    for key, value in figures.items():
        if key == "engine":
            continue
        shown = f"{value:,.3f}" if isinstance(value, float) else (
            f"{value:,}" if isinstance(value, int) else value)
        print(f"{key:<44} {shown}")
    page, ratio = figures["summary page, median (s)"], figures["page / its own SQL"]
    limit = 0.3 if figures["rows"] <= 1_000_000 else 0.6
    print(f"{'targets':<44} page ≤ {limit * 1000:.0f} ms: {page * 1000:.0f} ms "
          f"{'OK' if page <= limit else 'MISSED'}; page ≤ 1.5 × its SQL: {ratio:.2f} × "
          f"{'OK' if ratio <= 1.5 else 'MISSED'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--establishments", type=int, default=1)
    parser.add_argument("--raw-runs", type=int, default=1,
                        help="rounds that also run the raw SQL (minutes each at 1 M rows)")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--export", action="store_true", help="also time a full CSV export")
    parser.add_argument("--keep", metavar="FOLDER",
                        help="SQLite in this folder, kept: filled once, timed on each run")
    parser.add_argument("--keep-postgres", metavar="NAME",
                        help="PostgreSQL in this database (echo_bench_keep_…), created and "
                             "filled once, kept for the next runs")
    parser.add_argument("--drop", action="store_true",
                        help="with --keep-postgres: drop the kept database after this run")
    parser.add_argument("--export-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_child:
        export_child()
        return
    results = []
    if not args.skip_sqlite:
        results.append(run("SQLite", None, args))
    if args.postgres:
        database = (kept_postgres_database(args.keep_postgres, args.drop) if args.keep_postgres
                    else own_postgres_database())
        with database as url:
            results.append(run("PostgreSQL", url, args))
    for figures in results:
        report(figures)


if __name__ == "__main__":
    main()
