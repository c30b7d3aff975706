"""Sign-offs, colleagues named by a label, a unit or a training, devices named by their maker,
and the numbers of relatives, namesakes and clients."""

import pytest

from feedback.analysis import redact
from feedback.analysis.redaction import BIRTH_DATE, DOSSIER, PATIENT, PHONE


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # A dash after the last stop signs the note, even after a colon earlier in it.
        ("Recherche patient: 250 résultats pour « Roy ». Par numéro. - Nadine", "Nadine"),
        ("wrong patient picked in Rover: caught it at the bedside. -Jessica", "Jessica"),
        ("Merci à elle! - Ginette, préposée, 2e Ouest", "Ginette"),
        # A worker named by a label, a colleague heard from on a unit, a trainer, a helper.
        ("The letter went out with the address anyway. Worker: Sophie Bédard.", "Sophie Bédard"),
        ("Heard from Yolande on 7 Est that the pump library is old.", "Yolande"),
        ("La formation était trop courte. Lucie Gendron a fait son possible.", "Lucie Gendron"),
        ("C'est Colette qui m'a montré comment trier la liste.", "Colette"),
        # A device named by its maker, a site and its region.
        ("Le lève-personne Arjo de la 302 est brisé.", "Arjo"),
        ("Les données du Hamilton au lit 4 ne passent pas.", "Hamilton"),
        ("Dossier 0451-220 (CHAL, Laurentides) fusionné par erreur.", "CHAL, Laurentides"),
    ],
)
def test_colleagues_devices_and_places_are_kept(text, kept):
    assert kept in redact(text)


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("Mr Roy, a construction worker, fell in the bathroom.", "Roy"),
        ("Heard from his son Gaétan that Mr Bilodeau refuses his meds.", "Gaétan"),
        ("Mme Roy a eu sa formation sur la pompe. Lise Caron a appelé après.", "Lise Caron"),
        ("Les données de Mme Hamilton au lit 4 ne passent pas.", "Hamilton"),
    ],
)
def test_patients_in_look_alike_contexts_are_redacted(text, gone):
    result = redact(text)
    assert gone not in result
    assert PATIENT in result


def test_a_relatives_new_contact_number_is_redacted():
    text = "La fille de M. Roy, Line, veut changer le numéro de contact pour le 450 555-0133."
    assert PHONE in redact(text)
    assert "0133" not in redact(text)


def test_a_services_contact_number_is_kept():
    text = "Numéro de contact du soutien Epic : 514 555 0100."
    assert "514 555 0100" in redact(text)


def test_the_other_namesakes_birth_year_is_redacted():
    result = redact("Two Smiths in 3 West: one was born 1950, other 1966.")
    assert result.count(BIRTH_DATE) == 2
    assert "1966" not in result


def test_a_lettered_client_number_is_a_chart_number():
    assert DOSSIER in redact("Résultats du client #A-44120 sous un autre dossier.")
    assert "v-20931" in redact("Le client Citrix v-20931 plante.")
