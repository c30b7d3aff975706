"""The privacy lifecycle (Québec's Law 25): retention and destruction, follow-up contacts, and the
confidentiality-incident register. The caller commits.

What a purge destroys: feedback rows older than their kind's period, with their themes,
observation details and links to learnings; survey responses and their answers; follow-up
contacts; import runs; audit entries past the audit period. What it keeps: everything already
turned into decisions and figures — issues (their title and description, not the purged
evidence), learnings (their text, without the links to purged feedback), report notes, and the
counts a published report quoted, which are text in a ReportNote, not a query.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update

from feedback import audit
from feedback.admin import field_list
from feedback.clock import QUEBEC, local_day_start, local_week_start
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
          actor: User | None = None, step: Callable[[], None] = lambda: None) -> PurgeReport:
    """Destroy (or with dry_run only count) what has outlived its retention period.

    The real run goes a week of an establishment at a time, calling `step()` after each (pass
    db.session.commit for short transactions); it is recorded in the audit trail with its
    counts; the caller commits the end.
    """
    cut = cutoffs(now, periods)
    counts = _count(cut) if dry_run else _destroy(cut, step)
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


# Audit entries go this many at a time; everything else one week of one establishment at a time.
AUDIT_BATCH = 5_000


def _destroy(cut: Cutoffs, step: Callable[[], None]) -> dict[str, int]:
    """Delete one week of one establishment at a time, in dependency order (without relying on
    the engine's ON DELETE support), that week's rollup rows recomputed with it, and `step()`
    (a commit, from the nightly task and the command) between two.

    Each transaction holds one unit, so no lock is held longer than a week's rows take and
    readers never wait behind the whole purge; a week of anonymous answers goes whole, in one
    transaction, so no figure ever rests on part of a cohort. Statements go through the
    connection, not the session: the session would take them for bulk changes and rebuild
    every rollup before the commit.
    """
    from feedback.insights.rollups import quebec_week, rebuild_week, week_start

    counts = dict.fromkeys((kind for kind, _ in PURGE_KINDS), 0)
    connection = db.session.connection()

    def run(stmt) -> int:
        return connection.execute(stmt).rowcount

    condition = cut.feedback_condition()
    units = {(establishment_id, _as_date(week)) for establishment_id, week in connection.execute(
        select(Feedback.establishment_id, quebec_week(Feedback.created_at)).distinct()
        .where(Feedback.created_at < max(cut.moments[k] for k in FEEDBACK_KINDS), condition))}
    units |= {(establishment_id, _as_date(week)) for establishment_id, week in connection.execute(
        select(SurveyResponse.establishment_id, week_start(SurveyResponse.submitted_on))
        .distinct().where(SurveyResponse.submitted_on < cut.days["survey"]))}
    for establishment_id, week in sorted(units, key=lambda unit: (unit[1], unit[0])):
        start, end = local_day_start(week), local_day_start(week + timedelta(days=7))
        responses = select(SurveyResponse.id).where(
            SurveyResponse.establishment_id == establishment_id,
            SurveyResponse.submitted_on.between(week, week + timedelta(days=6)),
            SurveyResponse.submitted_on < cut.days["survey"])
        run(delete(SurveyAnswer).where(SurveyAnswer.response_id.in_(responses)))
        counts["survey_response"] += run(delete(SurveyResponse).where(
            SurveyResponse.id.in_(responses)))
        doomed = select(Feedback.id).where(
            Feedback.establishment_id == establishment_id, Feedback.created_at >= start,
            Feedback.created_at < end, condition)
        run(update(SurveyResponse).where(SurveyResponse.comment_id.in_(doomed))
            .values(comment_id=None))
        run(delete(FeedbackTheme).where(FeedbackTheme.feedback_id.in_(doomed)))
        run(delete(ObservationDetail).where(ObservationDetail.feedback_id.in_(doomed)))
        run(delete(learning_feedback).where(learning_feedback.c.feedback_id.in_(doomed)))
        for kind, n in connection.execute(select(Feedback.kind, func.count(Feedback.id))
                                          .where(Feedback.id.in_(doomed))
                                          .group_by(Feedback.kind)).all():
            counts[FeedbackKind(kind).value] += n
        run(delete(Feedback).where(Feedback.id.in_(doomed)))
        _destroy_cohorts(run, cut, establishment_id, week)
        rebuild_week(connection, establishment_id, week)
        step()
        connection = db.session.connection()

    # Cohorts of weeks whose rows were already gone.
    _destroy_cohorts(run, cut)
    counts["import_job"] = run(
        delete(ImportJob).where(ImportJob.created_at < cut.moments["import"]))
    counts["followup"] = run(
        delete(FollowUpContact).where(FollowUpContact.created_on < cut.days["followup"]))
    step()
    while True:
        connection = db.session.connection()
        batch = select(AuditEntry.id).where(AuditEntry.at < cut.moments["audit"]).order_by(
            AuditEntry.id).limit(AUDIT_BATCH)
        ids = list(connection.scalars(batch))
        if not ids:
            break
        counts["audit"] += run(delete(AuditEntry).where(AuditEntry.id.in_(ids)))
        step()
    # Objects already in the session may describe rows that are gone.
    db.session.expire_all()
    return counts


FEEDBACK_KINDS = ("survey", "observation", "import")


def _destroy_cohorts(run, cut: Cutoffs, establishment_id: int | None = None,
                     week: date | None = None) -> None:
    """Cohorts go with their weeks (their items first, without relying on ON DELETE): those of
    one establishment's week, or every one past its period."""
    for unit, kind, period in (("response", "survey", "survey"), ("comment", "survey", "survey"),
                               ("comment", "import", "import")):
        cohorts = [Cohort.unit == unit, Cohort.kind == kind, Cohort.week < cut.days[period]]
        publications = [CohortPublication.unit == unit, CohortPublication.kind == kind,
                        CohortPublication.week < cut.days[period]]
        if establishment_id is not None:
            cohorts += [Cohort.establishment_id == establishment_id, Cohort.week == week]
            publications += [CohortPublication.establishment_id == establishment_id,
                             CohortPublication.week == week]
        gone = and_(*cohorts)
        run(delete(CohortItem).where(CohortItem.cohort_id.in_(select(Cohort.id).where(gone))))
        run(delete(Cohort).where(gone))
        run(delete(CohortPublication).where(*publications))


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


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
