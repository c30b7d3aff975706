"""Demo data: the two showcase establishments of the DSN one-month update, in their first months."""

import math
import random
import re
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import event, select

from feedback import demo_corpus
from feedback.accounts import create_user, find_user
from feedback.clock import QUEBEC, local_day_start, local_week_start
from feedback.extensions import db
from feedback.models import (
    AuditEntry,
    Campaign,
    Establishment,
    Feedback,
    FeedbackKind,
    FeedbackTheme,
    Incident,
    Issue,
    IssueStatus,
    Learning,
    ObservationDetail,
    Priority,
    ReportNote,
    Role,
    Sector,
    Site,
    SiteKind,
    SurveyAnswer,
    SurveyResponse,
    Theme,
    User,
    WriterRole,
    issue_theme,
)
from feedback.tagging import active_themes, record_feedback

DEMO_PASSWORD = "echo-demo-2026"
DAYS = 100  # go-live to a little past the start of phase 3

SECTOR_NAMES = {
    "urgence": ("Urgence", "Emergency"),
    "soins-critiques": ("Soins critiques", "Critical care"),
    "oncologie": ("Oncologie", "Oncology"),
    "chirurgie": ("Chirurgie", "Surgery"),
    "medecine": ("Médecine", "Medicine"),
    "cliniques-externes": ("Cliniques externes", "Outpatient clinics"),
    "soutien-domicile": ("Soutien à domicile", "Home care"),
    "sante-mentale": ("Santé mentale", "Mental health"),
    "hebergement": ("Hébergement", "Long-term care"),
    "perinatalite": ("Périnatalité", "Perinatal care"),
    "laboratoire": ("Laboratoire", "Laboratory"),
    "pharmacie": ("Pharmacie", "Pharmacy"),
}


@dataclass(frozen=True)
class DemoEstablishment:
    code: str
    name: str
    go_live: date
    feedback_count: int
    sites: tuple[tuple[str, SiteKind, tuple[str, ...]], ...]


ESTABLISHMENTS = (
    DemoEstablishment(
        code="MCQ",
        name="Santé Québec – Mauricie-et-Centre-du-Québec",
        go_live=date(2026, 5, 9),
        feedback_count=1800,
        sites=(
            ("Centre hospitalier affilié universitaire régional", SiteKind.HOSPITAL,
             ("urgence", "soins-critiques", "oncologie", "chirurgie", "medecine", "perinatalite",
              "laboratoire", "pharmacie")),
            ("Hôpital Sainte-Croix", SiteKind.HOSPITAL,
             ("urgence", "chirurgie", "medecine", "cliniques-externes", "sante-mentale")),
            ("CLSC du Cap-de-la-Madeleine", SiteKind.CLSC,
             ("soutien-domicile", "sante-mentale", "cliniques-externes")),
            ("CHSLD Cooke", SiteKind.CHSLD, ("hebergement",)),
        ),
    ),
    DemoEstablishment(
        code="NIM",
        name="Santé Québec – Nord-de-l'Île-de-Montréal",
        go_live=date(2026, 5, 23),
        feedback_count=1400,
        sites=(
            ("Hôpital du Sacré-Cœur-de-Montréal", SiteKind.HOSPITAL,
             ("urgence", "soins-critiques", "oncologie", "chirurgie", "medecine", "sante-mentale",
              "laboratoire", "pharmacie")),
            ("Hôpital Fleury", SiteKind.HOSPITAL,
             ("urgence", "medecine", "chirurgie", "cliniques-externes")),
            ("CLSC d'Ahuntsic", SiteKind.CLSC,
             ("soutien-domicile", "perinatalite", "sante-mentale")),
            ("CHSLD Paul-Lizotte", SiteKind.CHSLD, ("hebergement",)),
        ),
    ),
)


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: Role
    establishment: str | None


def demo_logins() -> list[DemoLogin]:
    logins = [DemoLogin("admin@echo.example", Role.ADMIN, None)]
    for spec in ESTABLISHMENTS:
        code = spec.code.lower()
        logins += [
            DemoLogin(f"super.{code}@echo.example", Role.SUPER_USER, spec.code),
            DemoLogin(f"gestion.{code}@echo.example", Role.MANAGER, spec.code),
            DemoLogin(f"admin.{code}@echo.example", Role.ADMIN, spec.code),
        ]
    return logins


_ROLE_NAMES = {Role.SUPER_USER: "Super-utilisateur", Role.MANAGER: "Gestionnaire",
               Role.ADMIN: "Administration"}


