"""The demo's establishments, people and feedback: a few thousand bilingual texts over 100 days."""

import math
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from feedback.accounts import create_user, find_user
from feedback.clock import QUEBEC, local_day_start, local_week_start
from feedback.demo import corpus
from feedback.extensions import db
from feedback.models import (
    Establishment,
    Feedback,
    FeedbackKind,
    Incident,
    ObservationDetail,
    Priority,
    Role,
    Sector,
    Site,
    SiteKind,
    User,
    WriterRole,
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


def keep_weeks_only() -> None:
    """Anonymous comments keep only their week, as the survey stores them (the demo composes
    them by day, so that responses fall on the days of their comments)."""
    for feedback in db.session.scalars(select(Feedback).where(
            Feedback.kind.in_([FeedbackKind.SURVEY, FeedbackKind.IMPORT]))):
        week_start = local_week_start(feedback.created_at.astimezone(QUEBEC).date())
        if feedback.created_at != week_start:
            feedback.created_at = week_start
    db.session.flush()


def create_establishment(spec: DemoEstablishment) -> Establishment:
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


def create_users() -> None:
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


def create_feedback(rng: random.Random, establishment: Establishment, count: int) -> None:
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
        for day, item in zip(phase_days, corpus.compose(rng, len(phase_days), phase=phase),
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
                role=(affected_group(rng, item.text) if kind is FeedbackKind.OBSERVATION
                      else WriterRole(item.role)),
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
                )
    db.session.flush()


# Whom super-users see affected at the elbow: nurses most (the largest group on the floor and
# the first to chart), then physicians (orders, notes), then the others.
AFFECTED_WEIGHTS = {WriterRole.NURSE: 46, WriterRole.PHYSICIAN: 24, WriterRole.PROFESSIONAL: 14,
                    WriterRole.CLERK: 12, WriterRole.OTHER: 4}
# Words that name the group an observation is about, checked in this order.
_AFFECTED_WORDS = (
    (WriterRole.PHYSICIAN, ("médecin", "physician", "md ", "chirurgien",
                            "surgeon", "urgentologue", "prescri")),
    (WriterRole.NURSE, ("infirmi", "nurse", "nursing")),
    (WriterRole.PROFESSIONAL, ("pharmac", "physiothérap", "inhalothérap", "travailleu",
                               "nutritionn", "therapist")),
    (WriterRole.CLERK, ("commis", "clerk", "agente administrative", "admission", "registration")),
)


def affected_group(rng: random.Random, text: str) -> WriterRole:
    """Who an observation of the demo says was affected: the group its text names, else a draw."""
    lowered = text.lower()
    for role, words in _AFFECTED_WORDS:
        if any(word in lowered for word in words):
            return role
    roles = list(AFFECTED_WEIGHTS)
    return rng.choices(roles, weights=[AFFECTED_WEIGHTS[r] for r in roles])[0]


def create_privacy_examples() -> None:
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
