"""The privacy lifecycle (Québec's Law 25): retention and destruction, follow-up contacts, and the
confidentiality-incident register. The caller commits.

What a purge destroys: feedback rows older than their kind's period, with their themes,
observation details and links to learnings; survey responses and their answers; follow-up
contacts; import runs; audit entries past the audit period. What it keeps: everything already
turned into decisions and figures — issues (their title and description, not the purged
evidence), learnings (their text, without the links to purged feedback), report notes, and the
counts a published report quoted, which are text in a ReportNote, not a query.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update

from feedback import audit
from feedback.admin import field_list
from feedback.clock import QUEBEC, local_week_start
from feedback.extensions import db
from feedback.models import (
    AuditEntry,
    Cohort,
    CohortItem,
    CohortPublication,
    Feedback,
    FeedbackKind,
    FeedbackTheme,
    FollowUpContact,
    ImportJob,
    Incident,
    ObservationDetail,
    SurveyAnswer,
    SurveyResponse,
    User,
    learning_feedback,
)

DEFAULT_RETENTION_DAYS = {
    "survey": 730, "observation": 730, "import": 730, "followup": 90, "audit": 2555,
}


def retention_days(config: Mapping) -> dict[str, int]:
    """The period of each kind of data, the defaults completed by RETENTION_DAYS.

    A period under one day is refused: it would destroy data as soon as it arrives.
    """
    periods = {**DEFAULT_RETENTION_DAYS, **(config.get("RETENTION_DAYS") or {})}
    unknown = set(periods) - set(DEFAULT_RETENTION_DAYS)
    if unknown:
        raise ValueError(f"RETENTION_DAYS: unknown kinds {sorted(unknown)}")
    for kind, days in periods.items():
        if not isinstance(days, int) or isinstance(days, bool) or days < 1:
            raise ValueError(f"RETENTION_DAYS[{kind!r}] must be a whole number of days, >= 1")
    return periods


# -- Retention -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PurgeLine:
    """One kind of data: its period, the moment before which it goes, and how many rows."""

    kind: str
    days: int
    cutoff: datetime
    count: int


@dataclass(frozen=True)
class PurgeReport:
    now: datetime
    dry_run: bool
    lines: tuple[PurgeLine, ...]

    @property
    def total(self) -> int:
        return sum(line.count for line in self.lines)

    def count(self, kind: str) -> int:
        return next(line.count for line in self.lines if line.kind == kind)


# Each line of a report, the period it follows, in display order.
PURGE_KINDS = (
    ("survey", "survey"),            # survey comments (feedback)
    ("survey_response", "survey"),   # survey responses and their answers
    ("observation", "observation"),
    ("import", "import"),            # imported feedback
    ("import_job", "import"),        # import runs and their reports
    ("followup", "followup"),
    ("audit", "audit"),
)


@dataclass(frozen=True)
class Cutoffs:
    """Where each retention period ends: older than this is destroyed by the purge."""

    moments: dict[str, datetime]  # by period kind, as aware UTC datetimes
    days: dict[str, date]         # the same, as Québec days, for columns holding a date

    def feedback_condition(self) -> ColumnElement[bool]:
        return or_(*(
            and_(Feedback.kind == FeedbackKind(kind), Feedback.created_at < self.moments[kind])
            for kind in ("survey", "observation", "import")
        ))


# Anonymous answers go by whole Québec weeks, the unit their anonymity cohorts are cut in: a
# purge that took part of a week would shrink its cohorts, and comparing figures before and
# after would show the few answers it took.
WHOLE_WEEKS = ("survey", "import")


def _next_week_start(moment: datetime) -> datetime:
    """The first Monday 0:00 (Québec) at or after a moment."""
    day = moment.astimezone(QUEBEC).date()
    start = local_week_start(day)
    return start if start >= moment else local_week_start(day + timedelta(days=7))


def cutoffs(now: datetime, periods: dict[str, int]) -> Cutoffs:
    """The cutoffs at `now`; the import refuses rows the purge would destroy, by the same rule.

    For anonymous answers the cutoff moves forward to the next week start: a week goes as a
    whole as soon as its first day is past its period (never later than the period says).
    """
    moments = {kind: now - timedelta(days=days) for kind, days in periods.items()}
    for kind in WHOLE_WEEKS:
        moments[kind] = _next_week_start(moments[kind])
    return Cutoffs(moments, {kind: moment.astimezone(QUEBEC).date()
                              for kind, moment in moments.items()})


def purge(now: datetime, *, periods: dict[str, int], dry_run: bool = False,
          actor: User | None = None) -> PurgeReport:
    """Destroy (or with dry_run only count) what has outlived its retention period.

    The real run is recorded in the audit trail with its counts; the caller commits.
    """
    cut = cutoffs(now, periods)
    counts = _count(cut) if dry_run else _destroy(cut)
    report = PurgeReport(now=now, dry_run=dry_run, lines=tuple(
        PurgeLine(kind, periods[period], cut.moments[period], counts.get(kind, 0))
        for kind, period in PURGE_KINDS
    ))
    if not dry_run:
        audit.record("retention.purge", actor=actor, total=report.total, **counts)
    return report


def _count(cut: Cutoffs) -> dict[str, int]:
    """What a purge would destroy now, each kind in SQL (one GROUP BY for feedback)."""
    counts = {kind.value: n for kind, n in db.session.execute(
        select(Feedback.kind, func.count(Feedback.id))
        .where(cut.feedback_condition()).group_by(Feedback.kind)
    )}

    def rows(model, condition) -> int:
        return db.session.scalar(select(func.count()).select_from(model).where(condition)) or 0

    counts["survey_response"] = rows(SurveyResponse,
                                     SurveyResponse.submitted_on < cut.days["survey"])
    counts["import_job"] = rows(ImportJob, ImportJob.created_at < cut.moments["import"])
    counts["followup"] = rows(FollowUpContact, FollowUpContact.created_on < cut.days["followup"])
    counts["audit"] = rows(AuditEntry, AuditEntry.at < cut.moments["audit"])
    return counts


def _destroy(cut: Cutoffs) -> dict[str, int]:
    """Delete in dependency order, without relying on the engine's ON DELETE support."""
    counts = dict.fromkeys(kind for kind, _ in PURGE_KINDS)

    def run(stmt) -> int:
        return db.session.execute(stmt.execution_options(synchronize_session=False)).rowcount

    old_responses = select(SurveyResponse.id).where(
        SurveyResponse.submitted_on < cut.days["survey"]
    )
    run(delete(SurveyAnswer).where(SurveyAnswer.response_id.in_(old_responses)))
    counts["survey_response"] = run(
        delete(SurveyResponse).where(SurveyResponse.submitted_on < cut.days["survey"])
    )

    condition = cut.feedback_condition()
    doomed = select(Feedback.id).where(condition)
    run(update(SurveyResponse).where(SurveyResponse.comment_id.in_(doomed)).values(comment_id=None))
    run(delete(FeedbackTheme).where(FeedbackTheme.feedback_id.in_(doomed)))
    run(delete(ObservationDetail).where(ObservationDetail.feedback_id.in_(doomed)))
    db.session.execute(delete(learning_feedback).where(learning_feedback.c.feedback_id.in_(doomed)))
    for kind in ("survey", "observation", "import"):
        counts[kind] = run(delete(Feedback).where(
            Feedback.kind == FeedbackKind(kind), Feedback.created_at < cut.moments[kind]
        ))

    # Cohorts go with their weeks (their items first, without relying on ON DELETE).
    for unit, kind, period in (("response", "survey", "survey"), ("comment", "survey", "survey"),
                               ("comment", "import", "import")):
        gone = and_(Cohort.unit == unit, Cohort.kind == kind, Cohort.week < cut.days[period])
        run(delete(CohortItem).where(CohortItem.cohort_id.in_(select(Cohort.id).where(gone))))
        run(delete(Cohort).where(gone))
        run(delete(CohortPublication).where(
            CohortPublication.unit == unit, CohortPublication.kind == kind,
            CohortPublication.week < cut.days[period]))
    counts["import_job"] = run(
        delete(ImportJob).where(ImportJob.created_at < cut.moments["import"])
    )
    counts["followup"] = run(
        delete(FollowUpContact).where(FollowUpContact.created_on < cut.days["followup"])
    )
    counts["audit"] = run(delete(AuditEntry).where(AuditEntry.at < cut.moments["audit"]))
    # Objects already in the session may describe rows that are gone.
    db.session.expire_all()
    return counts


