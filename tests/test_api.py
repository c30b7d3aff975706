"""The JSON API: tokens, scoping, validation, pagination, the anonymity threshold, errors."""

import hashlib
import html
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from feedback import insights
from feedback.accounts import tokens
from feedback.clock import local_today, utcnow
from feedback.extensions import db
from feedback.imports import mapping as import_mapping
from feedback.imports import reading as import_reading
from feedback.imports import running as import_runs
from feedback.insights import anonymity
from feedback.models import (
    ApiToken,
    AuditEntry,
    Establishment,
    Feedback,
    Learning,
    LearningStatus,
    Role,
    Sector,
    Site,
    User,
)


@pytest.fixture
def make_token(app):
    """A token for a user; returns its secret (what a client sends)."""

    def make(user: User, name: str = "Power BI") -> str:
        with app.app_context():
            _token, secret = tokens.issue_token(db.session.get(User, user.id), name,
                                                    now=utcnow())
            db.session.commit()
        return secret

    return make


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def sector_of(app, establishment, code="urgence") -> int:
    with app.app_context():
        return db.session.scalar(select(Sector.id).join(Site).where(
            Site.establishment_id == establishment.id, Sector.code == code))


def observe(client, secret, sector_id, text="Le lecteur de bracelets ne répond plus.", **extra):
    body = {"text": text, "sector_id": sector_id, "affected_role": "nurse", **extra}
    return client.post("/api/v1/feedback", json=body, headers=bearer(secret))


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert body["status"] == status
    assert body["type"].startswith("/api/v1/docs#problem-")
    assert body["title"] and body["detail"]
    return body


# --- Authentication -------------------------------------------------------------------------------

def test_missing_wrong_and_revoked_tokens_are_401(app, client, make_establishment, make_user,
                                                  make_token):
    user = make_user(Role.MANAGER, make_establishment("MCQ"))
    secret = make_token(user)
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200

    body = assert_problem(client.get("/api/v1/me"), 401)
    assert "Bearer" in body["detail"]
    assert client.get("/api/v1/me").headers["WWW-Authenticate"].startswith("Bearer")
    assert_problem(client.get("/api/v1/me", headers={"Authorization": f"Basic {secret}"}), 401)
    wrong = secret[:-4] + ("aaaa" if not secret.endswith("aaaa") else "bbbb")
    response = client.get("/api/v1/me", headers=bearer(wrong))
    assert_problem(response, 401)
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]

    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        tokens.revoke_token(token, actor=token.user, now=utcnow())
        db.session.commit()
    assert_problem(client.get("/api/v1/me", headers=bearer(secret)), 401)


def test_a_deactivated_owner_disables_the_token(app, client, make_establishment, make_user,
                                                make_token):
    user = make_user(Role.MANAGER, make_establishment("MCQ"))
    secret = make_token(user)
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    assert_problem(client.get("/api/v1/me", headers=bearer(secret)), 401)


def test_the_session_cookie_never_opens_the_api(app, client, auth, make_establishment,
                                                make_user):
    user = make_user(Role.MANAGER, make_establishment("MCQ"))
    auth.login(user.email)
    assert client.get("/account").status_code == 200  # signed in for the pages...
    assert_problem(client.get("/api/v1/me"), 401)  # ...but not for the API


def test_tokens_are_stored_hashed_and_remember_their_last_use(app, client, make_establishment,
                                                              make_user, make_token):
    user = make_user(Role.MANAGER, make_establishment("MCQ"))
    secret = make_token(user)
    assert secret.startswith("echo_") and len(secret) > 40
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
        assert token.prefix == secret[:12] and secret not in (token.name, token.prefix)
        assert token.last_used_at is None
    client.get("/api/v1/me", headers=bearer(secret))
    with app.app_context():
        assert db.session.scalar(select(ApiToken.last_used_at)) is not None