def seed_demo(seed: int = 2026) -> list[str]:
    """Create what is missing of the demo; return the codes of the establishments created.

    Idempotent: an establishment that already exists is left as it is, and so are its users.
    """
    created = [
        (spec, _create_establishment(spec))
        for spec in ESTABLISHMENTS
        if db.session.scalar(select(Establishment).where(Establishment.code == spec.code)) is None
    ]
    _create_users()  # before feedback: observations need their super-user as author
    _create_privacy_examples()
    for spec, establishment in created:
        _create_feedback(random.Random(f"{seed}-{spec.code}"), establishment, spec.feedback_count)
    for spec in ESTABLISHMENTS:
        _create_issues(random.Random(f"{seed}-{spec.code}-issues"), spec.code)
        _create_surveys(random.Random(f"{seed}-{spec.code}-surveys"), spec.code)
        _create_learnings(spec.code)
        _create_report_notes(spec.code)
    _keep_weeks_only()
    return [spec.code for spec, _ in created]


def _keep_weeks_only() -> None:
    """Anonymous comments keep only their week, as the survey stores them (the demo composes
    them by day, so that responses fall on the days of their comments)."""
    for feedback in db.session.scalars(select(Feedback).where(
            Feedback.kind.in_([FeedbackKind.SURVEY, FeedbackKind.IMPORT]))):
        week_start = local_week_start(feedback.created_at.astimezone(QUEBEC).date())
        if feedback.created_at != week_start:
            feedback.created_at = week_start
    db.session.flush()


def _create_establishment(spec: DemoEstablishment) -> Establishment:
    establishment = Establishment(name=spec.name, code=spec.code, go_live=spec.go_live)
    for site_name, kind, sector_codes in spec.sites:
        site = Site(name=site_name, kind=kind, establishment=establishment)
        site.sectors = [
            Sector(code=code, name_fr=SECTOR_NAMES[code][0], name_en=SECTOR_NAMES[code][1])
            for code in sector_codes
        ]
    db.session.add(establishment)
    db.session.flush()
    return establishment


def _create_users() -> None:
    establishments = {e.code: e for e in db.session.scalars(select(Establishment))}
    for login in demo_logins():
        if find_user(login.email) is not None:
            continue
        where = establishments.get(login.establishment) if login.establishment else None
        if login.establishment and where is None:
            continue
        suffix = f" {login.establishment}" if login.establishment else " réseau"
        create_user(
            email=login.email,
            name=_ROLE_NAMES[login.role] + suffix,
            role=login.role,
            password=DEMO_PASSWORD,
            establishment=where,
        )


def _day_weights() -> list[float]:
    """Many comments in the first days after go-live, then a steady trickle."""
    return [60 * math.exp(-day / 18) + 9 for day in range(DAYS)]


def _create_feedback(rng: random.Random, establishment: Establishment, count: int) -> None:
    days = rng.choices(range(DAYS), weights=_day_weights(), k=count)
    by_phase: dict[int, list[date]] = defaultdict(list)
    for offset in days:
        day = establishment.go_live + timedelta(days=offset)
        by_phase[establishment.phase_on(day)].append(day)

    sectors_by_code: dict[str, list[Sector]] = defaultdict(list)
    for site in establishment.sites:
        for sector in site.sectors:
            sectors_by_code[sector.code].append(sector)
    all_sectors = [s for group in sectors_by_code.values() for s in group]
    super_user = db.session.scalar(
        select(User).where(User.establishment_id == establishment.id, User.role == Role.SUPER_USER)
    )
    themes = active_themes()

    for phase, phase_days in sorted(by_phase.items()):
        for day, item in zip(phase_days, demo_corpus.compose(rng, len(phase_days), phase=phase),
                             strict=True):
            sector = rng.choice(sectors_by_code.get(item.sector) or all_sectors)
            kind = FeedbackKind(item.kind)
            if kind is FeedbackKind.SURVEY:
                created_at = local_day_start(day)
            else:
                moment = time(rng.randrange(6, 23), rng.randrange(60))
                created_at = datetime.combine(day, moment, tzinfo=QUEBEC)
            feedback = record_feedback(
                establishment=establishment,
                text=item.text,
                kind=kind,
                role=WriterRole(item.role),
                phase=phase,
                sector=sector,
                created_at=created_at,
                author=super_user if kind is FeedbackKind.OBSERVATION else None,
                themes=themes,
            )
            if kind is FeedbackKind.OBSERVATION:
                feedback.observation = ObservationDetail(
                    client_uuid=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    priority=rng.choices([None, Priority.P1, Priority.P2, Priority.P3],
                                         weights=[3, 1, 3, 3])[0],
                    affected_role=rng.choice([WriterRole.NURSE, WriterRole.PHYSICIAN,
                                              WriterRole.CLERK, WriterRole.PROFESSIONAL]),
                )
    db.session.flush()


