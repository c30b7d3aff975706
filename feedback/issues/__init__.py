"""The command centre's issues: created from feedback, tracked through their statuses.

Domain writes only: functions take model objects and values, add and flush; the caller commits.
"""

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from feedback import audit
from feedback.clock import utcnow
from feedback.extensions import db
from feedback.models import (
    Establishment,
    Feedback,
    Issue,
    IssueStatus,
    IssueStatusChange,
    Priority,
    Sector,
    Theme,
    User,
)

OPEN_STATUSES = (IssueStatus.NEW, IssueStatus.IN_PROGRESS)
CLOSED_STATUSES = (IssueStatus.RESOLVED, IssueStatus.WONT_FIX, IssueStatus.DUPLICATE)

# Where an issue may go from each status. Nothing goes back to "new": once picked up, it stays so.
TRANSITIONS: dict[IssueStatus, tuple[IssueStatus, ...]] = {
    IssueStatus.NEW: (IssueStatus.IN_PROGRESS, *CLOSED_STATUSES),
    IssueStatus.IN_PROGRESS: CLOSED_STATUSES,
    IssueStatus.RESOLVED: (IssueStatus.IN_PROGRESS,),
    IssueStatus.WONT_FIX: (IssueStatus.IN_PROGRESS,),
    IssueStatus.DUPLICATE: (IssueStatus.IN_PROGRESS,),
}
# Closing an issue says why: what was done, or why nothing will be.
NOTE_REQUIRED = (IssueStatus.RESOLVED, IssueStatus.WONT_FIX)


class IssueError(ValueError):
    """An issue cannot be changed as asked; str() is a translated explanation."""


def create_issue(
    establishment: Establishment,
    *,
    title: str,
    priority: Priority,
    actor: User | None,
    description: str = "",
    sector: Sector | None = None,
    themes: list[Theme] | None = None,
    owner: User | None = None,
    at: datetime | None = None,
) -> Issue:
    """Add a new issue with the first line of its history; the caller commits."""
    _check_sector(establishment, sector)
    _check_owner(establishment, owner)
    at = at or utcnow()
    issue = Issue(
        establishment=establishment,
        title=title.strip(),
        description=description.strip(),
        sector=sector,
        priority=priority,
        status=IssueStatus.NEW,
        owner=owner,
        themes=list(themes or []),
        created_at=at,
        created_by_id=actor.id if actor else None,
    )
    issue.history.append(
        IssueStatusChange(from_status=None, to_status=IssueStatus.NEW, changed_at=at,
                          author=actor)
    )
    db.session.add(issue)
    db.session.flush()  # the audit entry names the issue by its id
    audit.record("issue.create", actor=actor, establishment_id=establishment.id, target=issue,
                 priority=priority.value)
    return issue


def create_issue_from_feedback(
    feedback: Feedback,
    *,
    title: str,
    priority: Priority,
    actor: User | None,
    description: str = "",
    sector: Sector | None = None,
    themes: list[Theme] | None = None,
    owner: User | None = None,
    at: datetime | None = None,
) -> Issue:
    """Open an issue with this feedback as its first evidence; the caller commits."""
    issue = create_issue(
        feedback.establishment, title=title, priority=priority, actor=actor,
        description=description, sector=sector, themes=themes, owner=owner, at=at,
    )
    attach_feedback(issue, feedback, actor=actor)
    return issue


def update_issue(
    issue: Issue,
    *,
    actor: User | None,
    title: str,
    priority: Priority,
    description: str = "",
    sector: Sector | None = None,
    themes: list[Theme] | None = None,
    owner: User | None = None,
) -> None:
    """Change what an issue says (not its status: see change_status); the caller commits."""
    _check_sector(issue.establishment, sector)
    _check_owner(issue.establishment, owner)
    changes: dict[str, str | int | None] = {}
    if issue.priority != priority:
        changes["priority"] = priority.value
    if issue.owner_id != (owner.id if owner else None):
        changes["owner_id"] = owner.id if owner else None
    issue.title = title.strip()
    issue.description = description.strip()
    issue.sector = sector
    issue.priority = priority
    issue.owner = owner
    issue.themes = list(themes or [])
    db.session.flush()
    audit.record("issue.update", actor=actor, establishment_id=issue.establishment_id,
                 target=issue, **changes)


def attach_feedback(issue: Issue, feedback: Feedback, *, actor: User | None) -> None:
    """Make a feedback evidence of this issue (moving it from another issue if need be)."""
    if feedback.establishment_id != issue.establishment_id:
        raise IssueError(_("This feedback belongs to another establishment."))
    if feedback.issue_id == issue.id:
        return
    moved_from = feedback.issue_id
    feedback.issue = issue
    db.session.flush()  # issue_id, read by the callers, follows the relationship
    audit.record("issue.attach", actor=actor, establishment_id=issue.establishment_id,
                 target=issue, feedback=feedback.ref, moved_from=moved_from)