def test_the_api_needs_no_csrf_token_but_the_token_pages_do(app, client, auth,
                                                            make_establishment, make_user,
                                                            make_token):
    establishment = make_establishment("MCQ")
    user = make_user(Role.SUPER_USER, establishment)
    secret = make_token(user)
    app.config["WTF_CSRF_ENABLED"] = True
    assert observe(client, secret, sector_of(app, establishment)).status_code == 201
    auth.login(user.email)  # sign-in itself needs the token of its form here
    response = client.post("/account/tokens/new", data={"name": "Sans jeton CSRF"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(ApiToken.id))) == 1


# --- Tokens in the profile ------------------------------------------------------------------------

def test_creating_a_token_shows_it_once_and_revoking_closes_the_api(
        app, client, auth, make_establishment, make_user):
    user = make_user(Role.SUPER_USER, make_establishment("MCQ"))
    auth.login(user.email)
    profile = html.unescape(client.get("/account").text)
    assert "Jetons d'API" in profile and "Aucun jeton actif." in profile

    page = client.post("/account/tokens/new", data={"name": ""})
    assert page.status_code == 422 and "Nommez le jeton" in html.unescape(page.text)
    page = client.post("/account/tokens/new", data={"name": "Tableau de bord"})
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    secret = page.text.split('id="api-token-secret" class="secret" value="')[1].split('"')[0]
    assert secret.startswith("echo_")
    assert client.get("/api/v1/me", headers=bearer(secret)).json["email"] == user.email

    profile = client.get("/account").text
    assert "Tableau de bord" in profile and secret[:12] in profile and secret not in profile
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        assert db.session.scalar(select(AuditEntry.action).where(
            AuditEntry.target_id == str(token.id))) == "api_token.created"
    response = client.post(f"/account/tokens/{token.id}/revoke")
    assert response.status_code == 302
    assert_problem(client.get("/api/v1/me", headers=bearer(secret)), 401)
    assert "Aucun jeton actif." in html.unescape(client.get("/account").text)


def test_nobody_revokes_someone_elses_token(app, client, auth, make_establishment, make_user,
                                            make_token):
    establishment = make_establishment("MCQ")
    owner, other = make_user(Role.MANAGER, establishment), make_user(Role.ADMIN, None)
    secret = make_token(owner)
    auth.login(other.email)
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 404
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200


# --- Roles and scoping ----------------------------------------------------------------------------

def test_a_role_too_low_is_403(app, client, make_establishment, make_user, make_token):
    establishment = make_establishment("MCQ")
    secret = make_token(make_user(Role.SUPER_USER, establishment))
    assert client.get("/api/v1/me", headers=bearer(secret)).json["role"] == "super_user"
    for path in ("/api/v1/establishments/MCQ/summary", "/api/v1/establishments/MCQ/issue-kpis"):
        body = assert_problem(client.get(path, headers=bearer(secret)), 403)
        assert "rôle" in body["detail"]
    # What a super-user may do: learnings, and their own observations.
    assert client.get("/api/v1/establishments/MCQ/learnings",
                      headers=bearer(secret)).status_code == 200


def test_a_token_of_a_cannot_read_b(app, client, make_establishment, make_user, make_token):
    a, b = make_establishment("AAA"), make_establishment("BBB")
    token_a = make_token(make_user(Role.MANAGER, a))
    token_b = make_token(make_user(Role.SUPER_USER, b))
    created = observe(client, token_b, sector_of(app, b)).json
    headers = bearer(token_a)

    assert [e["code"] for e in client.get("/api/v1/establishments",
                                          headers=headers).json["items"]] == ["AAA"]
    for path in ("/api/v1/establishments/BBB/summary", "/api/v1/establishments/BBB/issue-kpis",
                 "/api/v1/establishments/BBB/learnings", f"/api/v1/feedback/{created['ref']}",
                 "/api/v1/establishments/ZZZ/summary", "/api/v1/feedback/999999"):
        assert_problem(client.get(path, headers=headers), 404)
    body = assert_problem(client.get("/api/v1/feedback?establishment=BBB", headers=headers), 422)
    assert body["errors"][0]["parameter"] == "establishment"
    assert client.get("/api/v1/feedback", headers=headers).json["items"] == []
    body = assert_problem(observe(client, token_a, sector_of(app, b)), 422)
    assert body["errors"] == [{"detail": "Choisissez un lieu dans la liste.",
                               "pointer": "#/sector_id"}]


