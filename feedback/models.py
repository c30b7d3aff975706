"""Every table of Écho. Feedback → Issue → Learning is the backbone."""

from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from feedback.clock import utcnow
from feedback.extensions import db


class UTCDateTime(sa.TypeDecorator):
    """Aware UTC datetimes in Python, naive UTC in the database, on every engine alike."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: Écho stores aware UTC times only")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


# Crockford's base-32 letters: no I, L, O or U to misread.
_REF_LETTERS = "0123456789abcdefghjkmnpqrstvwxyz"


def new_ref() -> str:
    """A feedback's public reference: random, so it says nothing of when the row was stored."""
    return "".join(secrets.choice(_REF_LETTERS) for _ in range(12))


def str_enum(enum_class: type[enum.StrEnum], length: int = 20) -> sa.Enum:
    """Store a StrEnum by value, as a plain VARCHAR on every engine."""
    return sa.Enum(
        enum_class,
        native_enum=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Role(enum.StrEnum):
    """What an account may do. Each role includes the one before it."""

    SUPER_USER = "super_user"
    MANAGER = "manager"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)


class WriterRole(enum.StrEnum):
    """The job of whoever a feedback comes from (never an account)."""

    PHYSICIAN = "physician"
    NURSE = "nurse"
    PROFESSIONAL = "professional"
    CLERK = "clerk"
    MANAGER = "manager"
    SUPER_USER = "super_user"
    OTHER = "other"


class FeedbackKind(enum.StrEnum):
    SURVEY = "survey"
    OBSERVATION = "observation"
    IMPORT = "import"


class SentimentLabel(enum.StrEnum):
    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


class ThemeSource(enum.StrEnum):
    AUTO = "auto"
    MANUAL = "manual"


class SiteKind(enum.StrEnum):
    HOSPITAL = "hospital"
    CLSC = "clsc"
    CHSLD = "chsld"
    OTHER = "other"


class Priority(enum.StrEnum):
    """P1 patient safety or critical service, P2 blocks work, P3 irritant."""

    P1 = "P1"
    P2 = "P2"
    P3 = "P3"