def detach_feedback(issue: Issue, feedback: Feedback, *, actor: User | None) -> None:
    """Take a feedback out of an issue's evidence; the feedback itself stays."""
    if feedback.issue_id != issue.id:
        raise IssueError(_("This feedback is not evidence of this issue."))
    feedback.issue = None
    db.session.flush()
    audit.record("issue.detach", actor=actor, establishment_id=issue.establishment_id,
                 target=issue, feedback=feedback.ref)


def allowed_statuses(issue: Issue) -> tuple[IssueStatus, ...]:
    return TRANSITIONS[issue.status]


def change_status(
    issue: Issue,
    status: IssueStatus,
    *,
    actor: User | None,
    note: str = "",
    duplicate_of: Issue | None = None,
    at: datetime | None = None,
) -> IssueStatusChange:
    """Move an issue to another status, keeping the change in its history; the caller commits.

    The first move out of "new" sets picked_up_at; resolving sets resolved_at, and any other
    move clears it (a reopened issue is no longer resolved).
    """
    previous = issue.status
    if status not in TRANSITIONS[previous]:
        raise IssueError(_("An issue cannot go from “%(current)s” to “%(wanted)s”.",
                           current=status_label(previous), wanted=status_label(status)))
    note = note.strip()
    if status in NOTE_REQUIRED and not note:
        raise IssueError(_("Say what was done, or why nothing will be."))
    if status is IssueStatus.DUPLICATE:
        _check_duplicate_target(issue, duplicate_of)
    elif duplicate_of is not None:
        raise IssueError(_("Only a duplicate refers to another issue."))
    at = at or utcnow()

    issue.status = status
    issue.duplicate_of = duplicate_of if status is IssueStatus.DUPLICATE else None
    if issue.picked_up_at is None:
        issue.picked_up_at = at
    issue.resolved_at = at if status is IssueStatus.RESOLVED else None
    if status in NOTE_REQUIRED:
        issue.resolution_note = note
    change = IssueStatusChange(from_status=previous, to_status=status, changed_at=at,
                               author=actor, note=note)
    issue.history.append(change)
    db.session.flush()
    audit.record(
        "issue.status", actor=actor, establishment_id=issue.establishment_id, target=issue,
        previous=previous.value, to=status.value,
        duplicate_of=duplicate_of.id if duplicate_of is not None else None,
    )
    return change


def mark_duplicate(issue: Issue, original: Issue, *, actor: User | None, note: str = "",
                   at: datetime | None = None) -> IssueStatusChange:
    """Close an issue as a duplicate of another issue of the same establishment."""
    return change_status(issue, IssueStatus.DUPLICATE, actor=actor, note=note,
                         duplicate_of=original, at=at)


def duplicate_candidates(issue: Issue, limit: int = 200) -> list[Issue]:
    """Issues this one could be a duplicate of: same establishment, not itself, not duplicates."""
    return list(db.session.scalars(
        select(Issue)
        .where(Issue.establishment_id == issue.establishment_id, Issue.id != issue.id,
               Issue.status != IssueStatus.DUPLICATE)
        .order_by(Issue.status.in_(OPEN_STATUSES).desc(), Issue.id.desc())
        .limit(limit)
    ))


def _check_duplicate_target(issue: Issue, original: Issue | None) -> None:
    if original is None:
        raise IssueError(_("Choose the issue this one duplicates."))
    if original.establishment_id != issue.establishment_id:
        raise IssueError(_("An issue can only duplicate an issue of its own establishment."))
    if original.id == issue.id:
        raise IssueError(_("An issue cannot be a duplicate of itself."))
    # Walk the chain from the original: reaching this issue would close a loop.
    seen: set[int] = set()
    current: Issue | None = original
    while current is not None and current.id not in seen:
        if current.id == issue.id:
            raise IssueError(_("Issue #%(id)d already refers back to this one.", id=original.id))
        seen.add(current.id)
        current = current.duplicate_of


def _check_sector(establishment: Establishment, sector: Sector | None) -> None:
    if sector is not None and sector.site.establishment_id != establishment.id:
        raise IssueError(_("This sector belongs to another establishment."))


def _check_owner(establishment: Establishment, owner: User | None) -> None:
    if owner is not None and owner.establishment_id not in (None, establishment.id):
        raise IssueError(_("The owner must work in this establishment."))


