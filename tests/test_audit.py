"""The audit trail holds who did what, never free text."""

import pytest

from feedback import audit
from feedback.extensions import db
from feedback.models import AuditEntry, Role, User


def test_record_keeps_actor_target_and_details(app, make_user, make_establishment):
    establishment = make_establishment()
    with app.app_context():
        user = db.session.get(User, make_user(Role.ADMIN).id)
        audit.record("establishment.edit", actor=user, establishment_id=establishment.id,
                     target=user, field="go_live")
        db.session.commit()
        entry = db.session.scalar(db.select(AuditEntry))
        assert (entry.action, entry.actor_email, entry.target_type, entry.target_id) == (
            "establishment.edit", user.email, "user", str(user.id))
        assert entry.details == {"field": "go_live"}
        assert entry.at.tzinfo is not None


@pytest.mark.parametrize("value", ["x" * 121, ["a list"], {"a": "dict"}])
def test_record_refuses_free_text_and_structures(app, value):
    with app.app_context(), pytest.raises((TypeError, ValueError)):
        audit.record("feedback.retheme", actor=None, comment=value)
