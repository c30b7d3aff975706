"""Field observations: the plain form, the offline queue's sync endpoint, the theme preview."""

import html
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from feedback import observations
from feedback.clock import local_today
from feedback.extensions import db
from feedback.models import (
    Feedback,
    FeedbackKind,
    FeedbackTheme,
    ObservationDetail,
    Priority,
    Role,
    Sector,
    Site,
    ThemeSource,
    WriterRole,
)

TEXT = ("Les imprimantes d'étiquettes ne fonctionnent plus à l'urgence; "
        "Mme Gagnon (dossier 1234567) attend son prélèvement.")


@pytest.fixture
def places(app):
    """The location keys of an establishment: its first sector and its first site."""

    def find(establishment):
        with app.app_context():
            site = db.session.scalar(select(Site).where(Site.establishment_id == establishment.id))
            sector = db.session.scalar(
                select(Sector).where(Sector.site_id == site.id, Sector.code == "urgence")
            )
            return {"sector": f"sector-{sector.id}", "site": f"site-{site.id}",
                    "sector_id": sector.id, "site_id": site.id}

    return find


def observation_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ObservationDetail))


def form_data(location: str, **fields) -> dict:
    data = {"location": location, "text": TEXT, "affected_role": "nurse", "priority": "P2",
            "client_uuid": str(uuid.uuid4())}
    data.update(fields)
    return data


def item(location: str, **fields) -> dict:
    data = form_data(location, **fields)
    data["uuid"] = data.pop("client_uuid")
    return data


@pytest.fixture
def observer(make_establishment, make_user, auth, places):
    """A signed-in super-user of an establishment in phase 2 (go-live 20 days ago)."""
    establishment = make_establishment("A", go_live=local_today() - timedelta(days=20))
    user = make_user(Role.SUPER_USER, establishment)
    auth.login(user.email)
    return user, establishment, places(establishment)


# --- The plain form (no JavaScript) ---------------------------------------------------------

def test_form_offers_the_establishments_places_only(client, observer, make_establishment, places):
    _user, _establishment, here = observer
    elsewhere = places(make_establishment("B"))
    page = client.get("/observations/new")
    assert page.status_code == 200
    assert "Consigner une observation" in page.text
    assert f'value="{here["sector"]}"' in page.text and f'value="{here["site"]}"' in page.text
    assert f'value="{elsewhere["sector"]}"' not in page.text
    # The outcome of a sending is said right under the button, to screen readers too.
    button_at = page.text.index('<button type="submit" class="primary wide">')
    outcome_at = page.text.index('<p id="sent" class="outcome" role="status" aria-live="polite"')
    form_end = page.text.index("</form>", button_at)
    assert button_at < outcome_at < form_end and outcome_at - button_at < 200
    # The page the service worker keeps offline, with what its script needs.
    assert page.headers["X-Echo-Offline"] == "cache"
    assert '<meta name="csrf-token"' in page.text
    assert 'data-sync-url="/observations/sync"' in page.text
    assert re.search(r'name="client_uuid" type="hidden" value="[0-9a-f-]{36}"', page.text)


def test_plain_form_records_a_redacted_observation(app, client, observer):
    user, establishment, here = observer
    response = client.post("/observations/new", data=form_data(here["sector"]))
    assert response.status_code == 302
    assert response.headers["Location"] == "/observations/new"
    follow = client.get("/observations/new")
    assert "Observation enregistrée. Merci." in follow.text
    # A page with a one-time message is not the one to keep offline.
    assert "X-Echo-Offline" not in follow.headers
    with app.app_context():
        feedback = db.session.scalar(select(Feedback))
        assert feedback.kind is FeedbackKind.OBSERVATION
        assert feedback.author_id == user.id
        assert feedback.establishment_id == establishment.id
        assert (feedback.site_id, feedback.sector_id) == (here["site_id"], here["sector_id"])
        # Filed under who was affected, not under the super-user who logged it.
        assert feedback.role is WriterRole.NURSE
        assert feedback.phase == 2  # 20 days after go-live: appropriation
        assert "Gagnon" not in feedback.text and "1234567" not in feedback.text
        assert "[PATIENT]" in feedback.text and "[DOSSIER]" in feedback.text
        assert feedback.observation.priority is Priority.P2


