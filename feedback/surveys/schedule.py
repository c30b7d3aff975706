"""Each establishment's measurement schedule: pulses at fixed days after go-live (7, 30, 90 by
default), then one every few months, each measured by a campaign of the same questions.

Écho proposes a pulse from a week before it is due until the next one is; a person creates it.
The caller commits.
"""

import copy
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from feedback import audit
from feedback.extensions import db
from feedback.models import Campaign, Establishment, User
from feedback.surveys import create_campaign

# A pulse is proposed this long before its day, so its poster can go up in time.
LEAD = timedelta(days=7)
# ...and until this long after it, when nobody created it (then it is missed: the next one comes).
LATE = timedelta(days=45)
PULSE_LENGTH = timedelta(days=13)  # two weeks, Monday to Sunday when it opens on a Monday
MAX_PULSE_DAY = 3650
MAX_FIXED_PULSES = 12
MAX_REPEATS = 40  # twenty years of pulses every six months
DEFAULT_PULSE_DAYS = (7, 30, 90)


class ScheduleError(ValueError):
    """A schedule that cannot be used; the message says why, for people."""


def parse_pulse_days(text: str) -> list[int]:
    """"7, 30, 90" as [7, 30, 90]: whole days after go-live, increasing, from 0 to ten years."""
    parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    if not parts:
        raise ScheduleError(_("Give at least one day, e.g. 7, 30, 90."))
    if len(parts) > MAX_FIXED_PULSES:
        raise ScheduleError(_("At most %(n)d fixed pulses.", n=MAX_FIXED_PULSES))
    if not all(part.isdigit() for part in parts):
        raise ScheduleError(_("Write whole numbers of days separated by commas, e.g. 7, 30, 90."))
    days = [int(part) for part in parts]
    if any(day > MAX_PULSE_DAY for day in days):
        raise ScheduleError(_("A pulse comes at most %(n)d days after go-live.", n=MAX_PULSE_DAY))
    if days != sorted(set(days)):
        raise ScheduleError(_("Give each day once, in increasing order."))
    return days


def set_schedule(actor: User, establishment: Establishment, *, pulse_days: str,
                 every_months: int) -> bool:
    """Change an establishment's pulses; returns whether anything changed. Audited."""
    days = ", ".join(str(day) for day in parse_pulse_days(pulse_days))
    if (establishment.pulse_days, establishment.pulse_every_months) == (days, every_months):
        return False
    before = (establishment.pulse_days, establishment.pulse_every_months)
    establishment.pulse_days, establishment.pulse_every_months = days, every_months
    audit.record("establishment.schedule", actor=actor, establishment_id=establishment.id,
                 target=establishment, days=days, every_months=every_months,
                 days_before=before[0] or "", days_after=days,
                 every_months_before=before[1], every_months_after=every_months)
    db.session.flush()
    return True


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def pulse_days(establishment: Establishment, until: date) -> list[int]:
    """The schedule's pulses (days after go-live) up to `until`, and the first one after it."""
    try:
        days = parse_pulse_days(establishment.pulse_days)
    except ScheduleError:
        days = list(DEFAULT_PULSE_DAYS)
    go_live, every = establishment.go_live, establishment.pulse_every_months
    for n in range(1, MAX_REPEATS + 1) if every > 0 else ():
        moment = _add_months(go_live, every * n)
        if (moment - go_live).days > days[-1]:
            days.append((moment - go_live).days)
        if moment > until:
            break
    result = []
    for day in days:
        result.append(day)
        if go_live + timedelta(days=day) > until:
            break
    return result


@dataclass(frozen=True)
class Pulse:
    establishment: Establishment
    day: int  # after go-live
    campaign: Campaign | None  # the campaign measuring it, once created

    @property
    def due_on(self) -> date:
        return self.establishment.go_live + timedelta(days=self.day)


def pulses(establishment: Establishment, today: date) -> list[Pulse]:
    """The pulses up to the next one to come, each with its campaign when there is one."""
    campaigns = {c.pulse_day: c for c in db.session.scalars(
        select(Campaign).where(Campaign.establishment_id == establishment.id,
                               Campaign.pulse_day.is_not(None))
        .order_by(Campaign.id))}
    return [Pulse(establishment, day, campaigns.get(day))
            for day in pulse_days(establishment, today + LEAD)]


def due_pulse(establishment: Establishment, today: date) -> Pulse | None:
    """The pulse to propose today: the latest one from a week before its day to LATE after it,
    without a campaign."""
    reached = [p for p in pulses(establishment, today) if p.due_on - LEAD <= today]
    if not reached or reached[-1].campaign is not None or today > reached[-1].due_on + LATE:
        return None
    return reached[-1]


def due_pulses(establishments: list[Establishment], today: date) -> list[Pulse]:
    return [pulse for e in establishments if e.active
            if (pulse := due_pulse(e, today)) is not None]


def _previous_campaign(establishment: Establishment) -> Campaign | None:
    """The campaign whose questions the next pulse repeats: the last pulse's, else the last."""
    base = select(Campaign).where(Campaign.establishment_id == establishment.id)
    return (db.session.scalar(base.where(Campaign.pulse_day.is_not(None))
                              .order_by(Campaign.pulse_day.desc()).limit(1))
            or db.session.scalar(base.order_by(Campaign.opens_on.desc(), Campaign.id.desc())
                                 .limit(1)))


def create_pulse_campaign(pulse: Pulse, *, created_by: User | None, today: date) -> Campaign:
    """The campaign measuring a pulse: the same questions and sectors as the previous pulse (so
    pulses compare), open two weeks from its day (or today, when late)."""
    previous = _previous_campaign(pulse.establishment)
    opens_on = max(pulse.due_on, today)
    return create_campaign(
        establishment=pulse.establishment,
        title_fr=f"Mesure du jour {pulse.day} après le démarrage",
        title_en=f"Pulse: day {pulse.day} after go-live",
        intro_fr=previous.intro_fr if previous else "",
        intro_en=previous.intro_en if previous else "",
        opens_on=opens_on,
        closes_on=opens_on + PULSE_LENGTH,
        sectors=previous.sectors if previous else (),
        instrument=copy.deepcopy(previous.instrument) if previous else None,
        created_by=created_by,
        pulse_day=pulse.day,
    )