class IssueStatus(enum.StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    WONT_FIX = "wont_fix"
    DUPLICATE = "duplicate"


class LearningStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class Establishment(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    go_live: Mapped[date]
    # Days after go-live at which appropriation (phase 2) and change management (phase 3) begin.
    phase2_day: Mapped[int] = mapped_column(default=14, server_default="14")
    phase3_day: Mapped[int] = mapped_column(default=60, server_default="60")
    anonymity_threshold: Mapped[int | None]
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    sites: Mapped[list[Site]] = relationship(
        back_populates="establishment", order_by="Site.name"
    )
    users: Mapped[list[User]] = relationship(back_populates="establishment")

    def phase_on(self, day: date) -> int:
        """The adaptation phase (1–3) the establishment is in on a given day."""
        elapsed = (day - self.go_live).days
        if elapsed < self.phase2_day:
            return 1
        if elapsed < self.phase3_day:
            return 2
        return 3

    def __repr__(self) -> str:
        return f"<Establishment {self.code}>"


class Site(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(sa.ForeignKey("establishment.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[SiteKind] = mapped_column(str_enum(SiteKind))
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    establishment: Mapped[Establishment] = relationship(back_populates="sites")
    sectors: Mapped[list[Sector]] = relationship(back_populates="site", order_by="Sector.name_fr")

    def __repr__(self) -> str:
        return f"<Site {self.name}>"


class Sector(db.Model):
    __table_args__ = (sa.UniqueConstraint("site_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id"))
    # A code shared across sites ("urgence") lets summaries compare the same sector everywhere.
    code: Mapped[str] = mapped_column(sa.String(40), index=True)
    name_fr: Mapped[str] = mapped_column(sa.String(120))
    name_en: Mapped[str] = mapped_column(sa.String(120))
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    site: Mapped[Site] = relationship(back_populates="sectors")

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_fr

    def __repr__(self) -> str:
        return f"<Sector {self.code}@{self.site_id}>"


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    # None: network-wide (sees every establishment).
    establishment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("establishment.id"), index=True
    )
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    locale: Mapped[str] = mapped_column(sa.String(5), default="fr", server_default="fr")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    establishment: Mapped[Establishment | None] = relationship(back_populates="users")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def network_wide(self) -> bool:
        return self.establishment_id is None

    def has_role(self, role: Role) -> bool:
        return self.role.rank >= role.rank

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def get_id(self) -> str:
        """What the session remembers: the id and a fingerprint of the password hash, so that a
        new password signs out every session opened with the old one."""
        return f"{self.id}.{self.session_fingerprint}"

    @property
    def session_fingerprint(self) -> str:
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class LoginSession(db.Model):
    """A signed-in browser, known to the server: signing out ends it here, not only in the
    cookie, so a copy of the cookie is worth nothing afterwards."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # The browser holds the secret (in the signed session cookie); only its hash is stored.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<LoginSession {self.id} user={self.user_id}>"


class Theme(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name_fr: Mapped[str] = mapped_column(sa.String(120))
    name_en: Mapped[str] = mapped_column(sa.String(120))
    description_fr: Mapped[str] = mapped_column(sa.Text, default="")
    description_en: Mapped[str] = mapped_column(sa.Text, default="")
    # Extra words and phrases (one a line) that admins add to the analysis lexicon.
    keywords: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_fr

    def __repr__(self) -> str:
        return f"<Theme {self.code}>"


class Feedback(db.Model):
    """Every text Écho receives, stored only after patient-identifier redaction."""

    __table_args__ = (
        sa.Index("ix_feedback_establishment_created", "establishment_id", "created_at"),
        sa.Index("ix_feedback_establishment_phase", "establishment_id", "phase"),
        sa.Index(
            "ix_feedback_establishment_kind_created", "establishment_id", "kind", "created_at"
        ),
        sa.CheckConstraint("phase BETWEEN 1 AND 3", name="phase_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # What pages, exports, the API and the audit trail show instead of the id: ids follow the
    # order rows were stored in, and would place an anonymous comment between two observations.
    ref: Mapped[str] = mapped_column(sa.String(16), unique=True, index=True, default=new_ref)
    establishment_id: Mapped[int] = mapped_column(sa.ForeignKey("establishment.id"))
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("site.id"))
    sector_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sector.id"), index=True)
    role: Mapped[WriterRole] = mapped_column(str_enum(WriterRole))
    phase: Mapped[int]
    kind: Mapped[FeedbackKind] = mapped_column(str_enum(FeedbackKind))
    # 0 for what came through Écho itself; the import's id for imported rows (each import is
    # cut into anonymity cohorts of its own, see anonymity.py).
    batch: Mapped[int] = mapped_column(default=0, server_default="0")
    # The anonymity cohort an anonymous comment counts in, once its week is cut (None before,
    # and for comments withheld as too few).
    cohort_id: Mapped[int | None] = mapped_column(index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    language: Mapped[str] = mapped_column(sa.String(2))
    polarity: Mapped[float]
    sentiment: Mapped[SentimentLabel] = mapped_column(str_enum(SentimentLabel))
    # Anonymous comments keep only the Monday of their Québec week; observations keep the time.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    campaign_id: Mapped[int | None] = mapped_column(sa.ForeignKey("campaign.id"), index=True)
    # The super-user who logged an observation; never set for survey comments.
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    issue_id: Mapped[int | None] = mapped_column(sa.ForeignKey("issue.id"), index=True)
    # Imports are idempotent through a hash of the row's content.
    content_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)

    establishment: Mapped[Establishment] = relationship()
    site: Mapped[Site | None] = relationship()
    sector: Mapped[Sector | None] = relationship()
    author: Mapped[User | None] = relationship()
    campaign: Mapped[Campaign | None] = relationship(back_populates="comments")
    issue: Mapped[Issue | None] = relationship(back_populates="evidence")
    themes: Mapped[list[FeedbackTheme]] = relationship(
        back_populates="feedback", cascade="all, delete-orphan"
    )
    observation: Mapped[ObservationDetail | None] = relationship(
        back_populates="feedback", cascade="all, delete-orphan"
    )
    cohort: Mapped[Cohort | None] = relationship(
        primaryjoin="foreign(Feedback.cohort_id) == Cohort.id", viewonly=True
    )

    def __repr__(self) -> str:
        return f"<Feedback {self.id} {self.kind}>"


class FeedbackTheme(db.Model):
    feedback_id: Mapped[int] = mapped_column(
        sa.ForeignKey("feedback.id", ondelete="CASCADE"), primary_key=True
    )
    theme_id: Mapped[int] = mapped_column(sa.ForeignKey("theme.id"), primary_key=True, index=True)
    source: Mapped[ThemeSource] = mapped_column(str_enum(ThemeSource), default=ThemeSource.AUTO)
    confidence: Mapped[float] = mapped_column(default=1.0)

    feedback: Mapped[Feedback] = relationship(back_populates="themes")
    theme: Mapped[Theme] = relationship()

    def __repr__(self) -> str:
        return f"<FeedbackTheme {self.feedback_id}:{self.theme_id} {self.source}>"


campaign_sector = sa.Table(
    "campaign_sector",
    db.metadata,
    sa.Column("campaign_id", sa.ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("sector_id", sa.ForeignKey("sector.id"), primary_key=True),
)


class Campaign(db.Model):
    """A survey, open between two dates, answered anonymously through its public link."""

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(sa.ForeignKey("establishment.id"), index=True)
    # The public link's unguessable part.
    slug: Mapped[str] = mapped_column(sa.String(32), unique=True)
    title_fr: Mapped[str] = mapped_column(sa.String(200))
    title_en: Mapped[str] = mapped_column(sa.String(200))
    intro_fr: Mapped[str] = mapped_column(sa.Text, default="")
    intro_en: Mapped[str] = mapped_column(sa.Text, default="")
    opens_on: Mapped[date]
    closes_on: Mapped[date]
    closed: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # The questions, in both languages, as data (see surveys.DEFAULT_INSTRUMENT).
    instrument: Mapped[dict] = mapped_column(sa.JSON)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    establishment: Mapped[Establishment] = relationship()
    sectors: Mapped[list[Sector]] = relationship(secondary=campaign_sector)
    responses: Mapped[list[SurveyResponse]] = relationship(back_populates="campaign")
    comments: Mapped[list[Feedback]] = relationship(back_populates="campaign")

    def title(self, locale: str) -> str:
        return self.title_en if locale == "en" else self.title_fr

    def __repr__(self) -> str:
        return f"<Campaign {self.slug}>"


class SurveyResponse(db.Model):
    """One anonymous answer to a campaign: no account, no IP, no time finer than the day.

    Its id is never shown: ids follow the order of submission.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id"), index=True)
    establishment_id: Mapped[int] = mapped_column(sa.ForeignKey("establishment.id"), index=True)
    sector_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sector.id"))
    role: Mapped[WriterRole] = mapped_column(str_enum(WriterRole))
    phase: Mapped[int]
    submitted_on: Mapped[date]
    recommend: Mapped[int | None]  # 0–10
    # The one-time token of the form, so a double submit records one response.
    submission_token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    comment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("feedback.id", ondelete="SET NULL")
    )
    cohort_id: Mapped[int | None] = mapped_column(index=True)  # see Feedback.cohort_id

    campaign: Mapped[Campaign] = relationship(back_populates="responses")
    answers: Mapped[list[SurveyAnswer]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )
    comment: Mapped[Feedback | None] = relationship()

    def __repr__(self) -> str:
        return f"<SurveyResponse {self.id}>"


class SurveyAnswer(db.Model):
    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("survey_response.id", ondelete="CASCADE"), primary_key=True
    )
    item: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    theme_code: Mapped[str] = mapped_column(sa.String(40))
    value: Mapped[int]  # 1–5 agreement

    response: Mapped[SurveyResponse] = relationship(back_populates="answers")


class FollowUpContact(db.Model):
    """A respondent's optional contact, deliberately not linked to their answers."""

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(sa.ForeignKey("establishment.id"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("campaign.id", ondelete="SET NULL")
    )
    contact: Mapped[str] = mapped_column(sa.String(200))
    created_on: Mapped[date]
    handled: Mapped[bool] = mapped_column(default=False, server_default=sa.false())


class ObservationDetail(db.Model):
    """What a super-user adds to an observation: priority, who was affected, the sync id."""

    feedback_id: Mapped[int] = mapped_column(
        sa.ForeignKey("feedback.id", ondelete="CASCADE"), primary_key=True
    )
    # Generated by the browser, so a retried offline sync never stores a second row.
    client_uuid: Mapped[str] = mapped_column(sa.String(36), unique=True)
    priority: Mapped[Priority | None] = mapped_column(str_enum(Priority, 2))
    affected_role: Mapped[WriterRole | None] = mapped_column(str_enum(WriterRole))

    feedback: Mapped[Feedback] = relationship(back_populates="observation")


issue_theme = sa.Table(
    "issue_theme",
    db.metadata,
    sa.Column("issue_id", sa.ForeignKey("issue.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("theme_id", sa.ForeignKey("theme.id"), primary_key=True),
)


class Issue(db.Model):
    """A problem the command centre tracks until it is resolved, with feedback as evidence."""

    __table_args__ = (sa.Index("ix_issue_establishment_status", "establishment_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(sa.ForeignKey("establishment.id"))
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    sector_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sector.id"))
    priority: Mapped[Priority] = mapped_column(str_enum(Priority, 2))
    status: Mapped[IssueStatus] = mapped_column(str_enum(IssueStatus), default=IssueStatus.NEW)
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    duplicate_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("issue.id"))
    resolution_note: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # First move out of "new": the KPI "priority issues not yet picked up" reads it.
    picked_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    establishment: Mapped[Establishment] = relationship()
    sector: Mapped[Sector | None] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    duplicate_of: Mapped[Issue | None] = relationship(remote_side=[id])
    themes: Mapped[list[Theme]] = relationship(secondary=issue_theme)
    evidence: Mapped[list[Feedback]] = relationship(back_populates="issue")
    history: Mapped[list[IssueStatusChange]] = relationship(
        back_populates="issue", order_by="IssueStatusChange.changed_at",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<Issue {self.id} {self.priority} {self.status}>"


class IssueStatusChange(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(sa.ForeignKey("issue.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[IssueStatus | None] = mapped_column(str_enum(IssueStatus))
    to_status: Mapped[IssueStatus] = mapped_column(str_enum(IssueStatus))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    note: Mapped[str] = mapped_column(sa.Text, default="")

    issue: Mapped[Issue] = relationship(back_populates="history")
    author: Mapped[User | None] = relationship()


learning_theme = sa.Table(
    "learning_theme",
    db.metadata,
    sa.Column("learning_id", sa.ForeignKey("learning.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("theme_id", sa.ForeignKey("theme.id"), primary_key=True),
)
learning_feedback = sa.Table(
    "learning_feedback",
    db.metadata,
    sa.Column("learning_id", sa.ForeignKey("learning.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("feedback_id", sa.ForeignKey("feedback.id", ondelete="CASCADE"), primary_key=True),
)
learning_issue = sa.Table(
    "learning_issue",
    db.metadata,
    sa.Column("learning_id", sa.ForeignKey("learning.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("issue_id", sa.ForeignKey("issue.id", ondelete="CASCADE"), primary_key=True),
)


class Learning(db.Model):
    """What managers learned and changed, published back to staff ("you said, we did")."""

    __table_args__ = (sa.Index("ix_learning_establishment_status", "establishment_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(sa.ForeignKey("establishment.id"))
    title: Mapped[str] = mapped_column(sa.String(200))
    learned: Mapped[str] = mapped_column(sa.Text)
    action: Mapped[str] = mapped_column(sa.Text, default="")
    action_owner: Mapped[str] = mapped_column(sa.String(120), default="")
    action_on: Mapped[date | None]
    phase: Mapped[int | None]
    status: Mapped[LearningStatus] = mapped_column(
        str_enum(LearningStatus), default=LearningStatus.DRAFT
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    establishment: Mapped[Establishment] = relationship()
    author: Mapped[User | None] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=learning_theme)
    feedback: Mapped[list[Feedback]] = relationship(secondary=learning_feedback)
    issues: Mapped[list[Issue]] = relationship(secondary=learning_issue)

    def __repr__(self) -> str:
        return f"<Learning {self.id} {self.status}>"


class ReportNote(db.Model):
    """The narrative a manager saves with a one-month update, per establishment and period."""

    __table_args__ = (sa.UniqueConstraint("establishment_id", "period_start", "period_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(sa.ForeignKey("establishment.id"))
    period_start: Mapped[date]
    period_end: Mapped[date]
    highlights: Mapped[str] = mapped_column(sa.Text, default="")
    success_factors: Mapped[str] = mapped_column(sa.Text, default="")
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    establishment: Mapped[Establishment] = relationship()


class ApiToken(db.Model):
    """A personal API token; only its hash is kept, it acts with its owner's role and scope."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # The first characters, shown in the profile so people can tell their tokens apart.
    prefix: Mapped[str] = mapped_column(sa.String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class ImportMapping(db.Model):
    """The column mapping remembered for a source of imported files."""

    __table_args__ = (sa.UniqueConstraint("establishment_id", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("establishment.id"))
    source: Mapped[str] = mapped_column(sa.String(120))
    mapping: Mapped[dict] = mapped_column(sa.JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ImportJobStatus(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ImportJob(db.Model):
    """One run of an import, so a large file shows its progress and its outcome."""

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("establishment.id"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    filename: Mapped[str] = mapped_column(sa.String(255))
    status: Mapped[ImportJobStatus] = mapped_column(
        str_enum(ImportJobStatus), default=ImportJobStatus.PENDING
    )
    valid_only: Mapped[bool] = mapped_column(default=False)
    total_rows: Mapped[int] = mapped_column(default=0)
    processed_rows: Mapped[int] = mapped_column(default=0)
    imported: Mapped[int] = mapped_column(default=0)
    duplicates: Mapped[int] = mapped_column(default=0)
    rejected: Mapped[int] = mapped_column(default=0)
    # The rejected rows with their reasons (line, reason), for the downloadable CSV.
    report: Mapped[dict | None] = mapped_column(sa.JSON)
    error: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PasswordReset(db.Model):
    """A one-time password-reset link: expiring, single use, only its hash stored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class AuditEntry(db.Model):
    """Append-only: who did what and when. Never holds feedback text or survey answers."""

    __table_args__ = (sa.Index("ix_audit_entry_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    # Kept as written at the time, so the trail still reads after an account is renamed.
    actor_email: Mapped[str] = mapped_column(sa.String(254), default="")
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    establishment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("establishment.id"), index=True
    )
    target_type: Mapped[str] = mapped_column(sa.String(40), default="")
    target_id: Mapped[str] = mapped_column(sa.String(40), default="")
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    actor: Mapped[User | None] = relationship()


class Incident(db.Model):
    """The confidentiality-incident register that Québec's Law 25 requires."""

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("establishment.id"))
    occurred_on: Mapped[date | None]
    discovered_on: Mapped[date]
    description: Mapped[str] = mapped_column(sa.Text)
    information_kinds: Mapped[str] = mapped_column(sa.Text, default="")
    people_affected: Mapped[int | None]
    risk_assessment: Mapped[str] = mapped_column(sa.Text, default="")
    serious_risk: Mapped[bool] = mapped_column(default=False)
    cai_notified_on: Mapped[date | None]  # Commission d'accès à l'information
    people_notified_on: Mapped[date | None]
    measures: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    establishment: Mapped[Establishment | None] = relationship()


# --- Summary tables (issue 6): kept in step with every write by feedback.rollups ------------


class FeedbackRollup(db.Model):
    """Feedback counted per establishment, Québec week and every dimension the summaries use.

    `theme_id` 0 counts each feedback once; any other value counts the feedback carrying that
    theme. `sector_id` 0 stands for "no sector". A cache of `feedback` and `feedback_theme`:
    `flask rebuild-summaries` recomputes it from them at any time.
    """

    __table_args__ = {"sqlite_with_rowid": False}  # rows stored in key order: range scans

    establishment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("establishment.id"), primary_key=True
    )
    week: Mapped[date] = mapped_column(primary_key=True)  # the Monday, in Québec
    phase: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    sector_id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    cohort_id: Mapped[int] = mapped_column(primary_key=True)  # 0: none (yet)
    theme_id: Mapped[int] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(default=0)
    negative: Mapped[int] = mapped_column(default=0)
    neutral: Mapped[int] = mapped_column(default=0)
    positive: Mapped[int] = mapped_column(default=0)
    polarity_sum: Mapped[float] = mapped_column(default=0.0)

    def __repr__(self) -> str:
        return (f"<FeedbackRollup {self.establishment_id} {self.week} theme={self.theme_id} "
                f"n={self.n}>")


class ResponseRollup(db.Model):
    """Survey responses and answers counted per establishment, Québec week and dimension.

    `item` "" counts the responses themselves (and their 0–10 recommend score); any other value
    counts the answers to that 1–5 item. A cache of `survey_response` and `survey_answer`.
    """

    __table_args__ = {"sqlite_with_rowid": False}

    establishment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("establishment.id"), primary_key=True
    )
    week: Mapped[date] = mapped_column(primary_key=True)
    phase: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    sector_id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(primary_key=True)  # 0: none (yet)
    item: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    n: Mapped[int] = mapped_column(default=0)  # responses, or answers to the item
    scored: Mapped[int] = mapped_column(default=0)  # of which with a value (recommend is optional)
    total: Mapped[int] = mapped_column(default=0)  # sum of the values
    v1: Mapped[int] = mapped_column(default=0)
    v2: Mapped[int] = mapped_column(default=0)
    v3: Mapped[int] = mapped_column(default=0)
    v4: Mapped[int] = mapped_column(default=0)
    v5: Mapped[int] = mapped_column(default=0)
    promoters: Mapped[int] = mapped_column(default=0)  # recommend 9–10
    passives: Mapped[int] = mapped_column(default=0)  # 7–8
    detractors: Mapped[int] = mapped_column(default=0)  # 0–6

    def __repr__(self) -> str:
        return f"<ResponseRollup {self.establishment_id} {self.week} {self.item!r} n={self.n}>"


class CohortPublication(db.Model):
    """One unit of anonymous answers (establishment, week, kind, source) cut into cohorts."""

    establishment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("establishment.id"), primary_key=True
    )
    week: Mapped[date] = mapped_column(primary_key=True)
    unit: Mapped[str] = mapped_column(sa.String(10), primary_key=True)  # comment, response
    kind: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    batch: Mapped[int] = mapped_column(primary_key=True)  # 0, or the import's id
    threshold: Mapped[int]
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<CohortPublication {self.establishment_id} {self.week} {self.unit}>"


class Cohort(db.Model):
    """A fixed group of at least k anonymous answers: the only unit survey figures sum.

    Each column after `level` holds what all its answers share, or None where they differ
    (`sector_id` 0: no sector given). See anonymity.py.
    """

    __table_args__ = (
        sa.Index("ix_cohort_establishment_week", "establishment_id", "unit", "week"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(sa.ForeignKey("establishment.id"))
    week: Mapped[date]
    unit: Mapped[str] = mapped_column(sa.String(10))
    kind: Mapped[str] = mapped_column(sa.String(20))
    batch: Mapped[int]
    level: Mapped[int]
    phase: Mapped[int | None]
    role: Mapped[str | None] = mapped_column(sa.String(20))
    role_group: Mapped[str | None] = mapped_column(sa.String(20))
    sector_id: Mapped[int | None]
    campaign_id: Mapped[int | None]
    threshold: Mapped[int]
    n: Mapped[int]  # answers in the cohort
    scored: Mapped[int] = mapped_column(default=0)  # responses with a recommend score

    def __repr__(self) -> str:
        return f"<Cohort {self.id} {self.unit} {self.week} n={self.n}>"


class CohortItem(db.Model):
    """How many responses of a cohort answered each survey item."""

    cohort_id: Mapped[int] = mapped_column(
        sa.ForeignKey("cohort.id", ondelete="CASCADE"), primary_key=True
    )
    item: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    n: Mapped[int]
