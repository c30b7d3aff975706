"""Pulse to pulse, and periods a tiny campaign cannot stretch: the default period of a summary ends
at the last finished week with data, and compared establishments get periods of one length."""

import html
import re
from datetime import date, timedelta

import pytest

from feedback.extensions import db
from feedback.models import Campaign, Establishment, Role

GO_LIVE = date(2026, 5, 9)  # a Saturday; its first whole week starts on Monday 4 May


def text(response) -> str:
    raw = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html.unescape(raw))


@pytest.fixture
def mcq(make_establishment):
    return make_establishment("MCQ", go_live=GO_LIVE)


@pytest.fixture
def manager(auth, make_user, mcq):
    user = make_user(Role.MANAGER, mcq)
    auth.login(user.email)
    return user


def as_pulse(app, campaign, day):
    with app.app_context():
        db.session.get(Campaign, campaign.id).pulse_day = day
        db.session.commit()


def test_pulses_side_by_side_and_a_tiny_one_shows_nothing(
        app, client, manager, mcq, make_campaign, add_response, cut):
    first = make_campaign(mcq, title_fr="Jour 7", opens_in=-300, lasts=120)
    second = make_campaign(mcq, title_fr="Jour 30", opens_in=-300, lasts=120)
    as_pulse(app, first, 7)
    as_pulse(app, second, 30)
    for value in (4, 4, 4, 5, 3, 4):
        add_response(first, day=date(2026, 5, 13), recommend=9,
                     answers={"access": value, "training": 2})
    for _ in range(2):
        add_response(second, day=date(2026, 6, 9), recommend=0,
                     answers={"access": 1, "training": 1})
    cut()
    page = text(client.get("/dashboard/pulses"))
    assert "Jour 7" in page and "Jour 30" in page
    responses = page.split("Réponses")[1].split("Indice")[0]
    assert responses.split()[0] == "6" and "Masqué" in responses
    # Day 7's scores; day 30's two responses move nothing.
    assert re.search(r"Indice de recommandation \+100 —", page)
    assert "4,0" in page  # access at day 7


def test_pulse_page_of_another_establishment_is_404(client, manager, make_establishment):
    other = make_establishment("NIM")
    assert client.get(f"/dashboard/pulses?establishment={other.id}").status_code == 404


def default_end(app, establishment) -> date:
    from feedback.web import default_period

    with app.test_request_context():
        return default_period(db.session.get(Establishment, establishment.id))[1]


def test_a_two_response_campaign_does_not_stretch_the_default_period(
        app, mcq, make_campaign, add_feedback, add_response):
    for week in range(4):
        for _ in range(15):
            add_feedback(mcq, day=GO_LIVE + timedelta(days=3 + 7 * week))
    assert default_end(app, mcq) == date(2026, 6, 7)  # the Sunday of the fourth week
    late = make_campaign(mcq, opens_in=-300, lasts=120)
    for _ in range(2):
        add_response(late, day=date(2026, 8, 25))
    assert default_end(app, mcq) == date(2026, 6, 7)
    # A real week of answers does move it.
    for _ in range(6):
        add_response(late, day=date(2026, 8, 26))
    assert default_end(app, mcq) == date(2026, 8, 30)


def test_compared_establishments_get_periods_of_the_same_length(
        app, make_establishment, add_feedback):
    from feedback.insights.views import compare_filter

    short = make_establishment("SHO", go_live=GO_LIVE)
    long = make_establishment("LON", go_live=GO_LIVE - timedelta(days=21))
    for establishment, weeks in ((short, 3), (long, 9)):
        for week in range(weeks):
            for _ in range(6):
                add_feedback(establishment,
                             day=establishment.go_live + timedelta(days=2 + 7 * week))
    with app.test_request_context():
        both = [db.session.get(Establishment, e.id) for e in (short, long)]
        for period in ("golive", "recent", "month1"):
            scopes = compare_filter(both, period, {}).scopes
            lengths = {(s.last_week - s.first_week).days for s in scopes}
            assert len(lengths) == 1, (period, scopes)
        golive = compare_filter(both, "golive", {}).scopes
        assert [s.first_week for s in golive] == [date(2026, 5, 4), date(2026, 4, 13)]


def test_the_migration_goes_down_and_up_again(tmp_path, postgres_url):
    """Headcounts, pulses and English learnings come and go with their migration, on SQLite and
    PostgreSQL alike."""
    import uuid

    import flask_migrate
    import sqlalchemy as sa

    from feedback import create_app

    schema = None
    if postgres_url:
        schema = f"m0012_{uuid.uuid4().hex[:8]}"
        engine = sa.create_engine(postgres_url)
        with engine.begin() as connection:
            connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
        url = f"{postgres_url}{'&' if '?' in postgres_url else '?'}options=-csearch_path%3D{schema}"
    else:
        url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"},
                     instance_path=str(tmp_path))
    try:
        with app.app_context():
            flask_migrate.upgrade()
            flask_migrate.downgrade(revision="0008")
            columns = {c["name"] for c in sa.inspect(db.engine).get_columns("learning")}
            assert "title_en" not in columns
            flask_migrate.upgrade()
            columns = {c["name"] for c in sa.inspect(db.engine).get_columns("establishment")}
            assert {"pulse_days", "pulse_every_months"} <= columns
            db.engine.dispose()
    finally:
        if schema:
            with engine.begin() as connection:
                connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
            engine.dispose()


def test_the_comparison_says_how_many_weeks_each_establishment_gets(
        client, auth, make_user, make_establishment, add_feedback):
    short = make_establishment("SHO", go_live=GO_LIVE)
    long = make_establishment("LON", go_live=GO_LIVE - timedelta(days=21))
    for establishment, weeks in ((short, 3), (long, 9)):
        for week in range(weeks):
            for _ in range(6):
                add_feedback(establishment,
                             day=establishment.go_live + timedelta(days=2 + 7 * week))
    auth.login(make_user(Role.ADMIN, None).email)
    page = text(client.get("/dashboard/compare"))
    assert "4 semaines pour chaque établissement" in page
    assert "du 04/05/2026 au 31/05/2026 du 13/04/2026 au 10/05/2026" in page
