"""Notifications: who asked to be told what, and the outbox the job queue sends from.

Domain functions add outbox rows in the caller's transaction (so a change and its message are
stored together, or neither is); the caller commits, then queues `tasks.deliver_notification`
for each. Messages are written once, in the recipient's language, and never quote what anyone
wrote: an issue's title may be a comment's first words, so messages name issues by number,
priority, establishment and sector only.
"""

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask_babel import force_locale, format_datetime, get_locale
from flask_babel import gettext as _
from sqlalchemy import case, func, select

from feedback import audit
from feedback.clock import local_day_start, local_today
from feedback.extensions import db
from feedback.issues import OPEN_STATUSES
from feedback.issues import board as issue_board
from feedback.issues import kpis as kpi
from feedback.mail import MailError, mail_enabled, send_mail
from feedback.models import (
    Establishment,
    EstablishmentWebhook,
    Feedback,
    FeedbackKind,
    FeedbackTheme,
    Issue,
    IssueAlert,
    IssueAlertKind,
    Learning,
    LearningStatus,
    Notification,
    NotificationChannel,
    NotificationKind,
    NotificationPreference,
    NotificationStatus,
    Priority,
    Role,
    Theme,
    User,
)

# Only these roles may open the command centre's pages a message links to.
ISSUE_ROLES = (Role.MANAGER, Role.ADMIN)
WEBHOOK_TIMEOUT = 10
PREFERENCES = ("p1_alerts", "assigned_alerts", "daily_digest", "weekly_digest")
# A message the queue never picked up (it was down when the change was saved) is queued again
# by the periodic check after this long.
STALE_PENDING = timedelta(minutes=10)


class WebhookError(ValueError):
    """A webhook URL Écho will not store; str() is a translated explanation."""


class DeliveryError(RuntimeError):
    """A message could not be handed over; the text names the kind of failure, never content."""


@dataclass(frozen=True)
class Links:
    """Absolute links back to Écho, from the address staff reach it at."""

    base: str

    def _url(self, path: str) -> str:
        return self.base.rstrip("/") + path

    def issue(self, issue: Issue) -> str:
        return self._url(f"/issues/{issue.id}")

    def board(self, establishment_id: int | None = None) -> str:
        return self._url("/issues/board" + (f"?establishment={establishment_id}"
                                            if establishment_id else ""))

    def preferences(self) -> str:
        return self._url("/account/notifications")


def links_from(config: Mapping, fallback: str = "http://localhost:5000") -> Links:
    return Links(config.get("PUBLIC_BASE_URL") or fallback)


# --- Preferences and channels -------------------------------------------------------------------

def preferences_of(user: User) -> NotificationPreference:
    """A person's choices (a new, all-off row when they never chose)."""
    found = db.session.scalar(
        select(NotificationPreference).where(NotificationPreference.user_id == user.id))
    return found or NotificationPreference(user_id=user.id, p1_alerts=False,
                                           assigned_alerts=False, daily_digest=False,
                                           weekly_digest=False)


def set_preferences(user: User, **choices: bool) -> NotificationPreference:
    """Store a person's choices; the caller commits."""
    preference = preferences_of(user)
    for name in PREFERENCES:
        setattr(preference, name, bool(choices.get(name)))
    db.session.add(preference)
    db.session.flush()
    return preference


def check_webhook_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise WebhookError(_("The webhook address must start with https://."))
    if len(url) > 500:
        raise WebhookError(_("The webhook address is too long."))
    return url


def webhook_of(establishment: Establishment) -> EstablishmentWebhook | None:
    return db.session.scalar(select(EstablishmentWebhook).where(
        EstablishmentWebhook.establishment_id == establishment.id))