def _create_privacy_examples() -> None:
    """A few audit entries and one incident, so those admin pages are not empty (once only)."""
    from feedback import audit

    if db.session.scalar(select(Incident.id).limit(1)) is not None:
        return
    admin = find_user("admin@echo.example")
    mcq = db.session.scalar(select(Establishment).where(Establishment.code == "MCQ"))
    if admin is None or mcq is None:
        return
    manager = find_user("gestion.mcq@echo.example")

    def at(day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=QUEBEC)

    go_live = mcq.go_live
    entries = [
        (at(go_live - timedelta(days=20), 9, 12),
         audit.record("establishment.updated", actor=admin, establishment_id=mcq.id, target=mcq,
                      fields="phase2_day,phase3_day")),
        (at(go_live - timedelta(days=14), 10, 3),
         audit.record("user.reset_issued", actor=admin, establishment_id=mcq.id, target=manager)
         if manager else None),
        (at(go_live + timedelta(days=3), 7, 41),
         audit.record("login.failure", actor=None, actor_email="gestion.mcq@echo.example")),
        (at(go_live + timedelta(days=12), 14, 25),
         audit.record("theme.updated", actor=admin, code="access", fields="keywords", keywords=2)),
        (at(go_live + timedelta(days=30), 16, 2),
         audit.record("audit.exported", actor=admin, filter_establishment=str(mcq.id))),
    ]
    for moment, entry in entries:
        if entry is not None:
            entry.at = moment
    incident = Incident(
        establishment=mcq,
        occurred_on=go_live + timedelta(days=23),
        discovered_on=go_live + timedelta(days=24),
        description="Une liste imprimée des personnes à recontacter après le sondage a été "
                    "oubliée dans une salle de repos de l'urgence, puis retrouvée par une "
                    "assistante infirmière-chef.",
        information_kinds="Courriels et numéros de téléphone laissés par des répondants pour "
                          "un suivi (aucune réponse au sondage, aucune information de patient).",
        people_affected=6,
        risk_assessment="Risque faible : coordonnées professionnelles seulement, liste restée "
                        "moins d'une journée dans un local réservé au personnel.",
        serious_risk=False,
        measures="Liste détruite; rappel aux gestionnaires de ne pas imprimer les contacts; "
                 "contacts traités directement dans Écho depuis.",
        created_by_id=admin.id,
    )
    db.session.add(incident)
    db.session.flush()
    entry = audit.record("incident.created", actor=admin, establishment_id=mcq.id,
                         target=incident, serious_risk=False)
    entry.at = at(go_live + timedelta(days=24), 11, 30)


# --- The command centre's issues, raised from the negative observations ----------------------

# How often a negative observation becomes an issue, by the priority its observer gave it.
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


def _establishment_without(code: str, model) -> tuple[Establishment, User | None] | None:
    """The demo establishment and its manager, if it has no `model` row yet (seed it once)."""
    establishment = db.session.scalar(select(Establishment).where(Establishment.code == code))
    if establishment is None or db.session.scalar(
        select(model.id).where(model.establishment_id == establishment.id).limit(1)
    ) is not None:
        return None
    manager = db.session.scalar(select(User).where(
        User.establishment_id == establishment.id, User.role == Role.MANAGER))
    return establishment, manager


def _create_issues(rng: random.Random, code: str) -> None:
    """Issues with believable timing for an establishment that has observations but no issue yet.

    Most P1/P2 issues are picked up within the hour and resolved, about six in ten within 24 h;
    a few stay open, a few similar observations become evidence of an earlier issue, a couple
    are closed as duplicates, and a couple are reopened once.
    """

    found = _establishment_without(code, Issue)
    if found is None:
        return
    establishment, manager = found
    themes_by_id = {theme.id: theme for theme in db.session.scalars(select(Theme))}
    observations = db.session.scalars(
        select(Feedback).join(ObservationDetail)
        .where(Feedback.establishment_id == establishment.id, Feedback.sentiment == "negative")
        .order_by(Feedback.created_at, Feedback.id)
    ).all()

    with _backdated_audit() as backdate:
        _write_issue_stories(rng, manager, observations, themes_by_id, backdate)
    db.session.flush()


