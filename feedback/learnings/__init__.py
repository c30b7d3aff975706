"""Managers' learnings ("you said, we did"): written as drafts, then published to staff.

Domain writes take model objects and values, add and flush; the caller commits once.
"""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from feedback import audit
from feedback.clock import utcnow
from feedback.extensions import db
from feedback.models import Establishment, Feedback, Issue, Learning, LearningStatus, Theme, User


class LearningError(Exception):
    """A learning that cannot be saved or published as asked; the message is for people."""


def published_learnings(establishment_id: int, limit: int | None = None) -> list[Learning]:
    """The establishment's published learnings, newest first."""
    stmt = (
        select(Learning)
        .where(Learning.establishment_id == establishment_id,
               Learning.status == LearningStatus.PUBLISHED)
        .order_by(Learning.published_at.desc(), Learning.id.desc())
        .limit(limit)
        .options(selectinload(Learning.themes))
    )
    return list(db.session.scalars(stmt))


def learnings_of(establishment_ids: list[int] | None,
                 status: LearningStatus | None = None) -> list[Learning]:
    """Learnings of some establishments (None: all), drafts first, then newest first."""
    stmt = select(Learning).options(selectinload(Learning.themes),
                                    selectinload(Learning.establishment))
    if establishment_ids is not None:
        stmt = stmt.where(Learning.establishment_id.in_(establishment_ids))
    if status is not None:
        stmt = stmt.where(Learning.status == status)
    return list(db.session.scalars(stmt.order_by(
        (Learning.status == LearningStatus.PUBLISHED), Learning.published_at.desc(),
        Learning.created_at.desc(), Learning.id.desc(),
    )))


def _check_evidence(establishment_id: int, feedback: list[Feedback], issues: list[Issue]) -> None:
    if any(item.establishment_id != establishment_id for item in [*feedback, *issues]):
        raise LearningError(_l("Evidence must come from the same establishment."))


def create_learning(
    establishment: Establishment,
    *,
    author: User,
    title: str,
    learned: str,
    action: str = "",
    action_owner: str = "",
    action_on: date | None = None,
    phase: int | None = None,
    themes: list[Theme] | None = None,
    feedback: list[Feedback] | None = None,
    issues: list[Issue] | None = None,
    at: datetime | None = None,
    title_en: str = "",
    learned_en: str = "",
    action_en: str = "",
) -> Learning:
    """A new draft learning (its English version optional)."""
    feedback, issues = feedback or [], issues or []
    _check_evidence(establishment.id, feedback, issues)
    learning = Learning(
        establishment=establishment, author=author, title=title.strip(), learned=learned.strip(),
        action=action.strip(), action_owner=action_owner.strip(), action_on=action_on,
        title_en=title_en.strip(), learned_en=learned_en.strip(), action_en=action_en.strip(),
        phase=phase, status=LearningStatus.DRAFT, themes=list(themes or []),
        feedback=feedback, issues=issues, created_at=at or utcnow(),
    )
    db.session.add(learning)
    db.session.flush()
    audit.record("learning.created", actor=author, establishment_id=establishment.id,
                 target=learning, themes=",".join(t.code for t in learning.themes),
                 feedback=len(feedback), issues=len(issues))
    return learning


def update_learning(
    learning: Learning,
    *,
    actor: User,
    title: str,
    learned: str,
    action: str = "",
    action_owner: str = "",
    action_on: date | None = None,
    phase: int | None = None,
    themes: list[Theme] | None = None,
    feedback: list[Feedback] | None = None,
    issues: list[Issue] | None = None,
    title_en: str = "",
    learned_en: str = "",
    action_en: str = "",
) -> Learning:
    """Change a learning, draft or published (a published one changes for staff at once)."""
    feedback, issues = feedback or [], issues or []
    _check_evidence(learning.establishment_id, feedback, issues)
    learning.title, learning.learned = title.strip(), learned.strip()
    learning.action, learning.action_owner = action.strip(), action_owner.strip()
    learning.action_on, learning.phase = action_on, phase
    learning.title_en, learning.learned_en = title_en.strip(), learned_en.strip()
    learning.action_en = action_en.strip()
    learning.themes, learning.feedback, learning.issues = list(themes or []), feedback, issues
    audit.record("learning.updated", actor=actor, establishment_id=learning.establishment_id,
                 target=learning, status=learning.status.value,
                 themes=",".join(t.code for t in learning.themes),
                 feedback=len(feedback), issues=len(issues))
    db.session.flush()
    return learning


def publish_learning(learning: Learning, *, actor: User, at: datetime | None = None) -> None:
    """Show a learning to staff, on the thank-you page and on "Vous avez dit, nous avons fait"."""
    if learning.status is LearningStatus.PUBLISHED:
        raise LearningError(_l("This learning is already published."))
    if not learning.action.strip():
        raise LearningError(_l("Say what was changed before publishing: staff read what we did."))
    learning.status = LearningStatus.PUBLISHED
    learning.published_at = at or utcnow()
    audit.record("learning.publish", actor=actor, establishment_id=learning.establishment_id,
                 target=learning)
    db.session.flush()


def unpublish_learning(learning: Learning, *, actor: User) -> None:
    """Take a learning back to draft (a mistake, or an action that did not hold)."""
    if learning.status is not LearningStatus.PUBLISHED:
        raise LearningError(_l("This learning is not published."))
    learning.status = LearningStatus.DRAFT
    learning.published_at = None
    audit.record("learning.unpublish", actor=actor, establishment_id=learning.establishment_id,
                 target=learning)
    db.session.flush()


def propose_learning(establishment: Establishment, *, author: User, theme: Theme,
                     phrases: list[str], mentions: int | None, resolved: list[Issue]) -> Learning:
    """A draft drawn from a theme whose issues are mostly resolved: what was heard (its recurring
    phrases and volume) and what was done (the resolved issues). A manager edits and publishes
    it; nothing reaches staff without a person."""
    heard = f"Sur le thème « {theme.name_fr} », vous nous avez parlé de : " + (
        ", ".join(f"« {phrase} »" for phrase in phrases) if phrases else "…") + "."
    if mentions:
        heard += f" ({mentions} mentions sur la période.)"
    done = "\n".join(f"- {issue.title}" + (f" : {issue.resolution_note.strip()}"
                                          if issue.resolution_note.strip() else "")
                     for issue in resolved)
    return create_learning(establishment, author=author,
                           title=f"{theme.name_fr} : ce que nous avons changé"[:200],
                           learned=heard[:2000], action=done[:2000], themes=[theme],
                           issues=resolved)
