"""Long lists read a page at a time from a key, with counts that stop at a limit; the indexes
they need are built (and removed) by migration 0013 on both engines."""

import html
import re
import uuid
from datetime import date, timedelta

import flask_migrate
import pytest
import sqlalchemy as sa

from feedback import create_app, paging
from feedback.clock import utcnow
from feedback.extensions import db
from feedback.models import Feedback, Issue, ObservationDetail, Priority, Role

REFS = re.compile(r'id="f([0-9A-Za-z]+)-themes')


def _link(text: str, rel: str) -> str | None:
    found = re.search(rf'href="([^"]*)" rel="{rel}"', text)
    return html.unescape(found.group(1)) if found else None


@pytest.fixture
def place(app, make_establishment, make_user, auth):
    establishment = make_establishment()
    manager = make_user(Role.MANAGER, establishment)
    auth.login(manager.email)
    return establishment


def _listed(text: str) -> list[str]:
    return list(dict.fromkeys(re.findall(r"#([0-9A-Za-z]{6,16})\b", text)))


def test_the_feedback_list_walks_every_row_once_forward_and_back(client, place, add_feedback):
    # 60 observations, several at the same minute: the reference breaks the ties.
    for n in range(60):
        add_feedback(place, kind="observation", day=date(2026, 5, 12) + timedelta(days=n % 7),
                     hour=8 + n % 3, text=f"Observation {n}.")
    url = f"/dashboard/feedback?establishment={place.id}&period=golive"
    pages, text = [], client.get(url).text
    assert "60 rétroactions" in text
    assert 'rel="prev"' not in text and "Les plus récents" not in text
    while True:
        pages.append(_listed(text))
        following = _link(text, "next")
        if following is None:
            break
        assert "cursor=" in following and "establishment=" in following
        text = client.get(following).text
    assert [len(p) for p in pages] == [25, 25, 10]
    seen = [ref for page in pages for ref in page]
    assert len(seen) == len(set(seen)) == 60
    # Back from the last page: the same second page, then the first (which has no previous).
    back = client.get(_link(text, "prev")).text
    assert _listed(back) == pages[1]
    first = client.get(_link(back, "prev")).text
    assert _listed(first) == pages[0] and 'rel="prev"' not in first


def test_the_order_is_the_listing_order(app, client, place, add_feedback):
    ids = [add_feedback(place, kind="observation", day=date(2026, 5, 12) + timedelta(days=n),
                        text=f"Jour {n}.") for n in range(30)]
    # The whole span asked for: the default period stops at the last full week.
    text = client.get(f"/dashboard/feedback?establishment={place.id}"
                      "&start=2026-05-11&end=2026-06-14").text
    text += client.get(_link(text, "next")).text
    with app.app_context():
        refs = dict(db.session.execute(sa.select(Feedback.id, Feedback.ref)
                                       .where(Feedback.id.in_(ids))).all())
    assert _listed(text) == [refs[i] for i in reversed(ids)]


def test_counts_stop_at_the_limit(client, place, add_feedback, monkeypatch):
    monkeypatch.setattr(paging, "COUNT_LIMIT", 5)
    for n in range(7):
        add_feedback(place, kind="observation", text=f"Observation {n}.", hour=8 + n)
    text = client.get(f"/dashboard/feedback?establishment={place.id}&period=golive").text
    assert "Plus de 5 rétroactions" in text
    assert len(_listed(text)) == 7  # the list itself is not cut
    monkeypatch.setattr(paging, "COUNT_LIMIT", 7)
    text = client.get(f"/dashboard/feedback?establishment={place.id}&period=golive").text
    assert "7 rétroactions" in text and "Plus de" not in text


def test_the_issue_list_counts_no_further_than_the_limit(app, client, place, monkeypatch):
    monkeypatch.setattr(paging, "COUNT_LIMIT", 30)
    with app.app_context():
        for n in range(40):
            db.session.add(Issue(establishment_id=place.id, title=f"Enjeu {n}",
                                 description="Écran figé.", priority=Priority.P3))
        db.session.commit()
    text = client.get("/issues/?status=all").text
    assert "Plus de 30 enjeux" in text and "Page 1 de plus de 2" in text
    second = client.get("/issues/?status=all&page=2").text
    assert 'rel="next"' not in second and 'rel="prev"' in second


def test_a_super_user_pages_through_their_own_observations(app, client, make_establishment,
                                                           make_user, auth, add_feedback):
    establishment = make_establishment()
    me, other = (make_user(Role.SUPER_USER, establishment) for _ in range(2))
    for n in range(30):
        add_feedback(establishment, kind="observation", author_id=me.id, text=f"Moi {n}.",
                     day=date(2026, 5, 12) + timedelta(days=n))
    add_feedback(establishment, kind="observation", author_id=other.id, text="Pas moi.")
    with app.app_context():  # what the observation form stores beside each
        for feedback_id in db.session.scalars(sa.select(Feedback.id).where(
                Feedback.establishment_id == establishment.id)):
            db.session.add(ObservationDetail(feedback_id=feedback_id,
                                             client_uuid=str(uuid.uuid4())))
        db.session.commit()
    auth.login(me.email)
    first = client.get("/observations/").text
    second = client.get(_link(first, "next")).text
    texts = re.findall(r"Moi \d+\.", first + second)
    assert len(texts) == len(set(texts)) == 30
    assert "Pas moi" not in first + second
    assert _link(second, "next") is None


