"""The demo command centre's issues, raised from observations of problems, with their stories."""

import random
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import event, select

from feedback.extensions import db
from feedback.models import (
    AuditEntry,
    Establishment,
    Feedback,
    Issue,
    IssueStatus,
    ObservationDetail,
    Priority,
    Role,
    Theme,
    User,
)

_ISSUE_ODDS = {Priority.P1: 0.9, Priority.P2: 0.4, Priority.P3: 0.1, None: 0.05}


_RESOLUTION_NOTES = {
    "access": ("Comptes réactivés et droits ajustés par le soutien DSN.",
               "Bornes Wi-Fi redémarrées; signal vérifié avec l'équipe réseau.",
               "Lecteurs de badge remplacés sur les postes touchés."),
    "training": ("Capsule envoyée à l'équipe; un super-utilisateur présent au quart suivant.",),
    "workflow": ("Procédure clarifiée avec l'équipe clinique; aide-mémoire affiché au poste.",),
    "configuration": ("Gabarit corrigé en production (billet DSN).",
                      "Imprimante réassignée au bon poste; étiquettes testées."),
    "support": ("Horaire des super-utilisateurs ajusté pour couvrir la nuit.",),
    "safety": ("Vérifié avec la pharmacie; correctif appliqué et communiqué aux équipes.",),
    "engagement": ("Rencontre d'équipe tenue avec la gestionnaire; suivi planifié.",),
}


_WONT_FIX_NOTES = (
    "Comportement standard d'Epic : aide-mémoire diffusé aux équipes.",
    "Transféré au comité de priorisation DSN, après la stabilisation.",
)


def establishment_without(code: str, model) -> tuple[Establishment, User | None] | None:
    """The demo establishment and its manager, if it has no `model` row yet (seed it once)."""
    establishment = db.session.scalar(select(Establishment).where(Establishment.code == code))
    if establishment is None or db.session.scalar(
        select(model.id).where(model.establishment_id == establishment.id).limit(1)
    ) is not None:
        return None
    manager = db.session.scalar(select(User).where(
        User.establishment_id == establishment.id, User.role == Role.MANAGER))
    return establishment, manager


def create_issues(rng: random.Random, code: str) -> None:
    """Issues with believable timing for an establishment that has observations but no issue yet.

    Most P1/P2 issues are picked up within the hour and resolved, about six in ten within 24 h;
    a few stay open, a few similar observations become evidence of an earlier issue, a couple
    are closed as duplicates, and a couple are reopened once.
    """

    found = establishment_without(code, Issue)
    if found is None:
        return
    establishment, manager = found
    themes_by_id = {theme.id: theme for theme in db.session.scalars(select(Theme))}
    observations = db.session.scalars(
        select(Feedback).join(ObservationDetail)
        # A super-user's calm report of a problem reads neutral, not negative: both raise issues.
        .where(Feedback.establishment_id == establishment.id, Feedback.sentiment != "positive")
        .order_by(Feedback.created_at, Feedback.id)
    ).all()

    with backdated_audit() as backdate:
        _write_issue_stories(rng, manager, observations, themes_by_id, backdate)
    db.session.flush()


@contextmanager
def backdated_audit() -> Iterator[Callable[[datetime], None]]:
    """Audit entries written inside, dated by backdate(at): the demo's trail reads as if each
    action had happened at its time."""
    written: list[AuditEntry] = []

    def collect(entry: AuditEntry, _args, _kwargs) -> None:
        written.append(entry)

    def backdate(at: datetime) -> None:
        for entry in written:
            entry.at = at
        written.clear()

    event.listen(AuditEntry, "init", collect)
    try:
        yield backdate
    finally:
        event.remove(AuditEntry, "init", collect)


