"""The one-month update: sections from the data, notes saved with it, print and PDF."""

import html
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from feedback import insights, issues, learnings
from feedback.clock import utcnow
from feedback.extensions import db
from feedback.insights import anonymity, report
from feedback.models import (
    AdoptionWeek,
    AuditEntry,
    Establishment,
    ExportJob,
    ExportJobStatus,
    IssueStatus,
    Priority,
    ReportNote,
    Role,
    Theme,
    User,
)

GO_LIVE = date(2026, 5, 9)  # Saturday: the first month is the weeks of 4 May to 1 June


@pytest.fixture
def month(app, make_establishment, make_user, add_feedback):
    """Twelve survey comments and two observations in the first month, three issues, learnings.

    Phase 2 begins on day 14 (23 May). Issues: a P1 of day 1 resolved in 5 h (phase 1), a P2 of
    day 3 still open (phase 1), a P3 of day 20 resolved (phase 2); a P1 after the period.
    """
    e = make_establishment("MON", go_live=GO_LIVE)
    manager = make_user(Role.MANAGER, e)
    for n in range(12):
        add_feedback(e, day=GO_LIVE + timedelta(days=n * 2), phase=1 if n < 7 else 2,
                     themes=("access",) if n < 6 else ("support",),
                     sentiment="negative" if n < 6 else "positive",
                     polarity=-0.5 if n < 6 else 0.5)
    for _ in range(2):
        add_feedback(e, kind="observation", role="super_user", day=GO_LIVE + timedelta(days=3),
                     themes=("workflow",))
    with app.app_context():
        est = db.session.get(Establishment, e.id)
        author = db.session.get(User, manager.id)
        access = db.session.scalar(select(Theme).where(Theme.code == "access"))
        start = datetime(2026, 5, 10, 14, tzinfo=UTC)
        first = issues.create_issue(est, title="Badges en panne", priority=Priority.P1,
                                    actor=None, at=start, themes=[access])
        issues.change_status(first, IssueStatus.RESOLVED, actor=None, note="Fait.",
                             at=start + timedelta(hours=5))
        issues.create_issue(est, title="Imprimante du labo", priority=Priority.P2, actor=None,
                            at=start + timedelta(days=2))
        third = issues.create_issue(est, title="Liste de travail", priority=Priority.P3,
                                    actor=None, at=start + timedelta(days=19))
        issues.change_status(third, IssueStatus.RESOLVED, actor=None, note="Fait.",
                             at=start + timedelta(days=20))
        issues.create_issue(est, title="Après le mois", priority=Priority.P1, actor=None,
                            at=datetime(2026, 6, 20, tzinfo=UTC))
        published = learnings.create_learning(est, author=author, title="Lecteurs remplacés",
                                               learned="Les badges.", action="Remplacés.")
        learnings.publish_learning(published, actor=author,
                                   at=datetime(2026, 5, 15, tzinfo=UTC))
        learnings.create_learning(est, author=author, title="Brouillon du mois",
                                  learned="Pas encore.")
        late = learnings.create_learning(est, author=author, title="Publié après le mois",
                                         learned="Plus tard.", action="Fait.")
        learnings.publish_learning(late, actor=author, at=datetime(2026, 6, 20, tzinfo=UTC))
        early = learnings.create_learning(est, author=author, title="Publié avant le mois",
                                          learned="Avant.", action="Fait.")
        learnings.publish_learning(early, actor=author, at=datetime(2026, 4, 20, tzinfo=UTC))
        changed = learnings.create_learning(est, author=author, title="Changé pendant le mois",
                                            learned="Avant.", action="Fait.",
                                            action_on=date(2026, 5, 20))
        learnings.publish_learning(changed, actor=author, at=datetime(2026, 4, 21, tzinfo=UTC))
        db.session.commit()
    return e, manager


def test_the_first_month_is_whole_weeks_from_go_live(app, month):
    e, _ = month
    with app.app_context():
        assert report.first_month(db.session.get(Establishment, e.id)) == (
            date(2026, 5, 4), date(2026, 6, 1))


def period(establishment):
    """The weeks of 4 May to 7 June, cut into cohorts first (as the report's page does), with
    a threshold of 1: these tests are about what the report shows, not about anonymity."""
    anonymity.publish_due(db.session, 1, utcnow())
    return insights.summary_filter(establishment, date(2026, 5, 4), date(2026, 6, 7),
                                    threshold=1)


