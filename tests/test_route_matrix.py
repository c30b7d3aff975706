"""Every route × every role: the status each one must get (OWASP ASVS level 2, access control).

Roles: anonymous, a super-user of establishment A, a manager of A, a manager of B, and a
network admin. Every object a URL names belongs to A, in a fresh world for each cell, so a POST
that deletes or deactivates cannot change the next cell. GET routes are requested with GET, the
others with an empty POST (CSRF is checked in tests/test_security.py). "302L" is a redirect to the
sign-in page. A route with no entry here fails the test: new routes must be given their row.
"""

import pytest
from flask import url_for
from security_world import ROLES, build_world

from feedback import accounts
from feedback.clock import utcnow
from feedback.extensions import db
from feedback.web import SESSION_KEY

# endpoint: expected status for anonymous, super-user A, manager A, manager B, admin
MATRIX = {
    # Public pages.
    "main.healthz": "200 200 200 200 200",
    "main.set_language": "302 302 302 302 302",
    "auth.login": "200 302 302 302 302",
    "auth.logout": "302L 302L 302L 302L 302L",
    # Single sign-on: refused (no sign-in under way, a provider not working) back to the sign-in
    # page; a signed-in person is sent home.
    "auth.sso_start": "302L 302 302 302 302",
    "auth.sso_callback": "302L 302 302 302 302",
    "auth.sso_request_access": "302L 302 302 302 302",
    "privacy.notice": "200 200 200 200 200",
    "surveys.answer": "200 200 200 200 200",
    "surveys.thanks": "200 200 200 200 200",
    "surveys.pulse": "302 302 302 302 302",
    "surveys.kiosk": "200 200 200 200 200",
    "surveys.kiosk_thanks": "200 200 200 200 200",
    "learnings.public": "200 200 200 200 200",
    "account.request_reset": "200 200 200 200 200",
    "account.reset": "404 404 404 404 404",  # not a valid link
    "observations.service_worker": "200 200 200 200 200",
    "api.v1.openapi_document": "200 200 200 200 200",
    "api.v1.docs": "200 200 200 200 200",
    # Any signed-in account.
    "main.home": "302L 200 200 200 200",
    "account.profile": "302L 200 200 200 200",
    "account.change_language": "302L 422 422 422 422",  # empty form: refused, explained
    "account.change_password": "302L 422 422 422 422",
    "account.end_sessions": "302L 302L 302L 302L 302L",  # signs out (CSRF is off here)
    "account.new_token": "302L 200 200 200 200",
    "account.revoke_token": "302L 404 302 404 404",  # only its owner (manager A) sees the token
    "observations.new": "302L 200 200 200 200",
    "observations.index": "302L 200 200 200 200",
    "observations.today": "302L 200 200 200 200",
    # One's own observations only: the super-user's is already an issue (302), others' are 404.
    "observations.issue_request": "302L 302 404 404 404",
    "observations.token": "401 200 200 200 200",
    "observations.sync": "401 400 400 400 400",  # JSON endpoints: empty body refused
    "observations.themes": "401 400 400 400 400",
    # The API authenticates by token only: a browser session opens nothing.
    "api.v1.me": "401 401 401 401 401",
    "api.v1.list_establishments": "401 401 401 401 401",
    "api.v1.list_feedback": "401 401 401 401 401",
    "api.v1.get_feedback": "401 401 401 401 401",
    "api.v1.create_observation": "401 401 401 401 401",
    "api.v1.summary": "401 401 401 401 401",
    "api.v1.issue_kpis": "401 401 401 401 401",
    "api.v1.list_learnings": "401 401 401 401 401",
    # Managers: lists are scoped to their establishment; objects of A, and pages asked for
    # establishment A (every URL here names it), are 404 for B's manager.
    "surveys.campaigns": "302L 403 200 200 200",
    "surveys.new_campaign": "302L 403 200 200 200",
    "surveys.edit_campaign": "302L 403 200 404 200",
    "surveys.questions": "302L 403 200 404 200",
    "surveys.poster": "302L 403 200 404 200",
    "surveys.qr_png": "302L 403 200 404 200",
    "surveys.close": "302L 403 302 404 302",
    "surveys.reopen": "302L 403 302 404 302",
    "surveys.duplicate": "302L 403 302 404 302",
    "surveys.participation": "302L 403 200 404 200",
    "dashboard.pulse_comparison": "302L 403 200 404 200",
    "dashboard.themes_index": "302L 403 200 404 200",
    "dashboard.theme_digest": "302L 403 404 404 404",  # the matrix's theme is not a code
    "dashboard.propose_learning": "302L 403 404 404 404",
    "surveys.create_pulse": "302L 403 302 404 302",  # not due: back to the list, saying so
    "surveys.headcounts": "302L 403 403 403 200",
    "surveys.schedule_edit": "302L 403 403 403 200",
    "issues.index": "302L 403 200 200 200",
    "issues.board": "302L 403 200 200 200",
    "issues.settings": "302L 403 200 200 200",  # a manager always gets their own
    "notifications.preferences": "302L 403 200 200 200",
    "issues.new": "302L 403 200 200 200",
    "issues.show": "302L 403 200 404 200",
    "issues.edit": "302L 403 200 404 200",
    "issues.change_status": "302L 403 200 404 200",  # empty form: shown again with errors
    "issues.attach": "302L 403 400 404 400",
    "issues.detach": "302L 403 400 404 400",
    "dashboard.summary": "302L 403 200 404 200",
    "dashboard.compare": "302L 403 200 200 200",
    "dashboard.feedback": "302L 403 200 404 200",
    "dashboard.retheme": "302L 403 200 404 200",
    "dashboard.report": "302L 403 200 404 200",
    "dashboard.drivers": "302L 403 200 404 200",
    "dashboard.perception_view": "302L 403 200 404 200",
    # A GET asks for nothing (the PDF is a POST that queues a job): back to the report.
    "dashboard.report_pdf": "302L 403 302 404 302",
    "dashboard.report_notes": "302L 403 302 404 302",
    "dashboard.export_feedback": "302L 403 200 404 200",
    "dashboard.export_summary": "302L 403 200 404 200",
    # A large export is prepared by the job queue, then offered to the person who asked alone
    # (manager A here): anyone else, the network admin included, gets 404.
    "dashboard.prepare_export": "302L 403 302 404 302",
    "dashboard.export_job": "302L 403 200 404 404",
    "dashboard.export_file": "302L 403 200 404 404",
    "learnings.index": "302L 403 200 404 200",
    "learnings.new": "302L 403 200 404 200",
    "learnings.show": "302L 403 200 404 200",
    "learnings.edit": "302L 403 200 404 200",
    "learnings.publish": "302L 403 302 404 302",
    "learnings.unpublish": "302L 403 302 404 302",
    "imports.index": "302L 403 200 200 200",
    "imports.show": "302L 403 302 404 302",  # a new job goes on to its mapping
    "imports.status": "302L 403 200 404 200",
    "imports.rejected": "302L 403 200 404 200",
    "imports.mapping": "302L 403 200 404 200",
    "imports.check": "302L 403 302 404 302",
    "imports.run": "302L 403 302 404 302",
    "imports.cancel": "302L 403 302 404 302",
    "privacy.contacts": "302L 403 200 200 200",
    "privacy.contact_handled": "302L 403 302 404 302",
    "privacy.contact_delete": "302L 403 302 404 302",
    # Administration: network admins (admins of an establishment: see tests/test_admin.py).
    "admin.index": "302L 403 403 403 200",
    "admin.settings": "302L 403 403 403 200",
    "admin.audit_trail": "302L 403 403 403 200",
    "admin.audit_export": "302L 403 403 403 200",
    "admin.establishments": "302L 403 403 403 200",
    "admin.establishment": "302L 403 403 403 200",
    "admin.establishment_new": "302L 403 403 403 200",
    "admin.establishment_edit": "302L 403 403 403 200",
    "admin.establishment_activation": "302L 403 403 403 302",
    "admin.site_new": "302L 403 403 403 200",
    "admin.site_edit": "302L 403 403 403 200",
    "admin.site_activation": "302L 403 403 403 302",
    "admin.site_delete": "302L 403 403 403 302",
    "admin.sector_new": "302L 403 403 403 200",
    "admin.sector_edit": "302L 403 403 403 200",
    "admin.sector_activation": "302L 403 403 403 302",
    "admin.sector_delete": "302L 403 403 403 302",
    "admin.people": "302L 403 403 403 200",
    "admin.person_new": "302L 403 403 403 200",
    "admin.person_edit": "302L 403 403 403 200",
    "admin.person_activation": "302L 403 403 403 302",
    "admin.person_untie": "302L 403 403 403 302",
    "admin.person_reset_link": "302L 403 403 403 200",  # no SMTP: the link is shown
    "admin.themes": "302L 403 403 403 200",
    "admin.theme_new": "302L 403 403 403 200",
    "admin.theme_edit": "302L 403 403 403 200",
    "admin.theme_activation": "302L 403 403 403 302",
    "admin.theme_run": "302L 403 403 403 302",
    "admin.incidents": "302L 403 403 403 200",
    "admin.incident_new": "302L 403 403 403 200",
    "admin.incident_edit": "302L 403 403 403 200",
    "admin.incident_delete": "302L 403 403 403 302",
    "admin.sso_providers": "302L 403 403 403 200",
    "admin.sso_provider_new": "302L 403 403 403 200",
    "admin.sso_provider_edit": "302L 403 403 403 200",
    "admin.sso_provider_delete": "302L 403 403 403 302",
    "admin.adoption_upload": "302L 403 403 403 200",
    "admin.adoption_template": "302L 403 403 403 200",
}