def _write_issue_stories(rng: random.Random, manager: User | None, observations: list,
                         themes_by_id: dict, backdate) -> None:
    """Open, attach, close and reopen issues in the order the observations came in."""
    from feedback import issues
    from feedback.clock import utcnow

    now = utcnow()

    def minutes(low: float, high: float) -> timedelta:
        return timedelta(minutes=rng.uniform(low, high))

    # Each issue's whole story is written when it is opened, so "open at the time" is read from
    # when it was closed: [issue, site, themes, opened at, closed at (None: still open)].
    opened: list[list] = []
    duplicates = reopened = 0
    endings = {priority: _evenly(rng) for priority in Priority}
    for feedback in observations:
        priority = feedback.observation.priority
        if rng.random() >= _ISSUE_ODDS[priority]:
            continue
        codes = {themes_by_id[link.theme_id].code for link in feedback.themes}
        at = feedback.created_at + minutes(10, 75)
        if at >= now:
            continue
        # The same kind of problem within a few days, on the same site or anywhere (the EHR is
        # shared): evidence of an open issue, or a second issue someone closes as a duplicate.
        related = [
            (issue, site_id == feedback.site_id)
            for issue, site_id, issue_codes, created, closed in reversed(opened)
            if codes & issue_codes and created > feedback.created_at - timedelta(days=4)
            and (closed is None or closed > at)
        ]
        match = next((issue for issue, same_site in related if same_site), None)
        if match is not None and rng.random() < 0.65:
            issues.attach_feedback(match, feedback, actor=manager)
            backdate(at)
            continue
        issue = issues.create_issue_from_feedback(
            feedback, title=_issue_title(feedback.text), priority=priority or Priority.P3,
            actor=manager, sector=feedback.sector,
            themes=[themes_by_id[link.theme_id] for link in feedback.themes],
            owner=manager if rng.random() < 0.7 else None, at=at,
        )
        backdate(at)
        story = [issue, feedback.site_id, codes, at, None]
        opened.append(story)
        if related and duplicates < 3 and rng.random() < 0.15:
            moment = at + minutes(20, 180)
            if moment < now:
                issues.mark_duplicate(issue, related[0][0], actor=manager, at=moment,
                                      note="Même problème que l'enjeu déjà ouvert.")
                backdate(moment)
                story[4] = moment
                duplicates += 1
            continue
        note = rng.choice(_RESOLUTION_NOTES.get(next(iter(sorted(codes)), ""),
                                                ("Corrigé et vérifié avec l'équipe.",)))
        timeline = _issue_timeline(rng, endings[issue.priority](), issue.priority, at, note)
        for status, moment, text in timeline:
            if moment >= now:
                break
            issues.change_status(issue, status, actor=manager, note=text, at=moment)
            backdate(moment)
            story[4] = moment if status in issues.CLOSED_STATUSES else None
        if (issue.status is IssueStatus.RESOLVED and issue.priority is Priority.P2
                and reopened < 2 and rng.random() < 0.2):
            back = issue.resolved_at + minutes(6 * 60, 48 * 60)
            again = back + minutes(2 * 60, 20 * 60)
            if again < now:
                issues.change_status(issue, IssueStatus.IN_PROGRESS, actor=manager, at=back,
                                     note="Le problème est revenu au quart de nuit.")
                backdate(back)
                issues.change_status(issue, IssueStatus.RESOLVED, actor=manager, at=again,
                                     note=note + " Suivi fait le lendemain.")
                backdate(again)
                story[4] = again
                reopened += 1
    # The go-live's forgotten P1: the oldest one still open has nobody on it.
    forgotten = next((issue for issue, _, _, _, closed in opened
                      if closed is None and issue.priority is Priority.P1), None)
    if forgotten is not None:
        forgotten.owner = None


_GOLDEN = (5 ** 0.5 - 1) / 2


def _evenly(rng: random.Random) -> Callable[[], float]:
    """Draws in [0, 1) that cover the interval evenly: a golden-ratio sequence from a random start.

    A month holds a few dozen issues per priority; independent draws would put the share resolved
    within 24 h anywhere between 40 and 80 %, these keep it near the odds the timeline sets.
    """
    value = rng.random()

    def draw() -> float:
        nonlocal value
        value = (value + _GOLDEN) % 1.0
        return value

    return draw


def _issue_timeline(rng: random.Random, draw: float, priority: Priority, created: datetime,
                    note: str) -> list[tuple]:
    """When an issue is picked up and how it ends (draw, in [0, 1), picks which), by priority."""

    def after(low_hours: float, high_hours: float, since: datetime = created) -> datetime:
        return since + timedelta(hours=rng.uniform(low_hours, high_hours))

    if priority is Priority.P3:
        picked = after(2, 72)
        if draw < 0.45:
            return [(IssueStatus.IN_PROGRESS, picked, ""),
                    (IssueStatus.RESOLVED, after(4, 14 * 24, picked), note)]
        if draw < 0.65:
            return [(IssueStatus.WONT_FIX, picked, rng.choice(_WONT_FIX_NOTES))]
        return [(IssueStatus.IN_PROGRESS, picked, "")] if draw < 0.85 else []
    urgent = priority is Priority.P1
    picked = after(0.08, 0.7) if urgent else after(0.25, 4)
    timeline = [(IssueStatus.IN_PROGRESS, picked, "")]
    within_a_day, resolved = (0.68, 0.97) if urgent else (0.6, 0.94)
    if draw < within_a_day:
        # Resolved under 24 h after creation, at least half an hour after being picked up.
        earliest = max(1.0, (picked - created).total_seconds() / 3600 + 0.5)
        timeline.append((IssueStatus.RESOLVED, after(earliest, 23.5), note))
    elif draw < resolved:
        timeline.append((IssueStatus.RESOLVED, after(26, 6 * 24), note))
    return timeline


def _issue_title(text: str) -> str:
    """What the observation is about, as a command centre would jot it down.

    Demo texts often open with a framing sentence ("Note de terrain.", "Appel reçu à 9 h 15."):
    of the first two sentences, the longer one says what happened.
    """
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(text.split()))
    title = max(sentences[:2], key=len).rstrip(".")
    return title if len(title) <= 90 else title[:90].rsplit(" ", 1)[0] + "…"

