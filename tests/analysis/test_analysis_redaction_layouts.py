"""Redaction of census layouts in capitals, names of every origin, digits set apart one by one,
and the wings, trainers and places that must stay beside them; figures on two held-out sets."""

import json
from pathlib import Path

import pytest

from feedback.analysis import redact
from feedback.analysis.redaction.scoring import score

DATA = Path(__file__).resolve().parent.parent / "data"


def rows(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as file:
        return [json.loads(line) for line in file if line.strip()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "PT: MAHAMAT Idriss, DDN 1958-09-14, dossier 778812",
            "PT: [PATIENT], DDN [DATE DE NAISSANCE], dossier [DOSSIER]",
        ),
        ("MARCOTTE J. lit 7, ordonnance absente", "[PATIENT] lit 7, ordonnance absente"),
        ("- OUELLET M. / ch. 4 sans repas", "- [PATIENT] / ch. 4 sans repas"),
        ("Le pt Jean Roy, 1941, dans la 12", "Le pt [PATIENT], [DATE DE NAISSANCE], dans la 12"),
    ],
)
def test_census_names_in_capitals_and_birth_years_after_them_are_redacted(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NAS 5 5 0 0 4 7 1 2 0 dans la note", "NAS [NAS] dans la note"),
        ("SIN 2-4-2-9-9-5-3-7-1 on the form", "SIN [NAS] on the form"),
        ("tél. de la fille : 5 1 4 5 5 5 0 1 4 8", "tél. de la fille : [TÉLÉPHONE]"),
        ("DDN 1 9 4 7 - 0 3 - 1 2 au dossier", "DDN [DATE DE NAISSANCE] au dossier"),
        ("RAMQ T R E M 5 2 0 3 1 5 1 2 tapée", "RAMQ [RAMQ] tapée"),
    ],
)
def test_identifiers_with_every_digit_set_apart_are_redacted(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Scores de la semaine : 3 4 4 5 2 3 1 4, en hausse.",
        "7 West bed 3 alarm not routed to the phone, bed 4 fine.",
        "7 Ouest lit 3 : la cloche sonne pas.",
        "unité Nord lit 4 pas de cloche",
        "4 North bed 2 and 4 South bed 9 swapped on the board.",
        "Formée par Mme Caron, on a tout compris.",
        "Trained by Mrs. Smith yesterday, very clear.",
        "Patients haïtiens et vietnamiens : pas d'interface dans leur langue.",
        "Transport de Kitcisakik vers Val-d'Or retardé.",
    ],
)
def test_wings_counts_trainers_and_places_stay(text):
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("sa fille Nathalie pis son gendre Steve sont venus", ["Nathalie", "Steve"]),
        ("Y'a le bonhomme Lapierre-Cloutier qui a arraché son soluté", ["Lapierre-Cloutier"]),
        ("her stepson Darnell signed the form", ["Darnell"]),
        ("la marraine du bébé, Ginette, a appelé", ["Ginette"]),
    ],
)
def test_in_laws_godparents_and_familiar_nouns_name_a_patient_or_relative(text, names):
    redacted = redact(text)
    for name in names:
        assert name not in redacted


@pytest.mark.parametrize(
    "text",
    [
        "son courriel c'est nicole_b chez videotron.ca",
        "courriel de la fille : lucie point gagnon arobase videotron point ca",
    ],
)
def test_mailboxes_said_with_chez_or_arobase_are_redacted(text):
    assert "[COURRIEL]" in redact(text)


@pytest.mark.parametrize(
    "text",
    [
        "On est allés chez Costco.ca hier pour les piles.",
        "Avec Mme Picard on a refait le gabarit.",
        "L'agente administrative Mme Fontaine a corrigé l'adresse du patient.",
        "La secrétaire médicale Mme Fontaine a corrigé la liste.",
        "Formation donnée au 2705 boul. Laurier, salle 3, par Mme Caron.",
        "Atelier sur les ordonnances au local 4, donné par Julie Caron.",
        "Mme Gosselin nous a présenté le nouveau flux.",
        "M. Riendeau a coordonné la bascule.",
        "Le rapport vient de l'équipe (équipe qualité) avec Hugo Samson.",
        "Julie, personne-ressource Epic, au 514 555 0170",
        "la perruque blonde de Julie est restée au vestiaire",
        "(équipe analytique) Sébastien Morin a fait les graphiques",
        "Centre de services TI 1-866-555-0123",
        "Les formulaires sont à formulaires@cisss.gouv.qc.ca",
        "Salles 201 Jean-Talon et 202 Papineau réservées pour la formation",
        "ÉTAGE 4: 401 VIDE / 402 EN NETTOYAGE / 403 FERMÉ",
    ],
)
def test_shops_and_colleagues_worked_with_stay(text):
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "tableau blanc: 301 HÉBERT 302 KAMAU 303 LEFEBVRE-DIOP",
            "tableau blanc: 301 [PATIENT] 302 [PATIENT] 303 [PATIENT]",
        ),
        ("his son Garang came in at 2am", "his son [PATIENT] came in at 2am"),
        (
            "LITS 6E : 601 GRENIER ROLAND / 602 BALDE MARIAMA / 603 FERMÉ",
            "LITS 6E : 601 [PATIENT] / 602 [PATIENT] / 603 FERMÉ",
        ),
        ("l'infirmière de Mme Roy a appelé", "l'infirmière de Mme [PATIENT] a appelé"),
        ("Mme Roy nous a montré sa plaie", "Mme [PATIENT] nous a montré sa plaie"),
        ("RAMQ BOU G 4503 1214 (espace de trop)", "RAMQ [RAMQ] (espace de trop)"),
        ("ramq T.R.E.J. 5.3.0.1.1.8.2.2 au triage", "ramq [RAMQ] au triage"),
        (
            "Mr. Ramdhanie's son Vishal brought the pills",
            "Mr. [PATIENT]'s son [PATIENT] brought the pills",
        ),
        (
            "sa nièce Djenaba est la personne-ressource au 514 555 0170",
            "sa nièce [PATIENT] est la personne-ressource au [TÉLÉPHONE]",
        ),
        ("sa blonde Sabrina a laissé son numéro", "sa blonde [PATIENT] a laissé son numéro"),
        (
            "he lives at 1020 rue Ontario Est, Montréal, apt 5 since May",
            "he lives at [ADRESSE], Montréal, [ADRESSE] since May",
        ),
    ],
)
def test_whiteboards_and_sons_named_by_names_no_list_knows_are_redacted(text, expected):
    assert redact(text) == expected


def test_a_surname_named_west_is_still_a_patient():
    assert "West" not in redact("Le pt West en 7 est tombé, patient Oliver West bed 3.")


@pytest.mark.parametrize(
    "name",
    [
        "phi-adversarial-g.jsonl",
        "phi-adversarial-h.jsonl",
        "phi-adversarial-i.jsonl",
        "phi-adversarial-j.jsonl",
        "phi-adversarial-k.jsonl",
        "phi-adversarial-l.jsonl",
    ],
)
def test_figures_on_the_held_out_sets(name):
    labelled = rows(name)
    figures = score(labelled, [redact(row["text"]) for row in labelled])
    assert len(labelled) >= 60 and figures.keep_strings >= 30
    assert figures.recall >= 0.99
    assert figures.over_redaction <= 0.02
