"""A small world for the route × role matrix: establishments A and B, one of each object in A."""

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from werkzeug.security import generate_password_hash

from feedback.clock import local_today, utcnow
from feedback.extensions import db
from feedback.insights.export_jobs import export_folder
from feedback.models import (
    ApiToken,
    Establishment,
    ExportJob,
    ExportJobStatus,
    Feedback,
    FeedbackKind,
    FollowUpContact,
    IdentityProvider,
    ImportJob,
    Incident,
    Issue,
    Learning,
    LearningStatus,
    ObservationDetail,
    Priority,
    Role,
    Sector,
    SentimentLabel,
    Site,
    SiteKind,
    Theme,
    User,
    WriterRole,
)
from feedback.surveys import create_campaign

PASSWORD = "correct-horse-battery"
# Hashed once: the matrix puts sessions in place, so no cell needs a fresh (slow) hash.
PASSWORD_HASH = generate_password_hash(PASSWORD)
ROLES = ("anonymous", "super_user_a", "manager_a", "manager_b", "admin")


@dataclass
class World:
    users: dict[str, User]
    params: dict[str, object]


def _establishment(code: str) -> tuple[Establishment, Site, Sector]:
    establishment = Establishment(name=f"Établissement {code}", code=code,
                                  go_live=local_today() - timedelta(days=30))
    site = Site(name=f"Hôpital {code}", kind=SiteKind.HOSPITAL, establishment=establishment)
    sector = Sector(code="urgence", name_fr="Urgence", name_en="Emergency")
    site.sectors = [sector]
    db.session.add(establishment)
    return establishment, site, sector


def _user(email: str, role: Role, establishment: Establishment | None) -> User:
    user = User(email=email, name=email, role=role, establishment=establishment,
                password_hash=PASSWORD_HASH)
    db.session.add(user)
    return user


def build_world() -> World:
    """Every object a route can name, in establishment A; call inside an app context."""
    a, site_a, sector_a = _establishment("AAA")
    b, _site_b, _sector_b = _establishment("BBB")
    # Objects that destructive routes act on are never the acting users themselves.
    victim_site = Site(name="Site à fermer", kind=SiteKind.CLSC, establishment=a)
    victim_sector = Sector(code="oncologie", name_fr="Oncologie", name_en="Oncology",
                           site=site_a)
    users = {
        "super_user_a": _user("super.a@example.org", Role.SUPER_USER, a),
        "manager_a": _user("gestion.a@example.org", Role.MANAGER, a),
        "manager_b": _user("gestion.b@example.org", Role.MANAGER, b),
        "admin": _user("admin@example.org", Role.ADMIN, None),
    }
    person = _user("personne.a@example.org", Role.SUPER_USER, a)
    theme = Theme(code="ecrans", name_fr="Écrans", name_en="Screens")
    feedback = Feedback(establishment=a, site=site_a, sector=sector_a, role=WriterRole.SUPER_USER,
                        phase=2, kind=FeedbackKind.OBSERVATION, text="Écran figé au poste 3.",
                        language="fr", polarity=-0.4, sentiment=SentimentLabel.NEGATIVE,
                        author=users["super_user_a"])
    feedback.observation = ObservationDetail(client_uuid="8f14e45f-ceea-4e7a-9b5a-0d3c5f1e2a11",
                                             priority=Priority.P2)
    issue = Issue(establishment=a, title="Écrans figés", priority=Priority.P2, evidence=[feedback])
    learning = Learning(establishment=a, title="Écrans", learned="Les écrans figeaient.",
                        status=LearningStatus.PUBLISHED, published_at=utcnow())
    incident = Incident(discovered_on=date(2026, 6, 1), description="Courriel mal adressé.")
    db.session.add_all([victim_site, victim_sector, theme, feedback, issue, learning, incident])
    db.session.flush()
    campaign = create_campaign(establishment=a, title_fr="Pouls", title_en="Pulse",
                               opens_on=local_today(), closes_on=local_today() + timedelta(days=6))
    contact = FollowUpContact(establishment_id=a.id, campaign_id=campaign.id,
                              contact="poste 4521", created_on=local_today())
    job = ImportJob(establishment_id=a.id, user_id=users["manager_a"].id, filename="a.csv")
    token = ApiToken(user=users["manager_a"], name="Tableau", token_hash="0" * 64,
                     prefix="echo_000")
    # A finished export of manager A's, its file in the instance folder.
    export = ExportJob(establishment_id=a.id, user_id=users["manager_a"].id, table="feedback",
                       format="csv", selection={}, filename="echo-AAA-feedback.csv",
                       status=ExportJobStatus.DONE, stored_as="0" * 32,
                       expires_at=utcnow() + timedelta(hours=1))
    (export_folder(current_app.instance_path) / f"{export.stored_as}.csv").write_text("x\r\n")
    # A's identity provider; its secret unreadable, so starting a sign-in is refused at once.
    provider = IdentityProvider(establishment=a, name="Fournisseur A", issuer="http://127.0.0.1:9",
                                client_id="echo", client_secret_encrypted="")
    db.session.add_all([contact, job, token, export, provider])
    db.session.commit()
    params = {
        "establishment_id": a.id, "site_id": victim_site.id, "sector_id": victim_sector.id,
        "user_id": person.id, "theme_id": theme.id, "incident_id": incident.id,
        "issue_id": issue.id, "learning_id": learning.id, "campaign_id": campaign.id,
        "job_id": job.id, "ref": feedback.ref, "contact_id": contact.id,
        "token_id": token.id, "code": "AAA", "slug": campaign.slug, "token": "not-a-link",
        "fmt": "csv", "export_id": export.id, "provider_id": provider.id, "day": 7,
    }
    return World(users=users, params=params)
