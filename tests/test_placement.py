"""Nothing a manager sees places an anonymous answer more precisely than its week.

Observations keep their exact time; ids follow the order rows were stored in. An id shown next
to a survey comment would place it between two observations, to the second. So feedback is named
by a random reference everywhere (pages, exports, API, audit trail), anonymous comments keep only
their week, and lists order them within a week by that random reference.
"""

import csv
import io
import re
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import select

from feedback.accounts import tokens
from feedback.clock import local_today, local_week_start, utcnow
from feedback.extensions import db
from feedback.insights import anonymity
from feedback.models import AuditEntry, Feedback, FeedbackKind, Role, User, new_ref
from tests.test_surveys import answers, sector_id, token_of

REF = re.compile(r"^[0-9a-z]{12}$")
WEEK = date(2026, 5, 11)


def test_a_survey_comment_keeps_only_its_week(app, client, make_establishment, make_campaign):
    campaign = make_campaign(make_establishment("MCQ"))
    page = client.get(f"/s/{campaign.slug}")
    client.post(f"/s/{campaign.slug}", data=answers(
        sector_id(app, campaign.establishment_id), token_of(page),
        comment="Le tap-in plante au poste 3."))
    with app.app_context():
        comment = db.session.scalar(select(Feedback).where(Feedback.kind == FeedbackKind.SURVEY))
        assert comment.created_at == local_week_start(local_today())
        assert REF.match(comment.ref)


@pytest.fixture
def interleaved(app, make_establishment, add_feedback, make_user):
    """Observation, 30 survey comments, observation: stored in that order, in one week."""
    e = make_establishment(go_live=date(2026, 5, 4))
    author = make_user(Role.SUPER_USER, e)
    ids = [add_feedback(e, kind="observation", role="super_user", day=WEEK, hour=9,
                        author_id=author.id, text="OBS-FIRST")]
    ids += [add_feedback(e, day=date(2026, 5, 11 + n % 7), text=f"ANON-{n:02d}",
                         themes=("access",)) for n in range(30)]
    ids.append(add_feedback(e, kind="observation", role="super_user", day=WEEK, hour=17,
                            author_id=author.id, text="OBS-LAST"))
    with app.app_context():
        anonymity.publish_due(db.session, 5, utcnow())
        db.session.commit()
    return e, ids


def test_lists_order_anonymous_comments_by_nothing_they_reveal(app, client, auth, make_user,
                                                                 interleaved):
    e, _ids = interleaved
    auth.login(make_user(Role.MANAGER, e).email)
    page = client.get("/dashboard/feedback?start=2026-05-11&end=2026-05-17").text
    order = re.findall(r"ANON-(\d\d)", page)
    assert len(order) == 23  # the first page of 25: both observations, then 23 of the 30
    stored = sorted(order)
    assert order not in (stored, stored[::-1])  # not in the order they were stored
    # Both observations come first (newest first), before the week's anonymous comments.
    assert page.index("OBS-LAST") < page.index("OBS-FIRST") < page.index("ANON-")
    # No number that could be an id is shown next to a comment: only references.
    shown = re.findall(r'<p class="meta">#(\w+)', page)
    assert shown and all(REF.match(ref) for ref in shown)


def test_the_api_and_the_export_name_feedback_by_reference_only(app, client, auth, make_user,
                                                                interleaved):
    e, ids = interleaved
    manager = make_user(Role.MANAGER, e)
    with app.app_context():
        _token, secret = tokens.issue_token(db.session.get(User, manager.id), "t",
                                                now=utcnow())
        db.session.commit()
    body = client.get("/api/v1/feedback?since=2026-05-11&until=2026-05-17&limit=100",
                      headers={"Authorization": f"Bearer {secret}"}).get_json()
    assert len(body["items"]) == 32
    for item in body["items"]:
        assert "id" not in item and REF.match(item["ref"])
        if item["kind"] == "survey":
            assert item["created_at"] is None and item["created_on"] is None
            assert item["week_of"] == WEEK.isoformat()
    auth.login(manager.email)
    export = client.get("/dashboard/export/feedback.csv?start=2026-05-11&end=2026-05-17")
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))
    references = [row[0] for row in rows[1:]]
    assert len(references) == 32 and all(REF.match(ref) for ref in references)
    assert not set(references) & {str(ident) for ident in ids}


def test_the_audit_trail_names_a_corrected_comment_by_its_reference(app, client, auth,
                                                                      make_user, interleaved):
    e, ids = interleaved
    auth.login(make_user(Role.MANAGER, e).email)
    with app.app_context():
        comment = db.session.get(Feedback, ids[5])
        ref = comment.ref
    assert client.post(f"/dashboard/feedback/{ref}/themes",
                       data={"themes": ["training"]}).status_code == 302
    assert client.get(f"/dashboard/feedback/{ids[5]}/themes").status_code == 404
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "feedback.retheme"))
        assert entry.target_id == ref


def test_references_are_drawn_evenly_from_the_32_letters():
    """A reference says nothing of when its row was stored: twelve letters, each as likely as
    any other (no i, l, o or u to misread), never the same twice."""
    refs = [new_ref() for _ in range(20_000)]
    assert len(set(refs)) == len(refs) and all(REF.match(ref) for ref in refs)
    counts = Counter("".join(refs))
    assert set(counts) == set("0123456789abcdefghjkmnpqrstvwxyz")
    expected = len(refs) * 12 / 32  # 7,500, give or take 85: 450 is over five deviations
    assert all(abs(n - expected) < 450 for n in counts.values()), counts