STATUS_LABELS = {
    IssueStatus.NEW: _l("New"),
    IssueStatus.IN_PROGRESS: _l("In progress"),
    IssueStatus.RESOLVED: _l("Resolved"),
    IssueStatus.WONT_FIX: _l("Won't fix"),
    IssueStatus.DUPLICATE: _l("Duplicate"),
}
PRIORITY_LABELS = {
    Priority.P1: _l("P1 — patient safety or critical service"),
    Priority.P2: _l("P2 — blocks work"),
    Priority.P3: _l("P3 — irritant"),
}


def status_label(status: IssueStatus) -> str:
    return str(STATUS_LABELS[status])


# --- Similar open issues --------------------------------------------------------------------
# A small TF-IDF over the establishment's open issues, enough to say "this looks like #42"
# before someone opens a second issue for the same problem. No extra dependency.

SIMILAR_CANDIDATES = 300  # the most recent open issues of the establishment are compared
SIMILAR_EVIDENCE = 3  # the first few evidence texts of each issue add to its vocabulary
SIMILAR_THRESHOLD = 0.12
_STEM_LENGTH = 6  # truncation stemming: "imprimante", "imprimantes" and "imprimer" meet at "imprim"
_WORD = re.compile(r"[a-z0-9]+")
# Short words (two letters or fewer) are dropped anyway.
_STOPWORD_TEXT = """
    aux avec ces cet cette dans des elle elles est etait etre ils les leur leurs lui mais
    meme mes moi mon nos notre nous ont par pas pour que qui sans ses son sont sur tes toi
    ton tous tout toute toutes tres une vos votre vous deja encore avoir fait faire plus peu
    bien aussi ete sont apres avant the and for are but not you all any can had her was one
    our out has have been from that this with they them their there what when which who will
    would could should into than then too very its just also only over some such were while
    about after again because being both each few more most other same those under until off
    own why how does did doing
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@dataclass(frozen=True)
class SimilarIssue:
    issue: Issue
    score: float  # cosine similarity, 0–1


def terms(text: str) -> list[str]:
    """Accent-free, lower-case word stems, without stop words or very short words."""
    folded = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return [
        word[:_STEM_LENGTH]
        for word in _WORD.findall(folded)
        if len(word) > 2 and word not in _STOPWORDS and not word.isdigit()
    ]


def similar_open_issues(
    establishment_id: int, text: str, *, exclude_id: int | None = None, limit: int = 5
) -> list[SimilarIssue]:
    """The open issues of an establishment whose words are closest to `text`, best first."""
    query = Counter(terms(text))
    if not query:
        return []
    stmt = (
        select(Issue)
        .where(Issue.establishment_id == establishment_id, Issue.status.in_(OPEN_STATUSES))
        .order_by(Issue.created_at.desc())
        .limit(SIMILAR_CANDIDATES)
    )
    if exclude_id is not None:
        stmt = stmt.where(Issue.id != exclude_id)
    candidates = list(db.session.scalars(stmt))
    if not candidates:
        return []
    evidence = _evidence_texts([issue.id for issue in candidates])
    documents = [
        # The title says what the issue is: it counts twice.
        Counter(terms(f"{issue.title} {issue.title} {issue.description} "
                      + " ".join(evidence.get(issue.id, []))))
        for issue in candidates
    ]
    document_frequency = Counter(term for document in documents for term in document)
    count = len(documents) + 1  # the query is a document too

    def weights(bag: Counter) -> dict[str, float]:
        return {
            term: (1 + math.log(n)) * math.log((1 + count) / (1 + document_frequency[term]))
            for term, n in bag.items()
        }

    query_weights = weights(query)
    query_norm = math.sqrt(sum(w * w for w in query_weights.values()))
    scored = []
    for issue, document in zip(candidates, documents, strict=True):
        document_weights = weights(document)
        norm = math.sqrt(sum(w * w for w in document_weights.values()))
        if not norm or not query_norm:
            continue
        dot = sum(w * document_weights.get(term, 0.0) for term, w in query_weights.items())
        score = dot / (norm * query_norm)
        if score >= SIMILAR_THRESHOLD:
            scored.append(SimilarIssue(issue, round(score, 3)))
    scored.sort(key=lambda similar: (-similar.score, -similar.issue.id))
    return scored[:limit]


def _evidence_texts(issue_ids: list[int]) -> dict[int, list[str]]:
    """The first few evidence texts of each issue, in one query."""
    numbered = (
        select(
            Feedback.issue_id,
            Feedback.text,
            func.row_number()
            .over(partition_by=Feedback.issue_id, order_by=Feedback.id)
            .label("n"),
        )
        .where(Feedback.issue_id.in_(issue_ids))
        .subquery()
    )
    texts: dict[int, list[str]] = {}
    rows = db.session.execute(
        select(numbered.c.issue_id, numbered.c.text).where(numbered.c.n <= SIMILAR_EVIDENCE)
    )
    for issue_id, text in rows:
        texts.setdefault(issue_id, []).append(text)
    return texts
