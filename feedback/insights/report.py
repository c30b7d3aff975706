"""The one-month update: one establishment, one period, laid out like the DSN update.

Highlights and key figures, success factors, issues met by adaptation phase, our learnings, what
drives the recommend score, perception next to operations, in summary, activity figures. The
numbers extend the summary's own figures; the narrative comes from published learnings and the
short notes a manager saves with the report (ReportNote).
"""

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from feedback import audit, insights
from feedback.clock import local_day_start, utcnow
from feedback.extensions import db
from feedback.insights.perception import Perception, perception_weeks
from feedback.issues import kpis as kpi
from feedback.models import (
    Establishment,
    Feedback,
    Issue,
    IssueStatus,
    Learning,
    LearningStatus,
    ReportNote,
    Theme,
    User,
    issue_theme,
)

MONTH_DAYS = 30
TOP_ISSUES_PER_PHASE = 5
CHROMIUM_TIMEOUT = 90  # seconds


def first_month(establishment: Establishment) -> tuple[date, date]:
    """The whole weeks covering the thirty days from go-live."""
    return insights.week_span(establishment.go_live,
                               establishment.go_live + timedelta(days=MONTH_DAYS - 1))


@dataclass(frozen=True)
class PhaseIssues:
    """The issues the command centre met in one adaptation phase of the period."""

    phase: int
    received: int
    resolved: int
    priority: int  # P1 and P2
    top: list[Issue]  # the most serious first
    themes: list[tuple[Theme, int]]


@dataclass(frozen=True)
class MonthlyUpdate:
    """The one-month update: the summary's figures for the period, and what only the report adds
    (the managers' notes, the command centre's issues by phase, the learnings)."""

    figures: insights.SummaryFigures
    note: ReportNote | None
    issues_by_phase: list[PhaseIssues]
    learnings: list[Learning]
    perception: Perception

    @property
    def establishment(self) -> Establishment:
        return self.figures.establishment

    @property
    def filter(self) -> insights.SummaryFilter:
        return self.figures.filter

    @property
    def first_day(self) -> date:
        return self.filter.scope.first_week

    @property
    def last_day(self) -> date:
        return self.filter.scope.last_day

    def success_themes(self, limit: int = 3) -> list[insights.ThemeFigure]:
        """Themes staff speak of most positively (by share of positive feedback), shown ones."""
        shown = [f for f in self._theme_figures() if f.sentiment and f.sentiment.positive]
        return sorted(shown, key=lambda f: (-f.sentiment.share("positive"), -f.count))[:limit]

    def concern_themes(self, limit: int = 3) -> list[insights.ThemeFigure]:
        """Themes most mentioned negatively (by number of negative feedback)."""
        shown = [f for f in self._theme_figures() if f.sentiment and f.sentiment.negative]
        return sorted(shown, key=lambda f: -f.sentiment.negative)[:limit]

    def _theme_figures(self) -> list[insights.ThemeFigure]:
        breakdown = self.figures.overall
        figures = [breakdown.overall.theme(theme.id) for theme in breakdown.themes]
        return [figure for figure in figures if figure]


def monthly_update(establishment: Establishment, f: insights.SummaryFilter) -> MonthlyUpdate:
    """Everything the one-month update shows, for the filter's whole Québec weeks."""
    first_day, last_day = f.scope.first_week, f.scope.last_day
    figures = insights.SummaryFigures(f, establishment).prefetch()
    return MonthlyUpdate(
        figures=figures,
        note=report_note(establishment, first_day, last_day),
        issues_by_phase=issues_by_phase(establishment, first_day, last_day),
        learnings=period_learnings(establishment, first_day, last_day),
        perception=perception_weeks(figures),
    )


def _phase_of(establishment: Establishment, column):
    """The adaptation phase an establishment was in at a moment, in SQL."""
    phase2 = local_day_start(establishment.go_live + timedelta(days=establishment.phase2_day))
    phase3 = local_day_start(establishment.go_live + timedelta(days=establishment.phase3_day))
    return case((column < phase2, 1), (column < phase3, 2), else_=3)