def set_webhook(establishment: Establishment, url: str, *, actor: User | None) -> None:
    """Store (or, with an empty URL, remove) an establishment's webhook; the caller commits.

    The audit trail names the host only: the rest of the address is the secret.
    """
    current = webhook_of(establishment)
    if not url.strip():
        if current is not None:
            db.session.delete(current)
            audit.record("webhook.removed", actor=actor, establishment_id=establishment.id,
                         target=establishment, host=urlsplit(current.url).hostname)
        return
    url = check_webhook_url(url)
    if current is not None and current.url == url:
        return
    host_before = urlsplit(current.url).hostname if current is not None else None
    current = current or EstablishmentWebhook(establishment=establishment)
    current.url = url
    current.updated_by_id = actor.id if actor else None
    db.session.add(current)
    db.session.flush()
    audit.record("webhook.updated", actor=actor, establishment_id=establishment.id,
                 target=establishment, host=urlsplit(url).hostname,
                 host_before=host_before, host_after=urlsplit(url).hostname)


def masked(url: str) -> str:
    """What a page shows of a stored webhook: its host, never the secret path."""
    return f"https://{urlsplit(url).hostname}/…"


# --- Who hears of what --------------------------------------------------------------------------

def _subscribers(choice: str, establishment_id: int | None) -> list[User]:
    """Active people of the command centre's roles who opted in to `choice`, within scope:
    those of this establishment and the network-wide ones (any, when establishment_id is None)."""
    stmt = (select(User).join(NotificationPreference, NotificationPreference.user_id == User.id)
            .where(User.active, User.role.in_(ISSUE_ROLES),
                   getattr(NotificationPreference, choice).is_(True))
            .order_by(User.id))
    if establishment_id is not None:
        stmt = stmt.where((User.establishment_id == establishment_id)
                          | User.establishment_id.is_(None))
    return list(db.session.scalars(stmt))


def _email(user: User, kind: NotificationKind, establishment_id: int | None, subject: str,
           body: str) -> Notification:
    notification = Notification(user=user, establishment_id=establishment_id,
                                channel=NotificationChannel.EMAIL, kind=kind,
                                subject=subject[:200], body=body)
    db.session.add(notification)
    return notification


def _webhook(establishment: Establishment, kind: NotificationKind, text: str,
             link: str) -> Notification | None:
    if webhook_of(establishment) is None:
        return None
    notification = Notification(establishment_id=establishment.id,
                                channel=NotificationChannel.WEBHOOK, kind=kind,
                                subject=text[:200], body=f"{text}\n{link}")
    db.session.add(notification)
    return notification


def _issue_facts(issue: Issue) -> str:
    """What a message may say of an issue: never its title or description."""
    facts = [_("Issue #%(id)d, priority %(priority)s", id=issue.id,
               priority=issue.priority.value),
             _("Establishment: %(name)s", name=issue.establishment.name)]
    if issue.sector is not None:
        facts.append(_("Sector: %(name)s", name=issue.sector.name(str(_locale()))))
    facts.append(_("Opened %(when)s (Québec time)", when=format_datetime(issue.created_at)))
    return "\n".join(facts)


def _locale():
    return get_locale() or "fr"


def _body(user: User | None, *paragraphs: str, links: Links) -> str:
    lines = [_("Hello %(name)s,", name=user.name)] if user else []
    lines += [*paragraphs, "— Écho",
              _("You receive this because you asked to. To change what Écho sends you: %(url)s",
                url=links.preferences())]
    return "\n\n".join(lines) + "\n"


def _alerted(issue: Issue, kind: IssueAlertKind) -> bool:
    """Mark an issue's alert of this kind as rung; False when it already was."""
    if db.session.scalar(select(IssueAlert.id).where(IssueAlert.issue_id == issue.id,
                                                     IssueAlert.kind == kind)):
        return False
    db.session.add(IssueAlert(issue_id=issue.id, kind=kind))
    db.session.flush()
    return True


