"""French by default, English as a full second language."""

import pytest

from feedback.extensions import db
from feedback.models import Role, User


def test_browser_language_is_honoured_for_visitors(client):
    page = client.get("/login", headers={"Accept-Language": "en-CA,en;q=0.9"})
    assert '<html lang="en">' in page.text
    assert "Sign in to Écho" in page.text
    french = client.get("/login", headers={"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"})
    assert '<html lang="fr">' in french.text
    other = client.get("/login", headers={"Accept-Language": "es"})
    assert '<html lang="fr">' in other.text  # neither: French


def test_language_switch_for_a_visitor(client):
    response = client.post("/language", data={"language": "en", "next": "/login"})
    assert response.headers["Location"] == "/login"
    assert "Sign in to Écho" in client.get("/login").text
    client.post("/language", data={"language": "fr", "next": "/login"})
    assert "Se connecter à Écho" in client.get("/login").text


def test_language_switch_refuses_unknown_languages_and_foreign_targets(client):
    response = client.post("/language", data={"language": "de", "next": "https://evil.example"})
    assert response.headers["Location"] == "/"
    assert '<html lang="fr">' in client.get("/login").text


def test_language_switch_is_remembered_for_a_user(app, client, auth, make_establishment, make_user):
    user = make_user(Role.MANAGER, make_establishment())
    auth.login(user.email)
    client.post("/language", data={"language": "en", "next": "/"})
    assert "Sign out" in client.get("/").text
    with app.app_context():
        assert db.session.get(User, user.id).locale == "en"
    # A new device: the account's language wins over the browser's.
    other_device = app.test_client()
    other_device.post("/login", data={"email": user.email, "password": "correct-horse-battery"},
                      headers={"Accept-Language": "fr"})
    assert "Sign out" in other_device.get("/", headers={"Accept-Language": "fr"}).text


def test_error_pages_in_both_languages(client):
    french = client.get("/nowhere")
    assert french.status_code == 404
    assert "Page introuvable" in french.text
    english = client.get("/nowhere", headers={"Accept-Language": "en"})
    assert "Page not found" in english.text


@pytest.mark.own_app
def test_unexpected_errors_render_a_translated_500_page(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/explode")
    def explode():
        raise RuntimeError("internal-detail-42")

    page = app.test_client().get("/explode")
    assert page.status_code == 500
    assert "Une erreur est survenue" in page.text
    assert "internal-detail-42" not in page.text


def test_dates_are_shown_in_quebec_time(app):
    from datetime import UTC, datetime

    from flask_babel import force_locale, format_datetime

    with app.test_request_context(), force_locale("fr"):
        # 02:30 UTC on 10 May is still 9 May, 22:30, in Québec.
        shown = format_datetime(datetime(2026, 5, 10, 2, 30, tzinfo=UTC), "d MMMM HH:mm")
    assert shown == "9 mai 22:30"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_remembered_number_texts_are_babels(app, language):
    """Shares, means, scores and weeks are written once per language and value: exactly as
    babel writes each one (half to even on the number's decimal text, signs, separators)."""
    from datetime import date

    from babel.numbers import format_decimal, parse_pattern
    from flask_babel import force_locale, format_date, get_locale

    from feedback.templating import mean_text, percent_text, score_text, week_label

    shares = [0.0, 0.005, 0.015, 0.125, 0.135, 0.575, 0.285, 1 / 3, 2 / 3, 0.9999, 1.0, 12.345,
              -0.004, -0.005, -0.125, 0.07]
    means = [1.0, 2.25, 2.35, 3.449, 3.45, 4.96]
    scores = [-100.0, -12.5, -0.4, 0.0, 0.5, 1.5, 33.3, 1234.5]
    with app.test_request_context(), force_locale(language):
        locale = get_locale()
        for _ in range(2):  # written, then remembered
            assert [percent_text(s) for s in shares] == [
                parse_pattern("#,##0 %").apply(s, locale) for s in shares]
            assert [mean_text(m) for m in means] == [
                format_decimal(round(m, 1), "0.0", locale=locale) for m in means]
            assert [score_text(s) for s in scores] == [
                ("+" if round(s) > 0 else "") + format_decimal(round(s), locale=locale)
                for s in scores]
            assert week_label(date(2026, 5, 11)) == format_date(date(2026, 5, 11), "d MMM")
        assert (percent_text(None), mean_text(None), score_text(None)) == ("—", "—", "—")