def routes(app) -> list:
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint != "static"),
                  key=lambda r: r.endpoint)


def test_every_route_has_its_row(app):
    endpoints = {rule.endpoint for rule in routes(app)}
    assert endpoints - MATRIX.keys() == set(), "give these new routes their row in MATRIX"
    assert MATRIX.keys() - endpoints == set(), "these rows name routes that no longer exist"


def _url(app, rule, params) -> str:
    values = {}
    for argument in rule.arguments - set(rule.defaults or ()):
        converter = rule._converters[argument]
        values[argument] = (sorted(converter.items)[0] if argument == "verb"
                            else params[argument])
    with app.test_request_context():
        # Network-wide users say which establishment they look at; others ignore it.
        return url_for(rule.endpoint, **values, establishment=params["establishment_id"])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_route_answers_each_role_as_expected(app, endpoint, role):
    expected = MATRIX[endpoint].split()[ROLES.index(role)]
    with app.app_context():
        world = build_world()
        session_id = secret = None
        if role != "anonymous":
            user = world.users[role]
            session_id, secret = user.get_id(), accounts.open_session(user, utcnow())
            db.session.commit()
    rule = next(r for r in routes(app) if r.endpoint == endpoint)
    client = app.test_client()
    if session_id:
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = session_id, True
            session[SESSION_KEY] = secret
    method = "GET" if "GET" in rule.methods else "POST"
    with client.open(_url(app, rule, world.params), method=method) as response:
        status = str(response.status_code)
        if response.status_code == 302 and "/login" in response.headers["Location"]:
            status = "302L"
    assert status == expected, f"{method} {endpoint} as {role}"