def issue_created(issue: Issue, *, links: Links) -> list[Notification]:
    """The alert for a new P1, to those who asked for it and the establishment's channel."""
    if issue.priority is not Priority.P1 or not _alerted(issue, IssueAlertKind.CREATED):
        return []
    out = []
    for user in _subscribers("p1_alerts", issue.establishment_id):
        with force_locale(user.locale):
            subject = _("Écho: new P1 issue #%(id)d (%(code)s)", id=issue.id,
                        code=issue.establishment.code)
            body = _body(user, _("A P1 issue (patient safety or critical service) was just "
                                 "opened."), _issue_facts(issue), links.issue(issue),
                         links=links)
        out.append(_email(user, NotificationKind.P1_CREATED, issue.establishment_id, subject,
                          body))
    with force_locale("fr"):
        text = _("New P1 issue #%(id)d at %(code)s", id=issue.id, code=issue.establishment.code)
    if hook := _webhook(issue.establishment, NotificationKind.P1_CREATED, text,
                        links.issue(issue)):
        out.append(hook)
    return out


def issue_assigned(issue: Issue, *, actor: User | None, links: Links) -> list[Notification]:
    """Tell the new owner, if they asked to be told and may open the issue."""
    owner = issue.owner
    if (owner is None or not owner.active or owner.role not in ISSUE_ROLES
            or (actor is not None and owner.id == actor.id)
            or not preferences_of(owner).assigned_alerts):
        return []
    with force_locale(owner.locale):
        subject = _("Écho: issue #%(id)d is assigned to you", id=issue.id)
        body = _body(owner, _("%(who)s assigned you an issue.",
                              who=actor.name if actor else "Écho"),
                     _issue_facts(issue), links.issue(issue), links=links)
    return [_email(owner, NotificationKind.ASSIGNED, issue.establishment_id, subject, body)]


def check_sla(now: datetime, *, links: Links) -> list[Notification]:
    """Alert each breach of a service level once, and each P1 opened elsewhere than a page
    (the API, an import) that was not alerted yet; the caller commits."""
    out: list[Notification] = []
    kind_now = case((issue_board.resolve_breached(now), IssueAlertKind.RESOLVE.value),
                    else_=IssueAlertKind.ACK.value)
    breaching = db.session.execute(issue_board.with_sla(
        select(Issue, kind_now))
        .where(issue_board.ack_breached(now) | issue_board.resolve_breached(now))
        .where(~select(IssueAlert.id).where(IssueAlert.issue_id == Issue.id,
                                            IssueAlert.kind == kind_now).exists())
        .order_by(Issue.id)).all()
    for issue, kind in breaching:
        kind = IssueAlertKind(kind)
        if _alerted(issue, kind):
            out += _breach_messages(issue, kind, links)
    recent_p1 = db.session.scalars(
        select(Issue).where(Issue.priority == Priority.P1, Issue.status.in_(OPEN_STATUSES),
                            Issue.created_at >= now - timedelta(days=1),
                            ~select(IssueAlert.id).where(
                                IssueAlert.issue_id == Issue.id,
                                IssueAlert.kind == IssueAlertKind.CREATED).exists()))
    for issue in recent_p1:
        out += issue_created(issue, links=links)
    return out


def _breach_messages(issue: Issue, kind: IssueAlertKind, links: Links) -> list[Notification]:
    out = []
    levels = issue_board.sla_of(issue.establishment)[issue.priority]
    hours = levels[0] if kind is IssueAlertKind.ACK else levels[1]
    subscribers = (_subscribers("p1_alerts", issue.establishment_id)
                   if issue.priority is Priority.P1 else [])
    for user in subscribers:
        with force_locale(user.locale):
            subject = _("Écho: issue #%(id)d (%(priority)s) is past its service level",
                        id=issue.id, priority=issue.priority.value)
            what = (_("Nobody has picked it up within %(hours)d h.", hours=hours)
                    if kind is IssueAlertKind.ACK
                    else _("It is not resolved within %(hours)d h.", hours=hours))
            body = _body(user, what, _issue_facts(issue), links.issue(issue), links=links)
        out.append(_email(user, NotificationKind.SLA_BREACH, issue.establishment_id, subject,
                          body))
    with force_locale("fr"):
        text = _("Issue #%(id)d (%(priority)s) at %(code)s is past its service level",
                 id=issue.id, priority=issue.priority.value, code=issue.establishment.code)
    if hook := _webhook(issue.establishment, NotificationKind.SLA_BREACH, text,
                        links.issue(issue)):
        out.append(hook)
    return out