def test_the_form_remembers_the_last_place(client, observer):
    _user, _establishment, here = observer
    client.post("/observations/new", data=form_data(here["site"]))
    page = client.get("/observations/new")
    assert f'<option selected value="{here["site"]}">' in page.text


def test_a_whole_site_observation_has_no_sector(app, client, observer):
    _user, _establishment, here = observer
    client.post("/observations/new", data=form_data(here["site"], priority=""))
    with app.app_context():
        feedback = db.session.scalar(select(Feedback))
        assert (feedback.site_id, feedback.sector_id) == (here["site_id"], None)
        assert feedback.observation.priority is None


def test_a_form_sent_twice_records_one_observation(app, client, observer):
    _user, _establishment, here = observer
    data = form_data(here["sector"])
    client.post("/observations/new", data=data)
    second = client.post("/observations/new", data=data, follow_redirects=True)
    assert "Cette observation était déjà enregistrée." in second.text
    assert observation_count(app) == 1


def test_errors_are_shown_next_to_their_fields_and_the_text_is_kept(app, client, observer):
    _user, _establishment, here = observer
    page = client.post("/observations/new", data=form_data("", affected_role=""))
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert 'id="affected_role-error"' in text and "Indiquez qui a été touché." in text
    assert 'id="location-error"' in text and "Choisissez où vous l'avez vu." in text
    # Announced as alerts, next to their fields.
    assert 'id="location-error" role="alert"' in text
    assert 'id="affected_role-error" role="alert"' in text
    assert 'aria-describedby="location-error"' in text
    assert "Les imprimantes d'étiquettes ne fonctionnent plus" in text
    assert observation_count(app) == 0


def test_the_length_limit_is_stated_in_french(app, client, observer):
    _user, _establishment, here = observer
    page = client.post("/observations/new", data=form_data(here["sector"], text="x" * 2001))
    assert "2\N{NARROW NO-BREAK SPACE}000 caractères" in page.text
    assert "2\N{NARROW NO-BREAK SPACE}001" in page.text
    assert observation_count(app) == 0
    # Line breaks count once, as the browser counts them against maxlength.
    exactly = "ligne\r\n" * 285 + "x" * 5  # 285 × 6 + 5 = 1,715 characters once normalised
    assert client.post("/observations/new",
                       data=form_data(here["sector"], text=exactly)).status_code == 302


def test_the_length_limit_is_stated_in_english(client, make_establishment, make_user, auth,
                                               places):
    establishment = make_establishment()
    auth.login(make_user(Role.SUPER_USER, establishment, locale="en").email)
    page = client.post("/observations/new",
                       data=form_data(places(establishment)["sector"], text="x" * 2500))
    assert "Keep the observation to 2,000 characters or fewer (it has 2,500)." in page.text
    assert "Log an observation" in page.text


def test_a_place_of_another_establishment_is_refused(app, client, observer, make_establishment,
                                                    places):
    elsewhere = places(make_establishment("B"))
    page = client.post("/observations/new", data=form_data(elsewhere["sector"]))
    assert "Choisissez un lieu dans la liste." in page.text
    assert observation_count(app) == 0


def test_managers_may_observe_and_their_observation_is_filed_under_who_was_affected(
        app, client, make_establishment, make_user, auth, places):
    establishment = make_establishment()
    manager = make_user(Role.MANAGER, establishment)
    auth.login(manager.email)
    client.post("/observations/new",
                data=form_data(places(establishment)["sector"], affected_role="physician"))
    with app.app_context():
        feedback = db.session.scalar(select(Feedback))
        assert feedback.role is WriterRole.PHYSICIAN and feedback.author_id == manager.id


