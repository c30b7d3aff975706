import pytest

from feedback.analysis import redact


@pytest.mark.parametrize(
    ("text", "identifier", "placeholder"),
    [
        ("Carte RAMQ LEBM 6702 1408 illisible au scan.", "LEBM 6702 1408", "[RAMQ]"),
        ("Numéro d'assurance maladie gagj53110712 saisi deux fois.", "gagj53110712", "[RAMQ]"),
        ("Ouvert le dossier 2938475 pour la note de départ.", "2938475", "[DOSSIER]"),
        ("Résultats égarés, no de dossier : 0384756.", "0384756", "[DOSSIER]"),
        ("Chart # 7765432 has two allergy lists.", "7765432", "[DOSSIER]"),
        ("MRN 3349201 was merged into the wrong encounter.", "3349201", "[DOSSIER]"),
        ("La fille joignable au 819-555-0144 attend un rappel.", "819-555-0144", "[TÉLÉPHONE]"),
        ("Son cellulaire : (418) 555 0123.", "(418) 555 0123", "[TÉLÉPHONE]"),
        ("Call the son at +1 514 555 0187 tonight.", "+1 514 555 0187", "[TÉLÉPHONE]"),
        (
            "Il veut ses résultats à m.lapierre62@videotron.ca.",
            "m.lapierre62@videotron.ca",
            "[COURRIEL]",
        ),
        ("Patient asked for a copy at jsmith1950@gmail.com.", "jsmith1950@gmail.com", "[COURRIEL]"),
        (
            "Patiente née le 3 mars 1941, allergie non affichée.",
            "3 mars 1941",
            "[DATE DE NAISSANCE]",
        ),
        ("Date de naissance : 1956-09-30, bracelet erroné.", "1956-09-30", "[DATE DE NAISSANCE]"),
        ("DOB 11/02/1962 shows as 1926 on the label.", "11/02/1962", "[DATE DE NAISSANCE]"),
        ("Born March 14, 1939 and flagged as a newborn.", "March 14, 1939", "[DATE DE NAISSANCE]"),
    ],
)
def test_identifiers_become_placeholders(text, identifier, placeholder):
    redacted = redact(text)
    assert identifier not in redacted
    assert placeholder in redacted


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Mme Bouchard attend son congé depuis midi.", "Bouchard"),
        ("M. Thériault n'a pas eu sa dose.", "Thériault"),
        ("Monsieur Vachon et Madame Côté-Leduc sont au 5e.", "Vachon"),
        ("Monsieur Vachon et Madame Côté-Leduc sont au 5e.", "Côté-Leduc"),
        ("La patiente Nadia Roy refuse la prise de sang.", "Nadia Roy"),
        ("L'usager Réjean Fortier est transféré demain.", "Réjean Fortier"),
        ("La résidente Mme Poulin a chuté cette nuit.", "Poulin"),
        ("Mr. Smith was discharged without his prescription.", "Smith"),
        ("Mrs O'Neil's labs went to another doctor.", "O'Neil"),
        ("mme gagnon est encore sur civière.", "gagnon"),
        ("Les résultats de Gisèle Morin ne s'affichent pas.", "Gisèle Morin"),
        ("Xiu Chen (MRN 4455667) was registered twice.", "Xiu Chen"),
    ],
)
def test_patient_names_are_redacted(text, name):
    redacted = redact(text)
    assert name not in redacted
    assert "[PATIENT]" in redacted


def test_placeholders_keep_the_text_readable():
    text = "Mme Gagnon en 412 (dossier 0458123) attend depuis 2h."
    assert redact(text) == "Mme [PATIENT] en 412 (dossier [DOSSIER]) attend depuis 2h."


def test_lead_in_words_and_punctuation_stay():
    assert redact("Pour M. Leduc, né le 2 avril 1950, rien n'a suivi.") == (
        "Pour M. [PATIENT], né le [DATE DE NAISSANCE], rien n'a suivi."
    )


@pytest.mark.parametrize(
    "text",
    [
        "Billet INC0042317 toujours ouvert, laissez un message au poste 4521.",
        "Ticket RITM0019833 and REQ0045521 are still pending, ext. 4488.",
        "Lit 3 et chambre 614 inversés; la civière 22 est en 412.",
        "Depuis le démarrage du 9 mai, 687 naissances ont été documentées.",
        "Go-live was June 3; clinic volumes are at 80% and we saw 28 patients.",
        "La Dre Lavoie et l'infirmière Julie ont corrigé la FADM ensemble.",
        "Dr. Patel thanked Marie-Ève, our RT super-user, for the quick fix.",
        "Julie Tremblay, notre superutilisatrice de nuit, a tout réglé.",
        "Merci à Sophie Bergeron du centre de commandement!",
        "La préposée Nathalie a aidé Karine, l'infirmière auxiliaire.",
        "Appelez la ligne de soutien au 1-833-555-0100 ou à soutien.dsn@cisss-exemple.gouv.qc.ca.",
        "Version 15.2 de Haiku; le poste PHA-0231 redémarre à 2:15.",
        "Le lot 2215874 de seringues a été rappelé par le fournisseur.",
        "Hôpital Pierre Boucher et CLSC Lucien Pariseau sont branchés depuis lundi.",
        "Le patient était calme. La patiente du 3 aussi.",
    ],
)
def test_look_alikes_survive_unchanged(text):
    assert redact(text) == text


def test_redaction_is_idempotent():
    once = redact("Mme Gagnon (dossier 0458123), née le 12 janvier 1931, cell 514-555-0199.")
    assert redact(once) == once


def test_result_is_stripped():
    assert redact("  M. Roy attend.\n") == "M. [PATIENT] attend."
