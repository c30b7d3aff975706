"""A full name with no title is a colleague's when its sentence gives it a staff role, and a
business named after a person is no one's name; a patient's or a relative's cue still wins."""

import pytest

from feedback.analysis import redact
from feedback.analysis.redaction import PATIENT


@pytest.mark.parametrize(
    "text, name",
    [
        ("Labo (Sylvie Paquin) a confirmé, les tubes étaient mal étiquetés.", "Sylvie Paquin"),
        ("Privacy office notified, Aaron Feldman.", "Aaron Feldman"),
        ("Gestionnaire jointe : Lise Caron.", "Lise Caron"),
        ("The unit clerks carried us through go-live, particularly Rosa Delgado.", "Rosa Delgado"),
        ("aidé Mélissa Corbeil, pt Lévesque lit 3, l'étiquette ne sortait pas.", "Mélissa Corbeil"),
        ("Le protocole de Gabriel Thériault n'a pas été mis à jour.", "Gabriel Thériault"),
        ("L'imprimante bloque. Hugo Désilets suit le dossier.", "Hugo Désilets"),
        ("The shift report template is blank. Noreen Walsh was notified.", "Noreen Walsh"),
        ("Dossiers en double encore. Appelé Lucie Bernier aux dossiers médicaux.", "Lucie Bernier"),
        ("Ses médicaments viennent du Jean Coutu du coin.", "Jean Coutu"),
    ],
)
def test_a_name_given_a_staff_role_is_kept(text, name):
    assert name in redact(text)


@pytest.mark.parametrize(
    "text, name",
    [
        ("Family informed, Bernadette Lacroix (daughter).", "Bernadette Lacroix"),
        ("Plusieurs patients ont attendu, surtout Hervé Labelle au lit 4.", "Hervé Labelle"),
        ("Aidé Simone Bégin à marcher jusqu'à la salle de bain.", "Simone Bégin"),
        ("La procédure de congé de Rita Castonguay a été faite trop tard.", "Rita Castonguay"),
        ("La patiente a chuté cette nuit. Carole Jobin a été avisée.", "Carole Jobin"),
        ("Mme Jean Coutu, ch. 12, attend son congé.", "Coutu"),
        ("Jean Coutu, 82 ans, a chuté cette nuit au lit 4.", "Jean Coutu"),
        ("Lab notified, Sean Roy refused the blood draw again.", "Sean Roy"),
        ("Infirmière avisée, Roger Pelletier refuse encore ses pilules.", "Roger Pelletier"),
        ("Réal Poitras en a parlé au gestionnaire : son père attend ses soins.", "Réal Poitras"),
        ("Manon Lévesque suit le dossier de sa mère de près.", "Manon Lévesque"),
    ],
)
def test_a_patient_or_a_relative_beside_a_staff_cue_is_still_redacted(text, name):
    redacted = redact(text)
    assert name not in redacted and PATIENT in redacted