def test_network_wide_tokens_see_every_establishment_but_must_pick_one_to_list(
        app, client, make_establishment, make_user, make_token):
    make_establishment("AAA")
    make_establishment("BBB")
    secret = make_token(make_user(Role.ADMIN, None))
    codes = [e["code"] for e in client.get("/api/v1/establishments",
                                           headers=bearer(secret)).json["items"]]
    assert codes == ["AAA", "BBB"]
    assert_problem(client.get("/api/v1/feedback", headers=bearer(secret)), 422)
    assert client.get("/api/v1/feedback?establishment=bbb",
                      headers=bearer(secret)).status_code == 200


# --- Submitting -----------------------------------------------------------------------------------

def test_submitting_an_observation_uses_the_pipeline_and_the_form_rules(
        app, client, make_establishment, make_user, make_token):
    establishment = make_establishment("MCQ")
    user = make_user(Role.SUPER_USER, establishment)
    secret = make_token(user)
    client_uuid = str(uuid.uuid4())
    text = "Le bracelet de M. Tremblay (514-555-1234) ne scanne pas à l'urgence."
    response = observe(client, secret, sector_of(app, establishment), text=text,
                       client_uuid=client_uuid, priority="P2")
    assert response.status_code == 201
    body = response.json
    assert response.headers["Location"] == f"/api/v1/feedback/{body['ref']}"
    assert "514-555-1234" not in body["text"] and "Tremblay" not in body["text"]
    # Who was affected is the observation's role; its author is the token's owner.
    assert body["kind"] == "observation" and body["role"] == "nurse"
    assert body["observation"] == {"priority": "P2", "affected_role": "nurse",
                                   "client_uuid": client_uuid}
    assert body["sector"]["code"] == "urgence" and body["site"]["name"] == "Hôpital 1"

    # The same client UUID again: the stored observation, not a second one.
    again = observe(client, secret, sector_of(app, establishment), client_uuid=client_uuid)
    assert again.status_code == 200 and again.json["ref"] == body["ref"]
    other = make_token(make_user(Role.SUPER_USER, establishment))
    assert_problem(observe(client, other, sector_of(app, establishment),
                           client_uuid=client_uuid), 409)
    with app.app_context():
        assert db.session.scalar(select(func.count(Feedback.id))) == 1
    assert client.get(f"/api/v1/feedback/{body['ref']}", headers=bearer(secret)).json == body


@pytest.mark.parametrize(("body", "errors"), [
    ({"sector_id": 1, "affected_role": "nurse"}, {"#/text"}),
    ({"text": "   ", "sector_id": 1, "affected_role": "nurse"}, {"#/text"}),
    ({"text": "x" * 2001, "sector_id": 1, "affected_role": "nurse"}, {"#/text"}),
    ({"text": "ok", "affected_role": "nurse"}, {"#/sector_id"}),
    ({"text": "ok", "sector_id": "un", "affected_role": "nurse"}, {"#/sector_id"}),
    ({"text": 12, "sector_id": 1, "affected_role": "dentist"}, {"#/text"}),
    ({"text": "ok", "sector_id": 1, "affected_role": "dentist"}, {"#/affected_role"}),
    ({"text": "ok", "sector_id": 1, "affected_role": "nurse", "priority": "P9"}, {"#/priority"}),
    ({"text": "ok", "sector_id": 1, "affected_role": "nurse", "client_uuid": "x"},
     {"#/client_uuid"}),
    ({"text": "ok", "sector_id": 1, "affected_role": "nurse",
      "observed_at": "2020-01-01T00:00:00Z"}, {"#/observed_at"}),
    ({"text": "ok", "sector_id": 1, "affected_role": "nurse", "colour": "red"}, {"#/colour"}),
    ([1, 2], {"#/"}),
])
def test_invalid_submissions_are_422_with_each_field(app, client, make_establishment, make_user,
                                                     make_token, body, errors):
    establishment = make_establishment("MCQ")
    secret = make_token(make_user(Role.SUPER_USER, establishment))
    if isinstance(body, dict) and body.get("sector_id") == 1:
        body = {**body, "sector_id": sector_of(app, establishment)}
    response = client.post("/api/v1/feedback", json=body, headers=bearer(secret))
    problem = assert_problem(response, 422)
    assert {error["pointer"] for error in problem["errors"]} == errors
    assert all(error["detail"] for error in problem["errors"])
    with app.app_context():
        assert db.session.scalar(select(func.count(Feedback.id))) == 0


