"""Establishments, their sites and sectors, and the people who sign in (with what they hold)."""

from __future__ import annotations

import hashlib
from datetime import date, datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from feedback.clock import utcnow
from feedback.extensions import db
from feedback.labels import place_label
from feedback.models.base import Role, SiteKind, UTCDateTime, str_enum


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
    # The measurement pulses: days after go-live ("7,30,90"), then one every so many months.
    pulse_days: Mapped[str] = mapped_column(sa.String(100), default="7,30,90",
                                            server_default="7,30,90")
    pulse_every_months: Mapped[int] = mapped_column(default=6, server_default="6")

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
    # Staff a survey of this sector reaches, for response rates (None: not known).
    headcount: Mapped[int | None]

    site: Mapped[Site] = relationship(back_populates="sectors")

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_fr

    def label(self, locale: str) -> str:
        return place_label(self.name(locale), self.site.name)

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


class IdentityProvider(db.Model):
    """An OpenID Connect provider people sign in through: the network's (no establishment) or
    one establishment's. The client secret is kept encrypted (see accounts.sso)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique: one provider per establishment; the network's is the one row without any.
    establishment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("establishment.id"), unique=True)
    # What the sign-in button says, e.g. "CIUSSS du Centre-Sud".
    name: Mapped[str] = mapped_column(sa.String(120))
    issuer: Mapped[str] = mapped_column(sa.String(500))
    client_id: Mapped[str] = mapped_column(sa.String(255))
    client_secret_encrypted: Mapped[str] = mapped_column(sa.Text)
    # The ID-token claim holding the person's e-mail, and the one saying it is verified.
    email_claim: Mapped[str] = mapped_column(sa.String(64), default="email")
    verified_claim: Mapped[str] = mapped_column(sa.String(64), default="email_verified")
    enabled: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    establishment: Mapped[Establishment | None] = relationship()

    def __repr__(self) -> str:
        return f"<IdentityProvider {self.issuer} establishment={self.establishment_id}>"


class ExternalIdentity(db.Model):
    """Who a provider says a person is (its issuer and subject), tied to an account at the first
    sign-in. Later sign-ins are matched by it, not by e-mail: an address reassigned to someone
    else at the provider does not open the former holder's account."""

    __table_args__ = (sa.UniqueConstraint("issuer", "subject"),
                      sa.UniqueConstraint("user_id", "issuer"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    issuer: Mapped[str] = mapped_column(sa.String(500))
    subject: Mapped[str] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<ExternalIdentity user={self.user_id} {self.issuer}>"


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