def test_network_wide_users_choose_the_establishment_through_the_place(
    app, client, make_establishment, make_user, auth, places
):
    make_establishment("A")
    b = make_establishment("B")
    auth.login(make_user(Role.ADMIN, None).email)
    page = client.get("/observations/new")
    assert 'label="A · Hôpital' in page.text and 'label="B · Hôpital' in page.text
    client.post("/observations/new", data=form_data(places(b)["sector"]))
    with app.app_context():
        assert db.session.scalar(select(Feedback.establishment_id)) == b.id


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/observations/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- Themes: chips the observer can change ----------------------------------------------------

def test_theme_preview_runs_the_pipeline_and_stores_nothing(app, client, observer):
    with app.app_context():
        before = {model: db.session.scalar(select(func.count()).select_from(model))
                  for model in (Feedback, FeedbackTheme, ObservationDetail)}
    response = client.post("/observations/themes",
                           json={"text": "Impossible de me connecter, le wifi coupe sans arrêt."})
    assert response.status_code == 200
    codes = [theme["code"] for theme in response.json["themes"]]
    assert "access" in codes
    assert {"code", "name", "confidence"} <= set(response.json["themes"][0])
    assert response.json["themes"][codes.index("access")]["name"] == "Accès et stabilité"
    with app.app_context():
        after = {model: db.session.scalar(select(func.count()).select_from(model))
                 for model in before}
    assert after == before


def test_theme_preview_refuses_bad_input_in_json(client, observer):
    assert client.post("/observations/themes", json={"text": ""}).json == {"themes": []}
    assert client.post("/observations/themes", json=["no"]).status_code == 400
    too_long = client.post("/observations/themes", json={"text": "x" * 2001})
    assert too_long.status_code == 422 and too_long.json["error"] == "too_long"


def themes_of(app) -> dict[str, ThemeSource]:
    with app.app_context():
        feedback = db.session.scalar(select(Feedback))
        return {link.theme.code: link.source for link in feedback.themes}


WIFI = "Le wifi coupe sans arrêt à l'urgence, impossible de se connecter."


def test_reviewed_chips_are_the_final_themes(app, client, observer):
    _user, _establishment, here = observer
    client.post("/observations/new", data=form_data(
        here["sector"], text=WIFI, themes=["training"], themes_reviewed="1"))
    # The observer unticked "access" and ticked "training": that is what is kept.
    assert themes_of(app) == {"training": ThemeSource.MANUAL}


def test_unreviewed_ticks_are_added_to_what_the_pipeline_finds(app, client, observer):
    _user, _establishment, here = observer
    client.post("/observations/new", data=form_data(here["sector"], text=WIFI,
                                                    themes=["training"]))
    assert themes_of(app) == {"access": ThemeSource.AUTO, "training": ThemeSource.MANUAL}


def test_without_ticks_the_pipeline_decides(app, client, observer):
    _user, _establishment, here = observer
    client.post("/observations/new", data=form_data(here["sector"], text=WIFI))
    assert themes_of(app) == {"access": ThemeSource.AUTO}


# --- The sync endpoint (what the offline queue calls) ----------------------------------------

def test_the_same_uuid_twice_is_one_row_and_both_answers_say_stored(app, client, observer):
    _user, _establishment, here = observer
    queued = item(here["sector"])
    first = client.post("/observations/sync", json={"items": [queued, queued]})
    assert first.status_code == 200
    assert [r["status"] for r in first.json["results"]] == ["stored", "stored"]
    assert [r["uuid"] for r in first.json["results"]] == [queued["uuid"]] * 2
    assert [r["created"] for r in first.json["results"]] == [True, False]
    # The connection dropped before the answer arrived: the queue sends it again.
    retry = client.post("/observations/sync", json={"items": [queued]})
    ref = first.json["results"][0]["ref"]
    assert retry.json["results"] == [{"uuid": queued["uuid"], "status": "stored",
                                      "created": False, "ref": ref,
                                      "excerpt": first.json["results"][0]["excerpt"]}]
    assert observation_count(app) == 1


