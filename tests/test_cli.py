"""Commands: create-user explains bad input and writes nothing."""

import pytest
from sqlalchemy import func, select

from feedback.extensions import db
from feedback.models import Role, User


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_create_user_with_establishment(app, runner, make_establishment):
    make_establishment("MCQ")
    result = runner.invoke(args=["create-user", "Julie@Example.org", "--name", "Julie Roy",
                                 "--role", "manager", "--establishment", "mcq",
                                 "--password", "une-phrase-longue-et-rare"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User))
        assert (user.email, user.role, user.establishment.code) == ("julie@example.org",
                                                                    Role.MANAGER, "MCQ")
        assert user.check_password("une-phrase-longue-et-rare")


def test_create_user_prompts_for_the_password_twice(app, runner):
    result = runner.invoke(args=["create-user", "admin@example.org", "--name", "Admin",
                                 "--role", "admin"],
                           input="une-phrase-longue-et-rare\nune-phrase-longue-et-rare\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(User.establishment_id)) is None  # network-wide


def test_create_user_with_unknown_establishment_writes_nothing(app, runner, make_establishment):
    make_establishment("MCQ")
    result = runner.invoke(args=["create-user", "x@example.org", "--name", "X", "--role",
                                 "manager", "--establishment", "ZZZ",
                                 "--password", "une-phrase-longue-et-rare"])
    assert result.exit_code != 0
    assert "Unknown establishment 'ZZZ'" in result.output and "MCQ" in result.output
    assert count(app, User) == 0


@pytest.mark.parametrize(
    ("password", "message"),
    [("court", "au moins 10 caractères"), ("motdepasse123", "trop courant"),
     ("aaaaaaaaaaaa", "trop courant")],
)
def test_create_user_with_weak_password_explains_and_writes_nothing(app, runner, password, message):
    result = runner.invoke(args=["create-user", "x@example.org", "--name", "X", "--role", "admin",
                                 "--password", password])
    assert result.exit_code == 1
    assert message in result.output
    assert count(app, User) == 0


def test_create_user_refuses_a_taken_email(app, runner, make_user):
    make_user(email="pris@example.org")
    result = runner.invoke(args=["create-user", "PRIS@example.org", "--name", "X", "--role",
                                 "admin", "--password", "une-phrase-longue-et-rare"])
    assert result.exit_code == 1
    assert "existe déjà" in result.output
    assert count(app, User) == 1
