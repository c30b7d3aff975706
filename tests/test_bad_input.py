"""Input no form offers: a clear, translated 400 (or the form's own error), nothing stored lost."""

import io
import time

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import stream_encode_multipart

from feedback.extensions import db
from feedback.models import Feedback, ImportJob, Role

HUGE = "99999999999999999999999"


@pytest.fixture
def admin(client, auth, make_user):
    user = make_user(Role.ADMIN)
    auth.login(user.email)
    return user


@pytest.mark.parametrize("url", [
    f"/issues/?page={HUGE}", "/issues/?page=0", "/issues/?page=-3", "/issues/?page=deux",
])
def test_a_page_number_out_of_range_is_a_400_that_says_so(client, admin, make_establishment,
                                                          url):
    establishment = make_establishment()
    response = client.get(url.format(id=establishment.id))
    assert response.status_code == 400
    assert "Le numéro de page doit être un nombre entier de 1 à" in response.text


# Cursors of the lists read from a key: garbage, valid base64 of the wrong shape, another
# list's cursor (two keys of other kinds), a naive time, a backward marker on too few values.
BAD_CURSORS = ["deux", "%%%", "W10", "WyJ4Il0", "WzEsMl0", "WyIyMDI2LTA1LTAxVDAwOjAwOjAwIiwiYSJd",
               "WyI8Il0", "x" * 500]


@pytest.mark.parametrize("cursor", BAD_CURSORS)
@pytest.mark.parametrize("url", ["/dashboard/feedback?establishment={id}", "/observations/",
                                 "/admin/audit"])
def test_a_cursor_the_list_did_not_make_is_a_400_that_says_so(client, admin, make_establishment,
                                                               url, cursor):
    establishment = make_establishment()
    response = client.get(url.format(id=establishment.id) + ("&" if "?" in url else "?")
                          + f"cursor={cursor}")
    assert response.status_code == 400
    assert "Ce lien vers une page de la liste n’est pas valide" in response.text


@pytest.mark.parametrize("value", [HUGE, "-5", "secteur", "0"])
def test_a_sector_that_is_no_id_is_a_400(client, admin, value):
    response = client.get(f"/observations/?sector={value}")
    assert response.status_code == 400
    assert "doit être choisi dans sa liste" in response.text


def test_a_line_break_in_next_is_never_a_header(client):
    response = client.post("/language", data={"language": "en",
                                               "next": "/\r\nSet-Cookie: x=1"})
    assert response.status_code == 302
    assert response.location == "/"
    assert not any(header.startswith("x=") for header in response.headers.getlist("Set-Cookie"))
    response = client.post("/language", data={"language": "fr", "next": "/issues/\tx"})
    assert response.location == "/"


def test_a_header_of_200_000_columns_is_refused_at_once(app, client, make_user,
                                                         make_establishment, auth):
    establishment = make_establishment()
    auth.login(make_user(Role.MANAGER, establishment).email)
    with app.app_context():
        before = (db.session.scalar(select(func.count(Feedback.id))),
                  db.session.scalar(select(func.count(ImportJob.id))))
    wide = ",".join(f"c{n}" for n in range(200_000)) + "\n" + ",".join("x" * 2 for _ in
                                                                         range(200_000)) + "\n"
    # Encoded in memory: the test client would spool a 1.9 MB body to a file it never closes.
    stream, length, boundary = stream_encode_multipart({
        "file": FileStorage(io.BytesIO(wide.encode()), "wide.csv"), "source": "test"},
        use_tempfile=False)
    # CPU time (the request runs in this process): a worker held for seconds shows there,
    # not the load of other processes on the machine.
    started = time.process_time()
    response = client.post("/imports/", data=stream.read(), content_length=length,
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert time.process_time() - started < 5
    assert response.status_code == 422
    assert "plus de 500 colonnes" in response.text
    with app.app_context():
        assert (db.session.scalar(select(func.count(Feedback.id))),
                db.session.scalar(select(func.count(ImportJob.id)))) == before


def test_a_cell_larger_than_any_text_is_refused(app, client, make_user, make_establishment,
                                                auth):
    """The header is fine, so the job is created; the oversized cell fails the check."""
    auth.login(make_user(Role.MANAGER, make_establishment()).email)
    body = "texte;date\n" + "a" * 100_000 + ";2026-05-12\n"
    response = client.post("/imports/", data={
        "file": (io.BytesIO(body.encode()), "cell.csv"), "source": "test"},
        content_type="multipart/form-data")
    assert response.status_code == 302
    response = client.post(response.location, data={"text": "texte", "date": "date"})
    page = client.get(response.location)
    assert "La ligne 2 n&#39;a pas pu être lue en CSV." in page.text
    with app.app_context():
        assert db.session.scalar(select(func.count(Feedback.id))) == 0
