"""One role decorator and one establishment scope decide who sees what."""

import pytest
from flask import Blueprint
from sqlalchemy import select

from feedback.access import get_scoped_or_404, role_required, scoped
from feedback.extensions import db
from feedback.models import Establishment, Role, Site

pytestmark = pytest.mark.own_app  # the probe routes are added to the app


@pytest.fixture
def probe_app(app):
    """The app with a few routes that exercise the access helpers the real views use."""
    probe = Blueprint("probe", __name__)

    for role in Role:
        probe.add_url_rule(f"/probe/{role.value}", f"needs_{role.value}",
                           role_required(role)(lambda role=role: f"ok {role.value}"))

    @probe.route("/probe/site/<int:site_id>")
    @role_required(Role.SUPER_USER)
    def site(site_id):
        return get_scoped_or_404(Site, site_id).name

    @probe.route("/probe/establishments")
    @role_required(Role.SUPER_USER)
    def establishments():
        stmt = scoped(select(Establishment.code), Establishment.id).order_by(Establishment.code)
        return ",".join(db.session.scalars(stmt))

    app.register_blueprint(probe)
    return app


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.SUPER_USER, {"super_user"}),
        (Role.MANAGER, {"super_user", "manager"}),
        (Role.ADMIN, {"super_user", "manager", "admin"}),
    ],
)
def test_role_required_lets_each_role_reach_its_level_and_below(
    probe_app, auth, client, make_establishment, make_user, role, allowed
):
    user = make_user(role, make_establishment())
    auth.login(user.email)
    for needed in Role:
        status = client.get(f"/probe/{needed.value}").status_code
        assert status == (200 if needed.value in allowed else 403), (role, needed)


def test_role_required_sends_anonymous_visitors_to_login(probe_app, client):
    response = client.get("/probe/super_user")
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]


def test_an_object_of_another_establishment_is_404(probe_app, auth, client, make_establishment,
                                                  make_user):
    a, b = make_establishment("A"), make_establishment("B")
    with probe_app.app_context():
        site_a, site_b = (db.session.scalar(select(Site.id).where(Site.establishment_id == e.id))
                          for e in (a, b))
    auth.login(make_user(Role.MANAGER, a).email)
    assert client.get(f"/probe/site/{site_a}").status_code == 200
    assert client.get(f"/probe/site/{site_b}").status_code == 404
    assert client.get("/probe/site/999999").status_code == 404
    assert client.get("/probe/establishments").text == "A"


def test_network_wide_users_see_every_establishment(probe_app, auth, client, make_establishment,
                                                    make_user):
    make_establishment("A")
    b = make_establishment("B")
    with probe_app.app_context():
        site_b = db.session.scalar(select(Site.id).where(Site.establishment_id == b.id))
    auth.login(make_user(Role.ADMIN, None).email)
    assert client.get(f"/probe/site/{site_b}").status_code == 200
    assert client.get("/probe/establishments").text == "A,B"