# --- Digests ------------------------------------------------------------------------------------

def _scope_ids(user: User) -> list[int] | None:
    return None if user.establishment_id is None else [user.establishment_id]


def daily_digests(now: datetime, *, links: Links) -> list[Notification]:
    """The morning digest for the command centre: new, breached and resolved issues since
    yesterday's, for each person who asked for it, on their own establishment's issues."""
    out = []
    since = now - timedelta(days=1)
    for user in _subscribers("daily_digest", None):
        ids = _scope_ids(user)
        new, resolved = db.session.execute(kpi.within(select(
            func.count(Issue.id).filter(kpi.received_in(since, now)),
            func.count(Issue.id).filter(Issue.resolved_at.is_not(None)
                                        & (Issue.resolved_at >= since)
                                        & (Issue.resolved_at < now)),
        ), Issue.establishment_id, ids)).one()
        breached = db.session.scalar(kpi.within(issue_board.with_sla(
            select(func.count(Issue.id)).where(issue_board.ack_breached(now)
                                               | issue_board.resolve_breached(now))),
            Issue.establishment_id, ids))
        with force_locale(user.locale):
            subject = _("Écho: the command centre's morning, %(day)s",
                        day=format_datetime(now, "d MMMM"))
            body = _body(user, "\n".join([
                _("Since yesterday morning:"),
                _("- new issues: %(n)d", n=new),
                _("- issues resolved: %(n)d", n=resolved),
                _("- open issues past their service level: %(n)d", n=breached),
            ]), links.board(user.establishment_id), links=links)
        out.append(_email(user, NotificationKind.DAILY_DIGEST, user.establishment_id, subject,
                          body))
    return out


def weekly_digests(now: datetime, *, links: Links) -> list[Notification]:
    """Monday's digest for managers: the week's volumes, emerging themes, open learnings.

    Volumes and themes count observations and issues only: survey comments are figures about
    survey answers, which only the anonymity cohorts may show.
    """
    out = []
    today = local_today()
    week_start = local_day_start(today - timedelta(days=7))
    previous_start = local_day_start(today - timedelta(days=14))
    week_end = local_day_start(today)
    for user in _subscribers("weekly_digest", None):
        ids = _scope_ids(user)
        observations = db.session.scalar(kpi.within(
            select(func.count(Feedback.id)).where(
                Feedback.kind == FeedbackKind.OBSERVATION, Feedback.created_at >= week_start,
                Feedback.created_at < week_end), Feedback.establishment_id, ids))
        opened, resolved = db.session.execute(kpi.within(select(
            func.count(Issue.id).filter(kpi.received_in(week_start, week_end)),
            func.count(Issue.id).filter((Issue.resolved_at >= week_start)
                                        & (Issue.resolved_at < week_end)),
        ), Issue.establishment_id, ids)).one()
        learnings = db.session.scalar(kpi.within(
            select(func.count(Learning.id)).where(Learning.status == LearningStatus.DRAFT),
            Learning.establishment_id, ids))
        themes = _emerging_themes(ids, previous_start, week_start, week_end)
        with force_locale(user.locale):
            locale = str(_locale())
            lines = [_("Last week:"),
                     _("- observations: %(n)d", n=observations),
                     _("- issues opened: %(n)d, resolved: %(n2)d", n=opened, n2=resolved),
                     _("- learnings not yet published: %(n)d", n=learnings)]
            if themes:
                lines.append(_("Emerging themes in observations (this week against the one "
                               "before):"))
                lines += [f"- {theme.name(locale)}: {now_n} ({before_n})"
                          for theme, now_n, before_n in themes]
            subject = _("Écho: the week of %(day)s", day=format_datetime(week_start, "d MMMM"))
            body = _body(user, "\n".join(lines), links.board(user.establishment_id),
                         links=links)
        out.append(_email(user, NotificationKind.WEEKLY_DIGEST, user.establishment_id, subject,
                          body))
    return out


