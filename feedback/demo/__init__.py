"""Demo data: the two showcase establishments of the DSN one-month update, in their first months."""

import random

from sqlalchemy import select

from feedback.demo.adoption import create_adoption
from feedback.demo.command_centre import create_issues
from feedback.demo.managers import (
    create_learnings,
    create_report_notes,
    create_surveys,
)
from feedback.demo.world import (
    DEMO_PASSWORD,
    ESTABLISHMENTS,
    create_establishment,
    create_feedback,
    create_privacy_examples,
    create_users,
    demo_logins,
    keep_weeks_only,
)
from feedback.extensions import db
from feedback.models import Establishment

__all__ = ["DEMO_PASSWORD", "demo_logins", "seed_demo"]


def seed_demo(seed: int = 2026) -> list[str]:
    """Create what is missing of the demo; return the codes of the establishments created.

    Idempotent: an establishment that already exists is left as it is, and so are its users.
    """
    created = [
        (spec, create_establishment(spec))
        for spec in ESTABLISHMENTS
        if db.session.scalar(select(Establishment).where(Establishment.code == spec.code)) is None
    ]
    create_users()  # before feedback: observations need their super-user as author
    create_privacy_examples()
    for spec, establishment in created:
        create_feedback(random.Random(f"{seed}-{spec.code}"), establishment, spec.feedback_count)
    for spec in ESTABLISHMENTS:
        create_issues(random.Random(f"{seed}-{spec.code}-issues"), spec.code)
        create_surveys(random.Random(f"{seed}-{spec.code}-surveys"), spec.code)
        create_learnings(spec.code)
        create_report_notes(spec.code)
        create_adoption(random.Random(f"{seed}-{spec.code}-adoption"), spec.code)
    keep_weeks_only()
    return [spec.code for spec, _ in created]

