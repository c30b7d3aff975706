"""The EHR's adoption indicators: an admin imports them from a CSV, checked line by line (a bad
line stores nothing), the same file twice gives the same rows, a week imported again is
replaced, and each import is in the audit trail."""

import html
import io
from datetime import date

import sqlalchemy as sa

from feedback.extensions import db
from feedback.insights import adoption
from feedback.models import AdoptionWeek, AuditEntry, Role

HEADER = ("establishment,week,users_connected,users_total,physician_orders_pct,"
          "secure_chats_per_day,tickets_received,tickets_resolved\n")


def upload(client, text: str, name: str = "adoption.csv"):
    return client.post("/admin/adoption", data={"file": (io.BytesIO(text.encode()), name)},
                       content_type="multipart/form-data")


def stored(app) -> list[tuple]:
    with app.app_context():
        return [tuple(row) for row in db.session.execute(sa.select(
            AdoptionWeek.establishment_id, AdoptionWeek.week, AdoptionWeek.users_connected,
            AdoptionWeek.users_total, AdoptionWeek.physician_order_share,
            AdoptionWeek.secure_chats_per_day, AdoptionWeek.tickets_received,
            AdoptionWeek.tickets_resolved).order_by(AdoptionWeek.week))]


def test_an_admin_imports_weeks_and_the_same_file_twice_changes_nothing(
        app, client, auth, make_establishment, make_user):
    e = make_establishment("MCQ")
    admin = make_user(Role.ADMIN)
    auth.login(admin.email)
    text = HEADER + ("MCQ,2026-05-11,4210,5120,72.5,1830,640,590\n"
                     "mcq,2026-05-20,4500,5120,75,1900.5,500,\n")  # any day of the week
    response = upload(client, text)
    assert response.status_code == 302
    first = stored(app)
    assert first == [(e.id, date(2026, 5, 11), 4210, 5120, 0.725, 1830.0, 640, 590),
                     (e.id, date(2026, 5, 18), 4500, 5120, 0.75, 1900.5, 500, None)]
    page = client.get("/admin/adoption").get_data(as_text=True)
    assert "2 nouvelles semaines" in page or "2 new weeks" in page
    assert "4\u202f210" in page or "4 210" in page or "4210" in page
    assert upload(client, text).status_code == 302
    assert stored(app) == first
    assert "2 inchangées" in client.get("/admin/adoption").get_data(as_text=True)
    # A week sent again with other figures is replaced, the others stay.
    assert upload(client, HEADER + "MCQ,2026-05-11,4300,5120,73,1830,640,600\n").status_code == 302
    again = stored(app)
    assert again[0] == (e.id, date(2026, 5, 11), 4300, 5120, 0.73, 1830.0, 640, 600)
    assert again[1] == first[1]
    with app.app_context():
        entries = db.session.scalars(sa.select(AuditEntry).where(
            AuditEntry.action == "adoption.import").order_by(AuditEntry.id)).all()
        assert len(entries) == 3
        assert entries[-1].establishment_id == e.id
        assert entries[-1].details["replaced"] == 1 and entries[-1].details["weeks"] == 1


def test_a_file_with_one_bad_line_stores_nothing_and_says_which(app, client, auth,
                                                                make_establishment, make_user):
    make_establishment("MCQ")
    admin = make_user(Role.ADMIN)
    auth.login(admin.email)
    text = HEADER + ("MCQ,2026-05-11,4210,5120,72.5,1830,640,590\n"
                     "MCQ,11/05/2026,5000,4000,120,-3,deux,1\n"
                     "XYZ,2026-05-18,1,2,3,4,5,6\n"
                     "MCQ,2026-05-13,1,2,3,4,5,6\n")
    response = upload(client, text)
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert "Ligne 3" in page and "AAAA-MM-JJ" in page
    assert "users_connected ne peut dépasser users_total" in page
    assert "de 0 à 100" in page and "tickets_received doit être un nombre" in page
    assert "Ligne 4" in page and "XYZ" in page
    assert "Ligne 5" in page and "même semaine que la ligne 2" in page
    assert "Rien n'a été modifié" in page
    assert stored(app) == []


def test_an_establishments_admin_imports_only_for_it(app, client, auth, make_establishment,
                                                     make_user):
    own = make_establishment("MCQ")
    make_establishment("NIM")
    admin = make_user(Role.ADMIN, own)
    auth.login(admin.email)
    response = upload(client, HEADER + "NIM,2026-05-11,1,2,3,4,5,6\n")
    assert response.status_code == 400 and "NIM" in response.get_data(as_text=True)
    assert upload(client, HEADER + "MCQ,2026-05-11,1,2,3,4,5,6\n").status_code == 302
    assert [row[0] for row in stored(app)] == [own.id]


def test_a_french_spreadsheet_export_reads_the_same(app, make_establishment):
    e = make_establishment("MCQ")
    text = ("Établissement;Semaine;Utilisateurs_connectés;Utilisateurs_total;"
            "Ordonnances_médecins_pct;Clavardages_par_jour;Billets_reçus;Billets_résolus\r\n"
            "MCQ;2026-05-11;4\u00a0210;5120;72,5;1830;640;590\r\n")
    with app.app_context():
        result = adoption.read_adoption_csv(text.encode("utf-8-sig"), {"MCQ": e},
                                            date(2026, 6, 1))
    assert result.errors == []
    assert result.rows == [{"establishment_id": e.id, "week": date(2026, 5, 11),
                            "users_connected": 4210, "users_total": 5120,
                            "physician_orders_pct": 72.5, "secure_chats_per_day": 1830.0,
                            "tickets_received": 640, "tickets_resolved": 590}]


def test_what_a_file_may_not_be(app, make_establishment):
    e = make_establishment("MCQ")
    allowed = {"MCQ": e}
    with app.app_context():
        def errors(text: str) -> list[tuple[int, str]]:
            return adoption.read_adoption_csv(text.encode(), allowed, date(2026, 6, 1)).errors

        assert errors("")[0][0] == 1
        assert "week" in errors("establishment,users_total\nMCQ,3\n")[0][1]
        assert "colour" in errors(HEADER.strip() + ",colour\n")[0][1]
        assert errors(HEADER)[0][0] == 1  # no line of figures
        assert errors(HEADER + "MCQ,2026-07-06,1,2,3,4,5,6\n")[0][0] == 2  # in the future
        assert errors(HEADER + "MCQ,2026-05-11,,,,,,\n")[0][0] == 2  # nothing reported
        assert errors(HEADER + "MCQ,2026-05-11,1.5,2,3,4,5,6\n")[0][0] == 2  # half a user
        assert errors(HEADER + "MCQ,2026-05-11,1,2\n")[0][0] == 2  # too few values


def test_the_upload_page_and_its_example(client, auth, make_user):
    admin = make_user(Role.ADMIN)
    auth.login(admin.email)
    page = client.get("/admin/adoption")
    assert page.status_code == 200 and "physician_orders_pct" in page.get_data(as_text=True)
    example = client.get("/admin/adoption/template.csv")
    assert example.mimetype == "text/csv"
    assert example.get_data(as_text=True).startswith(HEADER)
    assert upload(client, "", "nothing.pdf").status_code == 400