def test_the_update_is_filled_from_the_data(app, month):
    e, _ = month
    with app.app_context():
        est = db.session.get(Establishment, e.id)
        update = report.monthly_update(est, period(est))
        assert (update.first_day, update.last_day) == (date(2026, 5, 4), date(2026, 6, 7))
        assert update.figures.overall.overall.total == 14
        # Issues of the period (the P1 of 20 June is outside): 3 received, 2 resolved,
        # the P1 within 24 h, so 1 of the 2 priority issues.
        kpis = update.figures.kpis
        assert (kpis.received, kpis.resolved) == (3, 2)
        assert (kpis.priority_received, kpis.priority_resolved_within_24h) == (2, 1)
        phases = {p.phase: p for p in update.issues_by_phase}
        assert (phases[1].received, phases[1].resolved, phases[1].priority) == (2, 1, 2)
        assert [i.title for i in phases[1].top] == ["Badges en panne", "Imprimante du labo"]
        assert [(t.code, n) for t, n in phases[1].themes] == [("access", 1)]
        assert (phases[2].received, phases[2].resolved, phases[2].priority) == (1, 1, 0)
        # Published since the period began (even after it: updates are written afterwards),
        # or changed during it; not one published and changed before.
        assert [lesson.title for lesson in update.learnings] == [
            "Changé pendant le mois", "Lecteurs remplacés", "Publié après le mois"]
        assert [f.theme.code for f in update.success_themes()] == ["support"]
        assert [f.theme.code for f in update.concern_themes()] == ["access"]


def test_the_report_page_has_the_update_sections(app, client, auth, month):
    e, manager = month
    auth.login(manager.email)
    page = client.get("/dashboard/report")
    assert page.status_code == 200
    text = html.unescape(page.text)
    for number in range(1, 7):
        assert f">{number}. " in text  # highlights ... activity figures, in that order
    assert "Badges en panne" in text and "Lecteurs remplacés" in text
    assert "Brouillon du mois" not in text and "Publié avant le mois" not in text
    assert "data-print" in text and "js/print.js" in text  # the print button, no inline JS
    assert "<script>" not in text


def test_notes_are_saved_with_the_report(app, client, auth, month):
    e, manager = month
    auth.login(manager.email)
    response = client.post("/dashboard/report/notes?start=2026-05-04&end=2026-06-07", data={
        "highlights": "Mise en service réussie.", "success_factors": "Présence 24/7.",
        "summary": "La stabilité est acquise."})
    assert response.status_code == 302
    with app.app_context():
        note = db.session.scalar(select(ReportNote))
        assert (note.period_start, note.period_end) == (date(2026, 5, 4), date(2026, 6, 7))
        assert note.summary == "La stabilité est acquise." and note.updated_by_id == manager.id
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "report.note"))
        assert "Mise" not in str(entry.details)  # never the text itself
    text = html.unescape(client.get(response.headers["Location"]).text)
    assert "Mise en service réussie." in text and "La stabilité est acquise." in text
    # Another period has its own (empty) notes.
    other = html.unescape(client.get("/dashboard/report?start=2026-06-08&end=2026-07-05").text)
    assert "Mise en service réussie." not in other


def test_overlong_notes_are_refused_next_to_the_field(app, client, auth, month):
    e, manager = month
    auth.login(manager.email)
    response = client.post("/dashboard/report/notes", data={
        "highlights": "x" * 2001, "success_factors": "", "summary": "Gardé."})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.text and "Gardé." in response.text


def test_without_chromium_the_pdf_link_says_how_to_print(app, client, auth, month, monkeypatch):
    e, manager = month
    monkeypatch.setattr(report, "chromium_path", lambda: None)
    auth.login(manager.email)
    page = client.get("/dashboard/report").text
    assert "report.pdf" not in page
    response = client.get("/dashboard/report.pdf", follow_redirects=True)
    assert response.status_code == 200
    assert "PDF" in html.unescape(response.text)


@pytest.mark.skipif(report.chromium_path() is None,
                    reason="Chromium is not installed (apt-get install chromium to run this)")
