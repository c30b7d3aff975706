"""What the EHR itself says of its adoption, per establishment and week, imported by an admin."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from feedback.clock import utcnow
from feedback.extensions import db
from feedback.models.base import UTCDateTime


class AdoptionWeek(db.Model):
    """One establishment's adoption indicators for one Québec week (Monday to Sunday).

    Every indicator is optional: a source may not report all of them. A new import of the same
    week replaces the row.
    """

    establishment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("establishment.id"), primary_key=True
    )
    week: Mapped[date] = mapped_column(primary_key=True)  # the Monday
    users_connected: Mapped[int | None]
    users_total: Mapped[int | None]
    physician_order_share: Mapped[float | None]  # 0 to 1
    secure_chats_per_day: Mapped[float | None]
    tickets_received: Mapped[int | None]
    tickets_resolved: Mapped[int | None]
    source: Mapped[str] = mapped_column(sa.String(255), default="")
    imported_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def connected_share(self) -> float | None:
        if self.users_connected is None or not self.users_total:
            return None
        return self.users_connected / self.users_total

    def __repr__(self) -> str:
        return f"<AdoptionWeek {self.establishment_id} {self.week}>"
