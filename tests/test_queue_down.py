"""With the queue out of reach (Redis down, nothing listening): surveys and observations are
stored without touching it, and the pages that enqueue say so and keep what was sent."""

import html

import pytest
from sqlalchemy import func, select

from feedback.extensions import db, task_queue
from feedback.insights import report
from feedback.models import ExportJob, ExportJobStatus, Feedback, Role, SurveyResponse
from tests.test_observations import form_data, places  # noqa: F401 (a fixture)
from tests.test_surveys import answers, sector_id, token_of


@pytest.fixture
def queue_down(app, monkeypatch):
    app.config.update(QUEUE_IMMEDIATE=False, QUEUE_URL="redis://127.0.0.1:1/0")
    calls = []
    real = task_queue.enqueue

    def counted(*args, **kwargs):
        calls.append(args[0].__name__)
        return real(*args, **kwargs)

    monkeypatch.setattr(task_queue, "enqueue", counted)
    return calls


def stored(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_survey_is_stored_at_once_without_the_queue(app, client, make_establishment,
                                                      make_campaign, queue_down):
    campaign = make_campaign(make_establishment("MCQ"))
    page = client.get(f"/s/{campaign.slug}")
    response = client.post(f"/s/{campaign.slug}", data=answers(
        sector_id(app, campaign.establishment_id), token_of(page), comment="Trop de clics."))
    assert response.status_code == 302 and response.headers["Location"].endswith("/merci")
    assert stored(app, SurveyResponse) == 1 and stored(app, Feedback) == 1
    assert queue_down == []


def test_an_observation_is_stored_at_once_without_the_queue(app, client, make_establishment,
                                                            make_user, auth, places,  # noqa: F811
                                                            queue_down):
    establishment = make_establishment()
    auth.login(make_user(Role.SUPER_USER, establishment).email)
    here = places(establishment)
    response = client.post("/observations/new", data=form_data(here["sector"]))
    assert response.status_code == 302
    assert stored(app, Feedback) == 1 and queue_down == []


def test_the_pdf_page_says_the_queue_is_out_of_reach(app, client, make_establishment, make_user,
                                                     auth, queue_down, monkeypatch):
    monkeypatch.setattr(report, "chromium_path", lambda: "/usr/bin/chromium")
    establishment = make_establishment()
    auth.login(make_user(Role.MANAGER, establishment).email)
    page = client.post("/dashboard/report.pdf", follow_redirects=True)
    assert page.status_code == 200
    assert "La file des tâches est injoignable" in html.unescape(page.text)
    assert queue_down == ["run_export"]
    with app.app_context():
        job = db.session.scalars(select(ExportJob)).one()
        assert job.status is ExportJobStatus.FAILED