def test_a_stored_item_comes_back_with_its_reference_and_redacted_words(app, client, observer):
    """What the device keeps in its log of sent observations: never the patient's name."""
    _user, _establishment, here = observer
    answer = client.post("/observations/sync", json={"items": [item(here["sector"])]}).json
    result = answer["results"][0]
    with app.app_context():
        feedback = db.session.scalar(select(Feedback))
        assert result["ref"] == feedback.ref
    assert result["excerpt"] == feedback.text[:80]
    assert "Gagnon" not in result["excerpt"] and "[PATIENT]" in result["excerpt"]


def test_a_uuid_already_used_by_the_plain_form_is_stored_once(app, client, observer):
    _user, _establishment, here = observer
    data = form_data(here["sector"])
    client.post("/observations/new", data=data)
    queued = item(here["sector"])
    queued["uuid"] = data["client_uuid"].upper()  # the same UUID, however it is written
    answer = client.post("/observations/sync", json={"items": [queued]}).json
    assert answer["results"][0]["status"] == "stored"
    assert observation_count(app) == 1


def test_a_batch_with_one_invalid_item_stores_the_valid_ones(app, client, observer):
    _user, _establishment, here = observer
    good = [item(here["sector"], text=f"Observation {n}: le lecteur de badge est lent.")
            for n in range(2)]
    bad = item(here["sector"], text="  ", affected_role="astronaut")
    response = client.post("/observations/sync", json={"items": [good[0], bad, good[1]]})
    assert response.status_code == 200
    results = response.json["results"]
    assert [r["status"] for r in results] == ["stored", "invalid", "stored"]
    assert response.json["stored"] == 2
    assert results[1]["uuid"] == bad["uuid"]
    assert results[1]["errors"] == {
        "text": ["Décrivez ce que vous avez vu."],
        "affected_role": ["Indiquez qui a été touché."],
    }
    assert observation_count(app) == 2


def test_each_reason_of_an_invalid_item_is_given(client, observer, make_establishment, places):
    _user, _establishment, here = observer
    elsewhere = places(make_establishment("B"))
    items = [
        item(elsewhere["sector"]),
        item(here["sector"], text="y" * 2001),
        item(here["sector"], priority="P9"),
        {**item(here["sector"]), "uuid": "not-a-uuid"},
        {**item(here["sector"]), "text": 42},
        "not an object",
    ]
    results = client.post("/observations/sync", json={"items": items}).json["results"]
    assert all(r["status"] == "invalid" for r in results)
    assert results[0]["errors"] == {"location": ["Choisissez un lieu dans la liste."]}
    assert list(results[1]["errors"]) == ["text"] and "2\N{NARROW NO-BREAK SPACE}000" in (
        results[1]["errors"]["text"][0])
    assert results[2]["errors"] == {"priority": ["Choisissez une priorité dans la liste."]}
    assert results[3]["errors"] == {
        "client_uuid": ["L'identifiant de cette observation n'est pas valide."]}
    assert results[4]["errors"] == {"text": ["Décrivez ce que vous avez vu."]}
    assert results[5] == {"uuid": None, "status": "invalid",
                          "errors": {"item": ["Chaque élément doit être un objet."]}}


def test_a_uuid_of_someone_elses_observation_is_a_duplicate(app, client, auth, observer,
                                                            make_user):
    _user, establishment, here = observer
    queued = item(here["sector"])
    client.post("/observations/sync", json={"items": [queued]})
    auth.logout()
    auth.login(make_user(Role.SUPER_USER, establishment).email)
    result = client.post("/observations/sync", json={"items": [queued]}).json["results"][0]
    assert result["status"] == "duplicate"
    assert result["errors"]["client_uuid"]
    assert observation_count(app) == 1