def issues_by_phase(establishment: Establishment, first_day: date,
                    last_day: date) -> list[PhaseIssues]:
    """Issues opened in the period (duplicates aside), per phase: counts, top issues, themes."""
    start, end = kpi.local_period(first_day, last_day)
    phase = _phase_of(establishment, Issue.created_at).label("phase")
    in_period = (Issue.establishment_id == establishment.id, Issue.created_at >= start,
                 Issue.created_at < end, Issue.status != IssueStatus.DUPLICATE)
    counts = {
        row.phase: row for row in db.session.execute(
            select(
                phase,
                func.count(Issue.id).label("received"),
                func.count(Issue.id).filter(Issue.resolved_at.is_not(None),
                                            Issue.resolved_at < end).label("resolved"),
                func.count(Issue.id).filter(
                    Issue.priority.in_(kpi.PRIORITY_LEVELS)).label("priority"),
            ).where(*in_period).group_by(phase)
        )
    }
    theme_rows = db.session.execute(
        select(phase, Theme, func.count(Issue.id))
        .join(issue_theme, issue_theme.c.issue_id == Issue.id)
        .join(Theme, Theme.id == issue_theme.c.theme_id)
        .where(*in_period).group_by(phase, Theme.id)
        .order_by(func.count(Issue.id).desc(), Theme.code)
    ).all()
    evidence = (select(func.count(Feedback.id)).where(Feedback.issue_id == Issue.id)
                .correlate(Issue).scalar_subquery())
    result = []
    for number in sorted(counts):
        top = list(db.session.scalars(
            select(Issue).where(*in_period, _phase_of(establishment, Issue.created_at) == number)
            .order_by(Issue.priority, evidence.desc(), Issue.created_at, Issue.id)
            .limit(TOP_ISSUES_PER_PHASE)
            .options(selectinload(Issue.themes), selectinload(Issue.sector))
        ))
        row = counts[number]
        result.append(PhaseIssues(
            phase=number, received=row.received, resolved=row.resolved,
            priority=row.priority, top=top,
            themes=[(theme, n) for p, theme, n in theme_rows if p == number],
        ))
    return result


def period_learnings(establishment: Establishment, first_day: date,
                     last_day: date) -> list[Learning]:
    """Published learnings of the period, oldest first: those published since it began (an
    update is often written after its month, with the learnings of that month), and those
    whose change was made during it."""
    start, end = kpi.local_period(first_day, last_day)
    return list(db.session.scalars(
        select(Learning)
        .where(Learning.establishment_id == establishment.id,
               Learning.status == LearningStatus.PUBLISHED,
               (Learning.published_at >= start)
               | Learning.action_on.between(first_day, last_day))
        .order_by(Learning.published_at, Learning.id)
        .options(selectinload(Learning.themes))
    ))


def report_note(establishment: Establishment, first_day: date, last_day: date) -> ReportNote | None:
    return db.session.scalar(select(ReportNote).where(
        ReportNote.establishment_id == establishment.id, ReportNote.period_start == first_day,
        ReportNote.period_end == last_day,
    ))


def save_report_note(establishment: Establishment, first_day: date, last_day: date, *,
                     actor: User, highlights: str, success_factors: str,
                     summary: str) -> ReportNote:
    """Create or update the notes saved with a report of this establishment and period."""
    note = report_note(establishment, first_day, last_day)
    if note is None:
        note = ReportNote(establishment=establishment, period_start=first_day,
                          period_end=last_day)
        db.session.add(note)
    note.highlights = highlights.strip()
    note.success_factors = success_factors.strip()
    note.summary = summary.strip()
    note.updated_by_id = actor.id
    note.updated_at = utcnow()
    db.session.flush()
    audit.record("report.note", actor=actor, establishment_id=establishment.id, target=note,
                 period_start=first_day.isoformat(), period_end=last_day.isoformat())
    return note


# --- PDF through headless Chromium, when the server has it ----------------------------------

def chromium_path() -> str | None:
    """Chromium's executable, if installed (/usr/bin/chromium or on the PATH)."""
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


class PdfError(Exception):
    """Chromium is missing or failed: the page can still be printed to PDF from the browser."""


def pdf_from_html(html: str, *, timeout: int = CHROMIUM_TIMEOUT) -> bytes:
    """Render a self-contained HTML page (CSS inlined, no external resource) to PDF."""
    chromium = chromium_path()
    if chromium is None:
        raise PdfError("chromium is not installed")
    with tempfile.TemporaryDirectory(prefix="echo-report-") as folder:
        page, pdf = Path(folder) / "report.html", Path(folder) / "report.pdf"
        page.write_text(html, encoding="utf-8")
        command = [
            chromium, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--disable-extensions", "--no-pdf-header-footer",
            f"--user-data-dir={Path(folder) / 'profile'}", f"--print-to-pdf={pdf}",
            page.as_uri(),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=timeout, check=True,
                           env={**os.environ, "HOME": folder})
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as error:
            raise PdfError(str(error)) from None
        if not pdf.exists() or pdf.stat().st_size == 0:
            raise PdfError("chromium wrote no PDF")
        return pdf.read_bytes()