# -- Follow-up contacts ----------------------------------------------------------------------


def set_followup_handled(actor: User, contact: FollowUpContact, handled: bool) -> None:
    if contact.handled == handled:
        return
    contact.handled = handled
    audit.record("followup.handled" if handled else "followup.reopened", actor=actor,
                 establishment_id=contact.establishment_id, target=contact)


def delete_followup(actor: User, contact: FollowUpContact) -> None:
    """Destroy a contact at the person's request (the audit keeps only that it happened)."""
    audit.record("followup.deleted", actor=actor, establishment_id=contact.establishment_id,
                 target=contact)
    db.session.delete(contact)
    db.session.flush()


# -- Confidentiality-incident register -------------------------------------------------------

INCIDENT_FIELDS = (
    "establishment_id", "occurred_on", "discovered_on", "description", "information_kinds",
    "people_affected", "risk_assessment", "serious_risk", "cai_notified_on",
    "people_notified_on", "measures",
)


class IncidentError(ValueError):
    """An entry of the register is inconsistent; `field` says where, str() explains."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def _check_incident(values: dict, today: date) -> None:
    discovered = values["discovered_on"]
    if discovered > today:
        raise IncidentError(_("This date is in the future."), "discovered_on")
    occurred = values.get("occurred_on")
    if occurred is not None and occurred > discovered:
        raise IncidentError(_("An incident is discovered on or after the day it occurs."),
                            "occurred_on")
    for name in ("cai_notified_on", "people_notified_on"):
        notified = values.get(name)
        if notified is not None and notified < (occurred or discovered):
            raise IncidentError(_("A notification cannot precede the incident."), name)
    people = values.get("people_affected")
    if people is not None and people < 0:
        raise IncidentError(_("Enter zero or more."), "people_affected")


def create_incident(actor: User, today: date, **values) -> Incident:
    _check_incident(values, today)
    incident = Incident(created_by_id=actor.id, **{k: values.get(k) for k in INCIDENT_FIELDS
                                                   if k in values})
    db.session.add(incident)
    db.session.flush()
    audit.record("incident.created", actor=actor, establishment_id=incident.establishment_id,
                 target=incident, serious_risk=incident.serious_risk)
    return incident


def update_incident(actor: User, incident: Incident, today: date, **values) -> list[str]:
    _check_incident(values, today)
    changed = [name for name in INCIDENT_FIELDS
               if name in values and getattr(incident, name) != values[name]]
    for name in changed:
        setattr(incident, name, values[name])
    if changed:
        audit.record("incident.updated", actor=actor, establishment_id=incident.establishment_id,
                     target=incident, fields=field_list(changed),
                     serious_risk=incident.serious_risk)
    return changed


def delete_incident(actor: User, incident: Incident) -> None:
    """Remove an entry recorded by mistake; the audit trail keeps that it existed."""
    audit.record("incident.deleted", actor=actor, establishment_id=incident.establishment_id,
                 target=incident)
    db.session.delete(incident)
    db.session.flush()