def test_the_time_written_offline_is_kept(app, client, make_establishment, make_user, auth,
                                          places):
    # Go-live 14 days ago: an observation written yesterday belongs to phase 1, not phase 2.
    establishment = make_establishment(go_live=local_today() - timedelta(days=14))
    auth.login(make_user(Role.SUPER_USER, establishment).email)
    written = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    location = places(establishment)["sector"]
    answer = client.post("/observations/sync", json={"items": [
        item(location, observed_at=written.isoformat().replace("+00:00", "Z")),
        item(location, observed_at=(datetime.now(UTC) + timedelta(hours=1)).isoformat()),
        item(location, observed_at=(datetime.now(UTC) - timedelta(days=31)).isoformat()),
        item(location, observed_at="2026-05-09T10:00:00"),  # no time zone
    ]}).json
    assert [r["status"] for r in answer["results"]] == ["stored", "invalid", "invalid", "invalid"]
    assert answer["results"][1]["errors"]["observed_at"] == [
        "L'heure de l'observation est dans le futur."]
    assert answer["results"][2]["errors"]["observed_at"] == [
        "Cette observation date de plus de 30 jours."]
    with app.app_context():
        feedback = db.session.scalar(select(Feedback))
        assert feedback.created_at == written
        assert feedback.phase == 1


@pytest.mark.parametrize(
    ("payload", "status"),
    [({"items": "nope"}, 400), ([], 400), ({"items": [{}] * 51}, 413)],
)
def test_malformed_batches_get_a_json_error(client, observer, payload, status):
    response = client.post("/observations/sync", json=payload)
    assert response.status_code == status
    assert response.is_json and response.json["message"]


def test_a_signed_out_queue_gets_401_in_json(client):
    response = client.post("/observations/sync", json={"items": []})
    assert response.status_code == 401
    assert response.json["error"] == "signed_out"


def test_sync_needs_the_csrf_token_in_its_header(app, client, observer):
    """The endpoint is not exempt from CSRF: the script sends the page's token as X-CSRFToken."""
    _user, _establishment, here = observer
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get("/observations/new")
    token = re.search(r'<meta name="csrf-token" content="([^"]+)">', page.text).group(1)
    body = {"items": [item(here["sector"])]}
    refused = client.post("/observations/sync", json=body)
    assert refused.status_code == 400 and refused.json["error"] == "csrf"
    assert observation_count(app) == 0
    # A queue that outlived its page asks for a fresh token.
    fresh = client.get("/observations/token").json["csrf_token"]
    for usable in (token, fresh):
        accepted = client.post("/observations/sync", json=body, headers={"X-CSRFToken": usable})
        assert accepted.status_code == 200
        assert accepted.json["results"][0]["status"] == "stored"
    assert observation_count(app) == 1
    preview = client.post("/observations/themes", json={"text": "wifi"},
                          headers={"X-CSRFToken": token})
    assert preview.status_code == 200


def test_the_service_worker_is_served_for_the_observations_scope(client):
    with client.get("/observations/sw.js") as response:
        assert response.status_code == 200
        assert response.mimetype == "text/javascript"
        assert response.headers["Cache-Control"] == "no-cache"
        script = response.text
    # Never caches what is sent; keeps only pages the server marks as safe to keep.
    assert 'request.method !== "GET"' in script
    assert '"X-Echo-Offline") === "cache"' in script
    assert '"../static/js/observations.js"' in script


# --- The list ---------------------------------------------------------------------------------

