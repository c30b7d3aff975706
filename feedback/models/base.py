"""What every table builds on: aware UTC times, enums stored by value, public references."""

from __future__ import annotations

import enum
import secrets
from datetime import UTC, datetime

import sqlalchemy as sa


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


# Each random byte read as one of the 32 letters: uniform, as 256 is a multiple of 32.
_REF_OF_BYTE = bytes(ord(_REF_LETTERS[byte % 32]) for byte in range(256))


def new_ref() -> str:
    """A feedback's public reference: random, so it says nothing of when the row was stored."""
    # Twelve random bytes in one call, not twelve calls: an import makes 100,000 references
    # (2 µs each instead of 20).
    return secrets.token_bytes(12).translate(_REF_OF_BYTE).decode("ascii")


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


class ImportJobStatus(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ExportJobStatus(enum.StrEnum):
    RUNNING = "running"  # queued, or being written
    DONE = "done"
    FAILED = "failed"
    EXPIRED = "expired"  # its file deleted