def _emerging_themes(ids, previous_start, week_start, week_end, limit: int = 3):
    """The observation themes that grew most from the week before to the last one."""
    this_week = (Feedback.created_at >= week_start) & (Feedback.created_at < week_end)
    before = (Feedback.created_at >= previous_start) & (Feedback.created_at < week_start)
    now_n = func.count(Feedback.id).filter(this_week)
    before_n = func.count(Feedback.id).filter(before)
    rows = db.session.execute(kpi.within(
        select(Theme, now_n, before_n)
        .join(FeedbackTheme, FeedbackTheme.theme_id == Theme.id)
        .join(Feedback, Feedback.id == FeedbackTheme.feedback_id)
        .where(Feedback.kind == FeedbackKind.OBSERVATION, Feedback.created_at >= previous_start,
               Feedback.created_at < week_end)
        .group_by(Theme.id).having(now_n > before_n)
        .order_by((now_n - before_n).desc(), Theme.code).limit(limit),
        Feedback.establishment_id, ids))
    return [(theme, a, b) for theme, a, b in rows]


# --- Delivery -----------------------------------------------------------------------------------

def deliver(notification_id: int, attempt: int, config: Mapping, *, attempts: int,
            now: datetime) -> bool | None:
    """Try to send one message; the caller commits.

    Returns True when sent, False when this attempt failed and another should follow, None when
    there is nothing (more) to do: already sent, or failed for good (audited).
    """
    notification = db.session.get(Notification, notification_id)
    if (notification is None or notification.status is not NotificationStatus.PENDING
            or attempt <= notification.attempts):  # sent, given up, or this attempt ran already
        return None
    notification.attempts = attempt
    try:
        _send(notification, config)
    except (MailError, DeliveryError) as error:
        notification.error = _reason(error)
        if attempt < attempts:
            return False
        notification.status = NotificationStatus.FAILED
        audit.record("notification.failed", actor=None,
                     establishment_id=notification.establishment_id, target=notification,
                     channel=notification.channel.value, kind=notification.kind.value,
                     attempts=attempt, reason=notification.error[:120])
        return None
    notification.status = NotificationStatus.SENT
    notification.sent_at = now
    notification.error = ""
    return True


def _reason(error: Exception) -> str:
    return str(error)[:200]


def _send(notification: Notification, config: Mapping) -> None:
    if notification.channel is NotificationChannel.EMAIL:
        if not mail_enabled(config):
            raise DeliveryError("no SMTP server configured (MAIL_SERVER)")
        user = notification.user
        if user is None or not user.active:
            raise DeliveryError("the recipient's account is gone or inactive")
        send_mail(config, to=user.email, subject=notification.subject, body=notification.body)
        return
    hook = db.session.scalar(select(EstablishmentWebhook).where(
        EstablishmentWebhook.establishment_id == notification.establishment_id))
    if hook is None:
        raise DeliveryError("the establishment has no webhook any more")
    post_webhook(hook.url, notification.body)


def post_webhook(url: str, text: str, timeout: float = WEBHOOK_TIMEOUT) -> None:
    """POST {"text": …}: what Slack's and Teams' incoming webhooks both accept."""
    request = urllib.request.Request(
        url, data=json.dumps({"text": text}).encode(), method="POST",
        headers={"Content-Type": "application/json"})
    host = urlsplit(url).hostname
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (URL checked on entry)
            status = response.status
    except urllib.error.HTTPError as error:
        raise DeliveryError(f"HTTP {error.code} from {host}") from None
    except (urllib.error.URLError, OSError) as error:
        raise DeliveryError(f"{type(error).__name__} reaching {host}") from None
    if not 200 <= status < 300:
        raise DeliveryError(f"HTTP {status} from {host}")


def stale_pending(now: datetime) -> list[int]:
    """Messages still waiting long after they were written: the queue lost them, or was down."""
    return list(db.session.scalars(select(Notification.id).where(
        Notification.status == NotificationStatus.PENDING, Notification.attempts == 0,
        Notification.created_at < now - STALE_PENDING)))