def test_bodies_that_are_not_json_are_refused(app, client, make_establishment, make_user,
                                              make_token):
    secret = make_token(make_user(Role.SUPER_USER, make_establishment("MCQ")))
    assert_problem(client.post("/api/v1/feedback", data="text=ok", headers=bearer(secret),
                               content_type="application/x-www-form-urlencoded"), 415)
    assert_problem(client.post("/api/v1/feedback", data="{not json",
                               headers=bearer(secret), content_type="application/json"), 400)
    huge = '{"text": "' + "x" * 70_000 + '"}'
    assert_problem(client.post("/api/v1/feedback", data=huge, headers=bearer(secret),
                               content_type="application/json"), 413)


# --- Listing and pagination -----------------------------------------------------------------------

def test_pagination_walks_every_item_once_newest_first(app, client, make_establishment,
                                                       make_user, make_token):
    establishment = make_establishment("MCQ")
    secret = make_token(make_user(Role.SUPER_USER, establishment))
    sector = sector_of(app, establishment)
    now = utcnow()
    for n in range(7):
        observe(client, secret, sector, text=f"Observation numéro {n}",
                observed_at=(now - timedelta(hours=7 - n)).isoformat())
    manager = make_token(make_user(Role.MANAGER, establishment))

    seen, url, pages = [], "/api/v1/feedback?limit=3", 0
    while url:
        page = client.get(url, headers=bearer(manager)).json
        seen += [item["text"] for item in page["items"]]
        url, pages = page["next"], pages + 1
        assert (page["next_cursor"] is None) == (page["next"] is None)
    assert pages == 3
    assert seen == [f"Observation numéro {n}" for n in reversed(range(7))]
    # Observations are signed: everything about them is shown.
    item = client.get("/api/v1/feedback?limit=1", headers=bearer(manager)).json["items"][0]
    assert item["role"] == "nurse" and item["sector"]["code"] == "urgence"
    assert item["created_at"].endswith("Z")
    assert item["phase"] == establishment.phase_on(local_today())

    first = client.get("/api/v1/feedback?limit=3", headers=bearer(manager)).json
    second = client.get(f"/api/v1/feedback?limit=3&cursor={first['next_cursor']}",
                        headers=bearer(manager)).json
    assert [i["text"] for i in second["items"]] == seen[3:6]


@pytest.mark.parametrize(("query", "parameter"), [
    ("limit=0", "limit"), ("limit=101", "limit"), ("limit=abc", "limit"),
    ("cursor=nonsense", "cursor"), ("kind=letter", "kind"), ("since=2026-13-01", "since"),
    ("since=2026-05-10&until=2026-05-01", "until"), ("sector=-3", "sector"),
    ("theme=unknown-theme", "theme"), ("colour=red", "colour"), ("phase=4", "phase"),
])
def test_bad_list_parameters_are_422(app, client, make_establishment, make_user, make_token,
                                     query, parameter):
    secret = make_token(make_user(Role.MANAGER, make_establishment("MCQ")))
    body = assert_problem(client.get(f"/api/v1/feedback?{query}", headers=bearer(secret)), 422)
    assert parameter in {error["parameter"] for error in body["errors"]}