@pytest.mark.parametrize("cursor", ["W10", "WyIyMDI2LTA1LTAxVDAwOjAwOjAwKzAwOjAwIiwgMV0",
                                    "WyIyMDI2LTA1LTAxVDAwOjAwOjAwKzAwOjAwIiwgImEiLCAiPCJd"])
def test_the_api_refuses_cursors_it_did_not_make(client, place, app, cursor):
    """Another list's cursor, or a page's backward one: the API's own 422 naming the cursor."""
    from feedback.accounts import tokens
    from feedback.clock import utcnow
    from feedback.models import User

    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.role == Role.MANAGER,
                                                       User.establishment_id == place.id))
        secret = tokens.issue_token(user, "paging", now=utcnow())[1]
        db.session.commit()
    response = client.get(f"/api/v1/feedback?establishment={place.code}&cursor={cursor}",
                          headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 422
    assert any(error.get("parameter") == "cursor"
               for error in response.get_json()["errors"])


def test_keys_round_trip_and_refuse_other_shapes():
    keys = (paging.Key(Feedback.created_at, descending=True, kind=paging.datetime),
            paging.Key(Feedback.id, descending=True, kind=int))
    from datetime import UTC, datetime

    moment = datetime(2026, 5, 12, 14, 3, tzinfo=UTC)
    assert paging.decode_cursor(keys, paging.encode_cursor(keys, (moment, 42))) == (
        (moment, 42), False)
    assert paging.decode_cursor(keys, paging.encode_cursor(keys, (moment, 42), backward=True))[1]
    for values in ((moment, "42"), (moment, True), (moment.replace(tzinfo=None), 1)):
        cursor = paging.encode_cursor(
            (paging.Key(Feedback.created_at), paging.Key(Feedback.ref)),
            [v.isoformat() if isinstance(v, datetime) else v for v in values])
        with pytest.raises(paging.InvalidCursor):
            paging.decode_cursor(keys, cursor)


@pytest.fixture
def empty_url(tmp_path, postgres_url):
    if not postgres_url:
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    schema = f"paging_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(postgres_url)
    with engine.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    yield f"{postgres_url}{'&' if '?' in postgres_url else '?'}options=-csearch_path%3D{schema}"
    with engine.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


def test_migration_0013_builds_and_removes_the_indexes_and_task_runs(empty_url, tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_url, "SECRET_KEY": "x"},
                     instance_path=str(tmp_path))
    wanted = {"ix_feedback_establishment_created_ref", "ix_feedback_author_created",
              "ix_feedback_created", "ix_feedback_rollup_cohort_id"}

    def state():
        inspector = sa.inspect(db.engine)
        return ({i["name"] for i in inspector.get_indexes("feedback")
                 + inspector.get_indexes("feedback_rollup")},
                {i["name"] for i in inspector.get_indexes("audit_entry")},
                inspector.has_table("task_run"))

    with app.app_context():
        flask_migrate.upgrade()
        feedback_indexes, audit_indexes, has_runs = state()
        assert wanted <= feedback_indexes and "ix_audit_entry_at_id" in audit_indexes
        assert has_runs
        flask_migrate.downgrade(revision="0008")
        feedback_indexes, audit_indexes, has_runs = state()
        assert not wanted & feedback_indexes and "ix_audit_entry_at_id" not in audit_indexes
        assert not has_runs
        flask_migrate.upgrade()
        assert state()[2]
        db.engine.dispose()


def test_the_home_page_reads_no_comment_and_only_last_weeks_rollups(app, client, place,
                                                                    add_feedback):
    """The home page of a week with feedback reads summary rows of that week (and open issues),
    never the feedback table, nor every week's rollup."""
    from sqlalchemy import event

    from feedback.insights import anonymity

    week = anonymity.last_closed_week(utcnow())
    add_feedback(place, kind="observation", day=week + timedelta(days=2), themes=("access",))
    add_feedback(place, kind="observation", day=week - timedelta(days=30), themes=("access",))
    statements = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(" ".join(statement.split()))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        page = client.get("/").text
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert "Accès" in page
    reads = [s for s in statements if s.startswith("SELECT")]
    assert not [s for s in reads if re.search(r"\bFROM feedback\b(?!_)", s)]
    rollup_reads = [s for s in reads if "FROM feedback_rollup" in s and "DISTINCT" not in s]
    assert rollup_reads and all("feedback_rollup.week = " in s for s in rollup_reads)
