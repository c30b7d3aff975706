"""Stored XSS: what people write renders inert wherever it is shown, exports and report too."""

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from feedback.clock import local_today, utcnow
from feedback.extensions import db
from feedback.models import (
    Campaign,
    Establishment,
    FeedbackKind,
    Issue,
    Learning,
    LearningStatus,
    Priority,
    Role,
    WriterRole,
)
from feedback.surveys import create_campaign
from feedback.tagging import record_feedback

PAYLOADS = [
    "<script>alert('xss-1')</script>",
    '<img src=x onerror="alert(2)">',
    "<a href=\"javascript:alert(3)\">lien</a>",
    "<svg onload=alert(4)><circle r=1 /></svg>",
    "{{7*7}} {% print('xss-5') %}",
]
# What would run if a payload were rendered as markup.
DANGEROUS = re.compile(r"<script>alert|<img src=x onerror|<a href=\"javascript:|<svg onload", re.I)


@pytest.fixture
def planted(app, make_establishment, make_user):
    """Every kind of free text a person can write, each carrying every payload."""
    establishment = make_establishment("MCQ")
    manager = make_user(Role.MANAGER, establishment)
    text = " ".join(PAYLOADS)
    with app.app_context():
        owner = db.session.get(Establishment, establishment.id)
        sector = owner.sites[0].sectors[0]
        for kind, role in ((FeedbackKind.OBSERVATION, WriterRole.SUPER_USER),
                           (FeedbackKind.SURVEY, WriterRole.NURSE)):
            for _ in range(6):  # above the anonymity threshold, so comments are shown
                feedback = record_feedback(
                    establishment=owner, text=f"Le système plante. {text}", kind=kind,
                    role=role, phase=1, sector=sector, created_at=utcnow() - timedelta(days=2))
        db.session.flush()
        db.session.add(Issue(establishment=owner, title=f"Enjeu {text}"[:200],
                             description=text, priority=Priority.P2, evidence=[feedback]))
        db.session.add(Learning(establishment=owner, title=f"Appris {PAYLOADS[0]}", learned=text,
                                action=text, action_owner=PAYLOADS[1][:100],
                                status=LearningStatus.PUBLISHED, published_at=utcnow()))
        create_campaign(establishment=owner, title_fr=f"Pouls {PAYLOADS[0]}",
                        title_en=f"Pulse {PAYLOADS[3]}", intro_fr=text, intro_en=text,
                        opens_on=local_today(), closes_on=local_today() + timedelta(days=6))
        db.session.commit()
        ids = {"issue": db.session.scalar(select(Issue.id)),
               "learning": db.session.scalar(select(Learning.id)),
               "campaign": db.session.scalar(select(Campaign.slug))}
    return manager, ids


def assert_inert(body: str, where: str) -> None:
    match = DANGEROUS.search(body)
    assert match is None, f"{where}: {body[max(0, match.start() - 80):match.end() + 80]}"


def test_payloads_render_inert_on_every_page(app, client, auth, planted):
    manager, ids = planted
    auth.login(manager.email)
    pages = ["/", "/dashboard/summary", "/dashboard/feedback", "/dashboard/report",
             "/dashboard/compare", "/issues/", "/issues/board", f"/issues/{ids['issue']}",
             "/learnings",
             f"/learnings/{ids['learning']}", "/vous-avez-dit/MCQ", "/observations/",
             "/campaigns", f"/s/{ids['campaign']}", f"/s/{ids['campaign']}/merci"]
    shown = literal = 0
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.get_data(as_text=True)
        assert_inert(body, path)
        shown += "&lt;script&gt;" in body
        literal += "{{7*7}}" in html.unescape(body)  # shown as typed, never evaluated
    assert shown >= 8 and literal >= 5  # the payloads really are on those pages, escaped


def test_payloads_stay_text_in_exports(app, client, auth, planted):
    manager, _ = planted
    auth.login(manager.email)
    csv = client.get("/dashboard/export/feedback.csv").get_data(as_text=True)
    assert "<script>alert('xss-1')</script>" in csv  # kept as the text it is, in a text format
    assert not re.search(r'(^|[,;"])\s*[=+@]', csv, re.M)  # and never as a formula
    xlsx = client.get("/dashboard/export/feedback.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