def test_super_users_list_their_own_observations_managers_the_establishments(
    app, client, auth, observer, make_user, make_establishment, places
):
    user, establishment, here = observer
    client.post("/observations/new", data=form_data(here["sector"], text="Vu par moi."))
    colleague = make_user(Role.SUPER_USER, establishment)
    auth.logout()
    auth.login(colleague.email)
    client.post("/observations/new", data=form_data(here["sector"], text="Vu par un collègue."))
    b = make_establishment("B")
    auth.logout()
    auth.login(make_user(Role.SUPER_USER, b).email)
    client.post("/observations/new", data=form_data(places(b)["sector"], text="Vu ailleurs."))

    mine = client.get("/observations/").text
    assert "Vu ailleurs." in mine and "Vu par moi." not in mine
    auth.logout()
    auth.login(make_user(Role.MANAGER, establishment).email)
    listed = client.get("/observations/").text
    assert "Vu par moi." in listed and "Vu par un collègue." in listed
    assert "Vu ailleurs." not in listed
    assert "/issues/new?feedback=" in listed
    untriaged = client.get("/observations/?triage=linked").text
    assert "Vu par moi." not in untriaged


def test_a_concurrent_insert_of_the_same_uuid_is_reported_not_raised(app, observer, monkeypatch):
    """Two syncs racing: the unique UUID decides, and the loser answers as a retry would."""

    user, establishment, _here = observer
    client_uuid = str(uuid.uuid4())
    with app.app_context():
        author = db.session.get(type(user), user.id)
        where = db.session.get(type(establishment), establishment.id)
        first = observations.record_observation(
            establishment=where, author=author, text="Premier envoi.", client_uuid=client_uuid,
            affected_role=WriterRole.NURSE)
        db.session.commit()
        # The second request checked before the first one committed: it saw nothing.
        real = observations.observation_by_uuid
        calls = iter([None])
        monkeypatch.setattr(observations, "observation_by_uuid",
                            lambda value: next(calls, None) or real(value))
        with pytest.raises(observations.ObservationExists) as raised:
            observations.record_observation(
                establishment=where, author=author, text="Second envoi.",
                client_uuid=client_uuid, affected_role=WriterRole.NURSE)
        assert raised.value.feedback.id == first.id
        db.session.commit()  # the request goes on: its other items are still stored
        assert db.session.scalar(select(func.count()).select_from(Feedback)) == 1


def test_an_item_the_server_cannot_store_does_not_block_the_queue(app, client, observer,
                                                                 monkeypatch, caplog):
    from feedback.observations import views as observations

    _user, _establishment, here = observer
    real = observations.record_observation

    def flaky(**values):
        if values["text"].startswith("Boum"):
            raise RuntimeError("the pipeline fell over")
        return real(**values)

    monkeypatch.setattr(observations, "record_observation", flaky)
    items = [item(here["sector"], text="Boum, un texte piégé."), item(here["sector"])]
    results = client.post("/observations/sync", json={"items": items}).json["results"]
    assert [r["status"] for r in results] == ["invalid", "stored"]
    assert list(results[0]["errors"]) == ["item"]
    assert observation_count(app) == 1
    assert "Boum" not in caplog.text


# --- Who was affected: stored as the role, filtered on, exported ---------------------------

def test_the_list_filters_on_who_was_affected(client, observer):
    _user, _establishment, here = observer
    client.post("/observations/new", data=form_data(here["sector"], text="Le médecin attend.",
                                                    affected_role="physician"))
    client.post("/observations/new", data=form_data(here["sector"], text="L'infirmière attend.",
                                                    affected_role="nurse"))
    everyone = client.get("/observations/").text
    assert "Le médecin attend." in everyone and "L&#39;infirmière attend." in everyone
    assert "Touché : Médecin" in everyone
    physicians = client.get("/observations/?role=physician").text
    assert "Le médecin attend." in physicians and "infirmière attend." not in physicians
    assert '<option selected value="physician">' in physicians


def test_the_feedback_export_names_who_was_affected(client, auth, observer, make_user):
    import csv
    import io

    _user, establishment, here = observer
    client.post("/observations/new", data=form_data(here["sector"], affected_role="physician"))
    auth.logout()
    auth.login(make_user(Role.MANAGER, establishment).email)
    export = client.get("/dashboard/export/feedback.csv?kind=observation&role=physician")
    header, *rows = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["Qui a été touché"] == "Médecin" and row["Rôle"] == "Médecin"
    assert row["Observé par"]