def test_the_pdf_is_made_by_the_queue_for_its_requester_alone(app, client, auth, month,
                                                                make_user):
    """Chromium runs in the queue's task (immediate mode here), never in the request: the page
    says it is being prepared, then offers the PDF to the one who asked, and to nobody else."""
    e, manager = month
    auth.login(manager.email)
    period = "start=2026-05-04&end=2026-06-07"
    assert 'method="post"' in client.get(f"/dashboard/report?{period}").text
    # A GET (a prefetch, an old link) makes nothing.
    assert client.get(f"/dashboard/report.pdf?{period}").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ExportJob)) == 0
    response = client.post(f"/dashboard/report.pdf?{period}")
    assert response.status_code == 302 and "/exports/" in response.headers["Location"]
    page = client.get(response.headers["Location"])
    assert "Le PDF est prêt" in page.text
    with app.app_context():
        job = db.session.scalars(select(ExportJob)).one()
        assert (job.table, job.format, job.status) == ("report", "pdf", ExportJobStatus.DONE)
        assert job.expires_at - job.finished_at == timedelta(hours=24)
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "export.download"))
        assert entry.details["format"] == "pdf" and entry.details["job"] == job.id
    folder = Path(app.instance_path) / "exports"
    assert not list(folder.glob("*.html"))  # the page kept for Chromium is gone with the job
    pdf = client.get(f"/dashboard/exports/{job.id}/file")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    assert job.filename in pdf.headers["Content-Disposition"]
    pdf.close()
    other = make_user(Role.MANAGER, e)
    auth.logout()
    auth.login(other.email)
    assert client.get(f"/dashboard/exports/{job.id}/file").status_code == 404


def test_a_pdf_chromium_cannot_make_fails_with_its_reason_after_its_attempts(
        app, client, auth, month, monkeypatch, caplog):
    e, manager = month
    app.config["QUEUE_ATTEMPTS"] = 2

    def broken(html, **_kwargs):
        raise report.PdfError("chromium crashed")

    monkeypatch.setattr(report, "chromium_path", lambda: "/usr/bin/chromium")
    monkeypatch.setattr(report, "pdf_from_html", broken)
    auth.login(manager.email)
    page = client.post("/dashboard/report.pdf?start=2026-05-04&end=2026-06-07",
                       follow_redirects=True)
    assert "PdfError" in page.text and "2" in page.text
    with app.app_context():
        job = db.session.scalars(select(ExportJob)).one()
        assert job.status is ExportJobStatus.FAILED and job.attempts == 2
    assert not list((Path(app.instance_path) / "exports").glob("*.html"))


def test_the_standalone_page_inlines_its_css(app, month):
    """What Chromium prints needs nothing from the network or the server."""
    e, _ = month
    with app.test_request_context("/dashboard/report"):
        from flask_login import login_user

        from feedback.insights.views import render_report

        est = db.session.get(Establishment, e.id)
        login_user(db.session.scalar(select(User).where(User.establishment_id == e.id)))
        page = render_report(report.monthly_update(est, period(est)), standalone=True)
    assert "<style>" in page and "@media print" in page
    assert 'rel="stylesheet"' not in page and "<script" not in page


def test_the_update_reads_like_the_dsn_update(app, client, auth, month):
    """Key figures on page 1, issues 'signalés' (opened, not still open), drivers and
    perception next to operations, and dates in one format."""
    e, manager = month
    with app.app_context():
        db.session.add(AdoptionWeek(establishment_id=e.id, week=date(2026, 5, 11),
                                    users_connected=900, users_total=1000,
                                    physician_order_share=0.62, source="test.csv"))
        db.session.commit()
    auth.login(manager.email)
    text = html.unescape(client.get("/dashboard/report").text)
    highlights = text[text.index("1. Faits saillants"):text.index("2. Facteurs de succès")]
    assert "Chiffres clés" in highlights
    # Two priority issues, one resolved, in 5 hours.
    assert "50\u00a0% des billets prioritaires résolus, 50\u00a0% en moins de 24\u00a0h." in (
        highlights)
    assert "90\u00a0%" in highlights  # users connected to the EHR, its last week imported
    assert "2 enjeux signalés" in text and "2 enjeux ouverts" not in text
    assert "5. Ce qui fait bouger l’indice de recommandation" in text
    assert "6. Perception et opérations" in text and 'id="report-perception"' in text
    assert "Ce que rapporte le DSN" in text
    # One date format: the long one (no 12/05/2026, no "12 mai" without its year in text).
    report_text = re.sub(r"<[^>]+>", " ", text[text.index('<article class="report">'):
                                                text.index("</article>")])
    assert not re.search(r"\b\d{2}/\d{2}/\d{4}\b|\b\d{4}-\d{2}-\d{2}\b", report_text)
    assert "10 mai 2026" in report_text  # the first issue, in the long format
