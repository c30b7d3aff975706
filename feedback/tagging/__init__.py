"""How texts get their themes and keep them: recording feedback through the analysis pipeline with
the themes the database defines, managers' corrections, retagging and retraining.

The pipeline itself (feedback.analysis) knows nothing of the database: this module hands it the
active themes, the keywords admins added, and the model retrained from managers' corrections.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import selectinload

from feedback import analysis, audit
from feedback.analysis.results import Analysis
from feedback.extensions import db, theme_model
from feedback.models import (
    AuditEntry,
    Feedback,
    FeedbackTheme,
    SentimentLabel,
    TaskRun,
    Theme,
    ThemeSource,
)
from feedback.models.base import FeedbackKind, WriterRole
from feedback.models.people import Establishment, Sector, Site, User
from feedback.models.surveys import Campaign


@lru_cache(maxsize=8)
def _build(
    terms: tuple[tuple[str, tuple[str, ...]], ...], model_file: str | None, model_mtime: float
) -> analysis.Analyser:
    model = analysis.ThemeModel.load(model_file) if model_file else None
    return analysis.Analyser(
        extra_terms={code: words for code, words in terms if words},
        model=model,
        active_themes=[code for code, _ in terms],
    )


def active_themes() -> dict[str, Theme]:
    """The themes feedback can be tagged with, by code."""
    return {theme.code: theme for theme in db.session.scalars(select(Theme).where(Theme.active))}


def current_analyser(themes: dict[str, Theme]) -> analysis.Analyser:
    """The analyser for these active themes; rebuilt only when themes or the model change."""
    terms = tuple(sorted(
        (code, tuple(line.strip() for line in theme.keywords.splitlines() if line.strip()))
        for code, theme in themes.items()
    ))
    path = theme_model.path
    if path.exists():
        return _build(terms, str(path), path.stat().st_mtime)
    return _build(terms, None, 0.0)


def configured_analyser() -> tuple[analysis.Analyser, bool]:
    """The analyser as this installation configures it, and whether the database configured it.

    Before `flask db upgrade` there are no themes to read: the shipped pipeline is what a user
    trying `analyze` or `evaluate` on a fresh clone wants, not a traceback about a missing table.
    """
    if not inspect(db.engine).has_table(Theme.__tablename__):
        return analysis.Analyser(), False
    return current_analyser(active_themes()), True


def _has_manual_themes():
    return (
        select(FeedbackTheme.feedback_id)
        .where(FeedbackTheme.feedback_id == Feedback.id,
               FeedbackTheme.source == ThemeSource.MANUAL)
        .exists()
    )


def retag_batch(after_id: int, size: int, themes: dict[str, Theme]) -> tuple[int, int]:
    """Re-analyse the next `size` feedback rows after `after_id`; returns (count, last id).

    The stored text is redacted again (a newer pipeline only removes more), and language,
    sentiment and automatic themes are recomputed. Themes a manager set by hand are kept as the
    feedback's themes: a manual correction is a decision the pipeline does not overrule.
    """
    analyser = current_analyser(themes)
    batch = list(db.session.scalars(
        select(Feedback).where(Feedback.id > after_id).order_by(Feedback.id).limit(size)
        .options(selectinload(Feedback.themes))
    ))
    for feedback in batch:
        apply_analysis(feedback, analyser.analyse(feedback.text, feedback.kind.value), themes)
    db.session.flush()
    return len(batch), (batch[-1].id if batch else after_id)


def retag_all(run: TaskRun, attempt: int, batch_size: int = 500) -> dict:
    """A re-analysis run (feedback.runs): every stored feedback, a batch per transaction, from
    where an earlier attempt stopped; each batch commits with the run's progress, so a batch is
    never done twice nor lost. Returns the outcome (counts only)."""
    from feedback import runs

    last_id, done = int(run.outcome.get("last_id", 0)), run.done
    if not run.total:
        runs.record(run.id, attempt, total=db.session.scalar(select(func.count(Feedback.id))))
        db.session.commit()
    while True:
        count, last_id = retag_batch(last_id, batch_size, active_themes())
        if not count:
            return {"last_id": last_id, "retagged": done}
        done += count
        runs.record(run.id, attempt, done=done, outcome={"last_id": last_id})
        db.session.commit()


def retrain_run(_run: TaskRun, _attempt: int) -> dict:
    """A retraining run (feedback.runs): the model refitted; its outcome, the examples used."""
    examples, corrections = retrain()
    return {"examples": examples, "corrections": corrections}


def corrections_since(moment: datetime | None) -> int:
    """Theme corrections managers made since `moment` (ever, when None): what retraining
    would learn that the model does not know yet."""
    stmt = select(func.count(AuditEntry.id)).where(AuditEntry.action == "feedback.retheme")
    if moment is not None:
        stmt = stmt.where(AuditEntry.at > moment)
    return db.session.scalar(stmt)


def manual_corrections() -> list[tuple[str, frozenset[str]]]:
    """Texts whose themes a manager set by hand, with those themes: training data."""
    rows = db.session.execute(
        select(Feedback.id, Feedback.text, Theme.code)
        .join(FeedbackTheme, FeedbackTheme.feedback_id == Feedback.id)
        .join(Theme, Theme.id == FeedbackTheme.theme_id)
        .where(FeedbackTheme.source == ThemeSource.MANUAL)
        .order_by(Feedback.id)
    )
    texts: dict[int, str] = {}
    codes: dict[int, set[str]] = {}
    for feedback_id, text, code in rows:
        texts[feedback_id] = text
        codes.setdefault(feedback_id, set()).add(code)
    return [(texts[i], frozenset(codes[i])) for i in texts]


def retrain() -> tuple[int, int]:
    """Refit the theme classifier on the shipped examples plus managers' corrections.

    The model is written to the instance folder, where current_analyser() picks it up.
    Returns (examples used, of which manual corrections).
    """
    corrections = manual_corrections()
    examples = analysis.training_examples() + corrections
    model = analysis.train_model(examples)
    path = theme_model.path
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    model.save(temporary)
    temporary.replace(path)  # atomic: a running worker never reads a half-written model
    return len(examples), len(corrections)


def analysed_columns(result: Analysis) -> dict:
    """What the pipeline decided about a text, as Feedback column values.

    Every way a text comes in (a form, the API, a bulk import, a retag) fills its row from here,
    so a row holds the same whichever way it arrived.
    """
    return {
        "text": result.redacted,
        "language": result.language,
        "polarity": result.sentiment.polarity,
        "sentiment": SentimentLabel(result.sentiment.label),
    }


def analysed_themes(result: Analysis, themes: dict[str, Theme]) -> list[tuple[Theme, float]]:
    """The active themes the pipeline found in a text, with their confidence."""
    return [(themes[score.code], score.confidence) for score in result.themes
            if score.code in themes]


def apply_analysis(feedback: Feedback, result: Analysis, themes: dict[str, Theme]) -> None:
    """Give a feedback row the pipeline's columns and automatic themes.

    Themes a manager set by hand stay: a correction is a decision the pipeline does not overrule.
    """
    for column, value in analysed_columns(result).items():
        setattr(feedback, column, value)
    if any(link.source is ThemeSource.MANUAL for link in feedback.themes):
        return
    feedback.themes = [
        FeedbackTheme(theme=theme, source=ThemeSource.AUTO, confidence=confidence)
        for theme, confidence in analysed_themes(result, themes)
    ]


def record_feedback(
    *,
    establishment: Establishment,
    text: str,
    kind: FeedbackKind,
    role: WriterRole,
    phase: int,
    site: Site | None = None,
    sector: Sector | None = None,
    created_at: datetime | None = None,
    author: User | None = None,
    campaign: Campaign | None = None,
    themes: dict[str, Theme] | None = None,
) -> Feedback:
    """Analyse a text (redaction first) and add it as Feedback with its themes; the caller commits.

    Only the redacted text is kept: the original never reaches the session, the database or a log.
    `themes` lets a caller recording many texts look the theme rows up once.
    """
    themes = active_themes() if themes is None else themes
    if site is None and sector is not None:
        site = sector.site
    feedback = Feedback(establishment=establishment, site=site, sector=sector, role=role,
                        phase=phase, kind=kind, author=author, campaign=campaign, themes=[])
    if created_at is not None:
        feedback.created_at = created_at
    apply_analysis(feedback, current_analyser(themes).analyse(text, kind.value), themes)
    db.session.add(feedback)
    return feedback


@dataclass(frozen=True)
class ThemeSuggestion:
    theme: Theme
    confidence: float


def suggest_themes(text: str, themes: dict[str, Theme] | None = None) -> list[ThemeSuggestion]:
    """The themes record_feedback would give this observation, without storing anything."""
    themes = active_themes() if themes is None else themes
    result = current_analyser(themes).analyse(text, FeedbackKind.OBSERVATION.value)
    return [ThemeSuggestion(theme, confidence)
            for theme, confidence in analysed_themes(result, themes)]


@dataclass(frozen=True)
class ThemeReason:
    """Why a feedback has a theme: set by a manager, or the phrases that weighed towards it."""

    theme: Theme
    manual: bool
    phrases: tuple[str, ...]


def theme_reasons(feedback: Feedback, *, limit: int = 4) -> list[ThemeReason]:
    """For each of the feedback's themes, the phrases of its stored text that weighed most for it.

    The stored text is already redacted, so an explanation never shows what redaction removed.
    """
    themes = active_themes()
    analyser = current_analyser(themes)
    reasons = []
    for link in sorted(feedback.themes, key=lambda link: link.theme.code):
        phrases = analyser.explain(feedback.text, link.theme.code, kind=feedback.kind.value,
                                   limit=limit * 2)
        reasons.append(ThemeReason(
            theme=link.theme,
            manual=link.source is ThemeSource.MANUAL,
            phrases=tuple(phrase for phrase, weight in phrases if weight > 0)[:limit],
        ))
    return reasons


class CorrectionError(Exception):
    """A correction that cannot be made; the message is for people."""


def retheme_feedback(feedback: Feedback, themes: list[Theme], *, actor: User) -> bool:
    """Make `themes` the feedback's themes, all marked manual; False when nothing changed.

    A theme the feedback already had keeps its row (now manual); the others are replaced.
    """
    if not themes:
        raise CorrectionError(_l("Choose at least one theme."))
    chosen = {theme.code: theme for theme in themes}
    before = sorted(link.theme.code for link in feedback.themes)
    if (sorted(chosen) == before
            and all(link.source is ThemeSource.MANUAL for link in feedback.themes)):
        return False
    kept = {link.theme.code: link for link in feedback.themes if link.theme.code in chosen}
    for link in kept.values():
        link.source, link.confidence = ThemeSource.MANUAL, 1.0
    feedback.themes = [
        kept.get(code) or FeedbackTheme(theme=theme, source=ThemeSource.MANUAL, confidence=1.0)
        for code, theme in sorted(chosen.items())
    ]
    audit.record("feedback.retheme", actor=actor, establishment_id=feedback.establishment_id,
                 target=feedback, before=_codes(before), after=_codes(sorted(chosen)))
    return True


def _codes(codes: list[str]) -> str:
    """Theme codes for the audit trail (never the text), within its detail length."""
    joined = ",".join(codes)
    return joined if len(joined) <= 120 else f"{len(codes)} themes"