@contextmanager
def _backdated_audit() -> Iterator[Callable[[datetime], None]]:
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
        for status, moment, text in _issue_timeline(rng, issue.priority, at, note):
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


def _issue_timeline(rng: random.Random, priority: Priority, created: datetime,
                    note: str) -> list[tuple]:
    """When an issue is picked up and how it ends, by priority."""

    def after(low_hours: float, high_hours: float, since: datetime = created) -> datetime:
        return since + timedelta(hours=rng.uniform(low_hours, high_hours))

    draw = rng.random()
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
    within_a_day, resolved = (0.62, 0.95) if urgent else (0.52, 0.92)
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


# --- Surveys, learnings and report notes: the managers' side of the first months (issue 6) --

# Mean agreement (1–5) of each survey item, by phase: access settles first, workflow last.
_ITEM_MEANS = {
    "access": (2.3, 3.3, 4.0),
    "training": (2.7, 3.2, 3.6),
    "workflow": (2.3, 2.7, 3.2),
    "support": (3.3, 3.6, 3.9),
    "safety": (2.9, 3.3, 3.6),
}
_SENTIMENT_SHIFT = {"negative": -0.5, "neutral": 0.0, "positive": 0.5}
# Physicians felt less prepared and less supported in their way of working (the DSN update
# singles out their needs); clerks got into the system sooner.
_ROLE_SHIFT = {"physician": {"training": -0.6, "workflow": -0.5, "support": -0.3},
               "clerk": {"access": 0.3}}
_EXTRA_RESPONSES = 0.5  # responses without a comment, per response with one