def test_super_users_list_only_their_own_observations(app, client, make_establishment,
                                                      make_user, make_token):
    establishment = make_establishment("MCQ")
    mine, theirs = (make_token(make_user(Role.SUPER_USER, establishment)) for _ in range(2))
    sector = sector_of(app, establishment)
    observe(client, mine, sector, text="La mienne")
    hidden = observe(client, theirs, sector, text="La sienne").json
    items = client.get("/api/v1/feedback", headers=bearer(mine)).json["items"]
    assert [item["text"] for item in items] == ["La mienne"]
    assert_problem(client.get(f"/api/v1/feedback/{hidden['ref']}", headers=bearer(mine)), 404)


# --- The anonymity threshold ----------------------------------------------------------------------

def import_comments(app, establishment, tmp_path, rows, name):
    """Anonymous comments (imported), through the real import."""
    path = tmp_path / name
    lines = ["Texte;Date;Secteur;Rôle"] + [";".join(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with app.app_context():
        table = import_reading.read_headers(path)
        import_runs.import_file(path, import_runs.ImportSettings(
            import_mapping.suggest_mapping(table.headers), establishment.id,
            rules=import_runs.ImportRules.from_config(app.config)), source="",
            filename=name)
        db.session.commit()


def test_summaries_and_listings_suppress_what_rests_on_too_few_responses(
        app, client, make_establishment, make_user, make_token, tmp_path):
    establishment = make_establishment("MCQ", go_live=local_today() - timedelta(days=20))
    secret = make_token(make_user(Role.MANAGER, establishment))
    day = local_today().isoformat()
    text = "La formation sur les ordonnances était trop courte, on manque de pratique."
    import_comments(app, establishment, tmp_path,
                    [[f"{text} ({n})", day, "urgence", "infirmière"] for n in range(3)], "a.csv")

    summary = client.get("/api/v1/establishments/MCQ/summary", headers=bearer(secret)).json
    assert summary["threshold"] == 5
    overall = summary["themes"]["groups"][0]
    assert (summary["themes"]["suppressed"], summary["themes"]["reason"]) == (True, "pending")
    assert overall["suppressed"] and overall["total"] is None and overall["themes"] == []
    listing = client.get("/api/v1/feedback", headers=bearer(secret)).json
    assert listing["anonymous_hidden"] is True and listing["items"] == []

    # Three more: six anonymous comments, above the threshold of five.
    import_comments(app, establishment, tmp_path,
                    [[f"{text} ({n})", day, "oncologie", "médecin"] for n in range(3, 6)],
                    "b.csv")
    summary = client.get("/api/v1/establishments/MCQ/summary", headers=bearer(secret)).json
    # Six now, but of a week not over: they count once it is (and is cut into cohorts).
    assert (summary["themes"]["suppressed"], summary["themes"]["reason"]) == (True, "pending")
    with app.app_context():
        anonymity.publish_due(db.session, 5, utcnow() + timedelta(days=8))
        db.session.commit()
    summary = client.get("/api/v1/establishments/MCQ/summary", headers=bearer(secret)).json
    overall = summary["themes"]["groups"][0]
    assert not summary["themes"]["suppressed"] and not overall["suppressed"]
    assert (overall["total"], overall["responses"]) == (6, 6)
    # Exactly what the summary page's function gives.
    with app.app_context():
        owner = db.session.get(Establishment, establishment.id)
        weeks = insights.data_weeks([owner.id])
        expected = insights.theme_breakdown(insights.summary_filter(
            owner, weeks[0], max(local_today(), weeks[1])))
    assert overall["total"] == expected.overall.total
    assert {t["code"]: t["count"] for t in overall["themes"]} == {
        f.theme.code: f.count for f in expected.overall.themes.values()}

    listing = client.get("/api/v1/feedback", headers=bearer(secret)).json
    assert listing["anonymous_hidden"] is False and len(listing["items"]) == 6
    # Never the day; the role and sector only when their cohort shares them (3 nurses of
    # urgence and 3 physicians of oncologie: one cohort of the phase, any role, any sector).
    assert {item["created_on"] for item in listing["items"]} == {None}
    assert {item["week_of"] for item in listing["items"]} == {
        (local_today() - timedelta(days=local_today().weekday())).isoformat()}
    assert {item["phase"] for item in listing["items"]} == {2}
    assert {item["role"] for item in listing["items"]} == {None}
    assert {item["sector"] for item in listing["items"]} == {None}
    # Narrowed to one role, the selection is too small again.
    narrowed = client.get("/api/v1/feedback?role=nurse", headers=bearer(secret)).json
    assert narrowed["anonymous_hidden"] is True
    by_role = client.get("/api/v1/establishments/MCQ/summary?by=role_group",
                         headers=bearer(secret)).json
    assert [group["suppressed"] for group in by_role["themes"]["groups"]] == [True, True]


def test_issue_kpis_and_learnings(app, client, make_establishment, make_user, make_token):
    establishment = make_establishment("MCQ", go_live=local_today() - timedelta(days=10))
    user = make_user(Role.MANAGER, establishment)
    secret = make_token(user)
    with app.app_context():
        db.session.add_all([
            Learning(establishment_id=establishment.id, title="Étiquettes", learned="Lent",
                     action="Nouvelle imprimante", status=LearningStatus.PUBLISHED,
                     published_at=utcnow()),
            Learning(establishment_id=establishment.id, title="Brouillon", learned="..."),
        ])
        db.session.commit()
    learnings = client.get("/api/v1/establishments/mcq/learnings", headers=bearer(secret)).json
    assert [item["title"] for item in learnings["items"]] == ["Étiquettes"]

    kpis = client.get("/api/v1/establishments/MCQ/issue-kpis", headers=bearer(secret))
    assert kpis.status_code == 200
    assert kpis.json["received"] == 0 and kpis.json["resolved_share"] is None
    assert_problem(client.get("/api/v1/establishments/MCQ/issue-kpis?from=2026-05-10&to=2026-05-01",
                              headers=bearer(secret)), 422)


# --- Errors and limits ----------------------------------------------------------------------------

def test_errors_under_the_api_are_problem_details_and_pages_stay_html(
        app, client, make_establishment, make_user, make_token):
    secret = make_token(make_user(Role.MANAGER, make_establishment("MCQ")))
    assert_problem(client.get("/api/v1/nothing-here", headers=bearer(secret)), 404)
    response = client.delete("/api/v1/me", headers=bearer(secret))
    assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]
    page = client.get("/no-such-page")
    assert page.status_code == 404 and page.mimetype == "text/html"


def test_each_token_has_a_rate_limit(app, client, make_establishment, make_user, make_token):
    app.config["API_RATE_LIMIT"] = "3 per minute"
    establishment = make_establishment("MCQ")
    first = make_token(make_user(Role.MANAGER, establishment))
    second = make_token(make_user(Role.MANAGER, establishment))
    for _ in range(3):
        assert client.get("/api/v1/me", headers=bearer(first)).status_code == 200
    response = client.get("/api/v1/establishments", headers=bearer(first))
    body = assert_problem(response, 429)
    assert "Retry-After" in response.headers and "Retry-After" in body["detail"]
    assert client.get("/api/v1/me", headers=bearer(second)).status_code == 200  # its own budget


def test_the_documentation_is_served_without_a_token(app, client):
    document = client.get("/api/v1/openapi.json")
    assert document.status_code == 200 and document.json["openapi"] == "3.1.0"
    page = client.get("/api/v1/docs", headers={"Accept-Language": "en"})
    assert page.status_code == 200 and page.mimetype == "text/html"
    text = html.unescape(page.text)
    assert "GET /api/v1/feedback" in text and "POST /api/v1/feedback" in text
    assert 'id="problem-validation"' in page.text and "cdn" not in page.text.lower()
    assert "<script" not in page.text.split("</footer>")[0]
