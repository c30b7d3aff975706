"""The EHR's weekly adoption indicators of the demo, as an admin would import them: users
connected and physicians' orders climbing over the first hundred days, support tickets falling
after the go-live rush (the operations side recovers quickly; the perception, in the survey,
more slowly)."""

import math
import random
from datetime import timedelta

from sqlalchemy import select

from feedback.demo.world import DAYS
from feedback.extensions import db
from feedback.models import AdoptionWeek, Establishment

_USERS = {"MCQ": 5120, "NIM": 6340}


def create_adoption(rng: random.Random, code: str) -> None:
    """Weekly indicators from the go-live week on, for an establishment that has none yet."""
    establishment = db.session.scalar(select(Establishment).where(Establishment.code == code))
    if establishment is None or db.session.scalar(select(AdoptionWeek.week).where(
            AdoptionWeek.establishment_id == establishment.id).limit(1)) is not None:
        return
    total = _USERS.get(code, 4000)
    first = establishment.go_live - timedelta(days=establishment.go_live.weekday())
    weeks = (DAYS + establishment.go_live.weekday()) // 7 + 1
    for n in range(weeks):
        rise = 1 / (1 + math.exp(-(n - 3) / 1.6))  # most of the climb in the first month
        connected = 0.52 + 0.40 * rise + rng.uniform(-0.015, 0.015)
        received = round(260 + 820 * math.exp(-n / 2.2) + rng.uniform(-25, 25))
        db.session.add(AdoptionWeek(
            establishment_id=establishment.id, week=first + timedelta(weeks=n),
            users_connected=round(total * connected), users_total=total,
            physician_order_share=round(0.41 + 0.39 * rise + rng.uniform(-0.02, 0.02), 3),
            secure_chats_per_day=round(350 + 1500 * rise + rng.uniform(-40, 40)),
            tickets_received=received,
            tickets_resolved=round(received * (0.78 + 0.2 * rise) + rng.uniform(-10, 10)),
            source="demo",
        ))
    db.session.flush()