def _create_surveys(rng: random.Random, code: str) -> None:
    """A weekly pulse from the go-live week on; every demo survey comment becomes a response.

    Each comment gets the response it came with (same day, role, sector, phase), with answers
    that follow its sentiment and themes; half as many responses again come without a comment.
    Scores improve over the phases, the way the showcase establishments' did.
    """
    from sqlalchemy.orm import selectinload

    from feedback.surveys import create_campaign, default_instrument

    found = _establishment_without(code, Campaign)
    if found is None:
        return
    establishment, manager = found
    instrument = default_instrument()
    first = establishment.go_live - timedelta(days=establishment.go_live.weekday())
    campaigns: dict[date, Campaign] = {}
    for week in range((DAYS + establishment.go_live.weekday()) // 7 + 1):
        monday = first + timedelta(weeks=week)
        campaigns[monday] = create_campaign(
            establishment=establishment,
            title_fr=f"Pouls hebdomadaire DSN — semaine {week + 1}",
            title_en=f"DSN weekly pulse — week {week + 1}",
            opens_on=max(monday, establishment.go_live), closes_on=monday + timedelta(days=6),
            instrument=instrument, created_by=manager,
        )
    comments = db.session.scalars(
        select(Feedback).where(Feedback.establishment_id == establishment.id,
                               Feedback.kind == FeedbackKind.SURVEY)
        .order_by(Feedback.created_at, Feedback.id)
        .options(selectinload(Feedback.themes))
    ).all()
    themes_by_id = {theme.id: theme.code for theme in active_themes().values()}

    def respond(n: int, feedback, role, sector_id, phase, day, sentiment, codes) -> None:
        answers = []
        for item in instrument["items"]:
            mean = _ITEM_MEANS.get(item["code"], (3.0, 3.3, 3.6))[phase - 1]
            shift = _SENTIMENT_SHIFT[sentiment] * (2 if item["theme"] in codes else 1)
            shift += _ROLE_SHIFT.get(role.value, {}).get(item["code"], 0.0)
            value = min(5, max(1, round(rng.gauss(mean + shift, 0.85))))
            answers.append(SurveyAnswer(item=item["code"], theme_code=item["theme"], value=value))
        average = sum(a.value for a in answers) / len(answers)
        recommend = None if rng.random() < 0.08 else min(10, max(0, round(
            rng.gauss(2.3 * average - 0.2, 1.6))))
        db.session.add(SurveyResponse(
            campaign=campaigns[day - timedelta(days=day.weekday())],
            establishment_id=establishment.id, sector_id=sector_id, role=role, phase=phase,
            submitted_on=day, recommend=recommend, submission_token=f"demo-{code}-{n}",
            comment=feedback, answers=answers,
        ))

    n = 0
    for feedback in comments:
        day = feedback.created_at.astimezone(QUEBEC).date()
        feedback.campaign = campaigns[day - timedelta(days=day.weekday())]
        codes = {themes_by_id.get(link.theme_id) for link in feedback.themes}
        n += 1
        respond(n, feedback, feedback.role, feedback.sector_id, feedback.phase, day,
                feedback.sentiment.value, codes)
    for model in rng.sample(comments, int(len(comments) * _EXTRA_RESPONSES)):
        day = model.created_at.astimezone(QUEBEC).date()
        day = min(day + timedelta(days=rng.randrange(-2, 3)), establishment.go_live
                  + timedelta(days=DAYS - 1))
        day = max(day, establishment.go_live)
        n += 1
        respond(n, None, model.role, model.sector_id, establishment.phase_on(day), day,
                rng.choices(["negative", "neutral", "positive"], weights=[2, 5, 3])[0], set())
    db.session.flush()


@dataclass(frozen=True)
class _DemoLearning:
    title: str
    theme: str
    phase: int
    learned: str
    action: str
    owner: str
    day: int  # days after go-live the change was made (published the next day)
    published: bool = True


_LEARNINGS = {
    "MCQ": (
        _DemoLearning(
            "Se connecter la nuit sans perdre dix minutes", "access", 1,
            "Vous nous avez dit que les badges ne fonctionnaient pas sur plusieurs postes de "
            "l'urgence et des soins critiques, et qu'il fallait se reconnecter à chaque patient.",
            "Lecteurs de badge remplacés sur 42 postes; session prolongée à 4 heures sur les "
            "postes partagés des unités de soins.", "Soutien technique DSN", 5),
        _DemoLearning(
            "De l'aide aussi le soir et la fin de semaine", "support", 1,
            "L'aide des super-utilisateurs disparaissait après 19 h, au moment où les équipes "
            "de soir documentaient le plus.",
            "Super-utilisateurs présents 24 heures sur 24 pendant trois semaines de plus; numéro "
            "du centre de commandement affiché à chaque poste.", "Centre de commandement", 9),
        _DemoLearning(
            "Étiquettes du laboratoire au bon poste", "configuration", 1,
            "Les étiquettes de prélèvement sortaient sur la mauvaise imprimante, et les "
            "prélèvements attendaient.",
            "Imprimantes réassignées poste par poste avec l'équipe du laboratoire; vérification "
            "faite sur chaque quart.", "Équipe DSN – laboratoire", 12),
        _DemoLearning(
            "Moins de clics pour la note d'évolution", "workflow", 2,
            "Les infirmières passaient trop de temps à documenter : trop d'écrans pour une note "
            "d'évolution courante.",
            "Gabarit simplifié conçu avec six infirmières de médecine et de chirurgie, et "
            "capsule vidéo de cinq minutes.", "Direction des soins infirmiers", 31),
        _DemoLearning(
            "Des formations courtes, à l'heure des médecins", "training", 2,
            "Les médecins demandaient des séances courtes, par spécialité, sur leur horaire "
            "plutôt que des cours en ligne.",
            "Séances de 20 minutes en début de garde, en personne, par spécialité.",
            "Direction des services professionnels", 38),
        _DemoLearning(
            "Vérification des ordonnances en oncologie", "safety", 3,
            "Des doubles vérifications manuelles persistent en oncologie, par crainte d'erreurs "
            "de dosage.",
            "", "Pharmacie et oncologie", 70, published=False),
    ),
    "NIM": (
        _DemoLearning(
            "Le Wi-Fi tient enfin aux étages", "access", 1,
            "Les appareils mobiles perdaient le réseau dans les ascenseurs et aux étages de "
            "l'Hôpital Fleury, au milieu de l'administration des médicaments.",
            "Douze bornes Wi-Fi ajoutées et reconfigurées avec l'équipe réseau.",
            "Technologies de l'information", 6),
        _DemoLearning(
            "Un super-utilisateur par unité, à chaque quart", "support", 1,
            "Vous ne saviez pas qui appeler quand le système bloquait, surtout la nuit.",
            "Un super-utilisateur identifié par unité et par quart, avec un dossard; liste "
            "affichée au poste.", "Centre de commandement", 8),
        _DemoLearning(
            "Aide-mémoire pour l'admission à l'urgence", "training", 2,
            "À l'urgence, les étapes de l'admission changeaient d'une personne à l'autre.",
            "Aide-mémoire plastifié à chaque poste d'accueil et mini-formation de 15 minutes.",
            "Chef d'unité – urgence", 24),
        _DemoLearning(
            "Transferts entre unités sans double saisie", "workflow", 2,
            "Les transferts entre l'urgence et les unités demandaient de ressaisir les mêmes "
            "informations.",
            "Procédure de transfert revue avec les deux équipes; champ repris automatiquement.",
            "Équipe DSN – flux cliniques", 44),
        _DemoLearning(
            "Rapport de fin de quart en santé mentale", "workflow", 3,
            "Le rapport de fin de quart reste long en santé mentale.", "",
            "Santé mentale", 75, published=False),
    ),
}


def _create_learnings(code: str) -> None:
    """The learnings of the demo: most published, with their evidence; one draft each."""
    from feedback import learnings

    found = _establishment_without(code, Learning)
    if found is None:
        return
    establishment, manager = found
    themes = {theme.code: theme for theme in db.session.scalars(select(Theme))}
    with _backdated_audit() as backdate:
        for spec in _LEARNINGS.get(code, ()):
            theme = themes[spec.theme]
            changed = establishment.go_live + timedelta(days=spec.day)
            since = local_day_start(changed - timedelta(days=10))
            until = local_day_start(changed)
            evidence = db.session.scalars(
                select(Feedback).join(FeedbackTheme)
                .where(Feedback.establishment_id == establishment.id,
                       FeedbackTheme.theme_id == theme.id, Feedback.sentiment == "negative",
                       Feedback.created_at >= since, Feedback.created_at < until)
                .order_by(Feedback.created_at, Feedback.id).limit(3)
            ).all()
            issues = db.session.scalars(
                select(Issue).join(issue_theme, issue_theme.c.issue_id == Issue.id)
                .where(Issue.establishment_id == establishment.id,
                       issue_theme.c.theme_id == theme.id, Issue.created_at < until)
                .order_by(Issue.created_at.desc()).limit(2)
            ).all()
            written_at = datetime.combine(changed - timedelta(days=2), time(15, 30), tzinfo=QUEBEC)
            learning = learnings.create_learning(
                establishment, author=manager, title=spec.title, learned=spec.learned,
                action=spec.action, action_owner=spec.owner,
                action_on=changed if spec.action else None, phase=spec.phase, themes=[theme],
                feedback=list(evidence), issues=list(issues), at=written_at,
            )
            backdate(written_at)
            if spec.published:
                published = datetime.combine(changed + timedelta(days=1), time(10, 0),
                                             tzinfo=QUEBEC)
                learnings.publish_learning(learning, actor=manager, at=published)
                backdate(published)
    db.session.flush()


_REPORT_NOTES = {
    "MCQ": (
        "Mise en service réussie dans les quatre installations. Les enjeux d'accès des premiers "
        "jours (badges, sessions) sont réglés; le flux de documentation infirmière demeure "
        "l'irritant principal.",
        "Présence des super-utilisateurs 24/7, centre de commandement joignable en tout temps, "
        "décisions prises chaque matin à partir des observations de terrain.",
        "Un mois après la mise en service, la stabilité est acquise. L'appropriation se poursuit : "
        "priorité aux gabarits de documentation et à la formation ciblée des médecins.",
    ),
    "NIM": (
        "Stabilisation rapide du réseau sans fil; l'urgence et les unités de médecine ont "
        "concentré la majorité des enjeux signalés.",
        "Un super-utilisateur identifié par unité et par quart; aide-mémoire simples aux postes "
        "d'accueil.",
        "Le premier mois confirme l'importance d'un soutien de proximité. Les transferts entre "
        "unités et la documentation sont les chantiers du deuxième mois.",
    ),
}


def _create_report_notes(code: str) -> None:
    """The manager's notes of the one-month update of each showcase establishment."""
    from feedback.insights.report import first_month

    if code not in _REPORT_NOTES:
        return
    found = _establishment_without(code, ReportNote)
    if found is None:
        return
    establishment, manager = found
    first, last = first_month(establishment)
    highlights, success_factors, summary = _REPORT_NOTES[code]
    db.session.add(ReportNote(
        establishment=establishment, period_start=first, period_end=last + timedelta(days=6),
        highlights=highlights, success_factors=success_factors, summary=summary,
        updated_at=datetime.combine(last + timedelta(days=7), time(9, 0), tzinfo=QUEBEC),
        updated_by_id=manager.id if manager else None,
    ))
    db.session.flush()
