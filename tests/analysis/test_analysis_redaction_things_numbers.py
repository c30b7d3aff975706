"""Things staff name that look like names, and numbers whose owner the words around them tell:
drugs, devices and networks in capitals, a street named before its spelt-out type, a report's
title after "Patient", test and unidentified patients' records; a chart number in groups after
"no.", a service's line with its extension and the service in parentheses, a line the writer
calls the team's, a relative's number, one asked for in a family's quoted message or given
after a promise to call back, and a house's number alone after a verb of dwelling."""

import pytest

from feedback.analysis import redact
from feedback.analysis.redaction.vocabulary import ADDRESS, PHONE


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Les ordonnances de Dilaudid PCA n'apparaissent pas pour Mme Gauthier.", "Dilaudid PCA"),
        ("His wife brought his CPAP; Biomed must check it first.", "CPAP; Biomed"),
        ("BiPAP du patient Fortin branché sur la mauvaise prise.", "BiPAP"),
        ("Baby Girl Simard, NICU bed 3, has two charts.", "NICU"),
        ("Mr. Ahmed Noor's OHIP number went into the RAMQ field.", "OHIP"),
        ("Transfert du CRSSS Baie-James pour M. Bosum.", "CRSSS Baie-James"),
        ("Mrs. Doris King came from the King Street West clinic.", "King Street West"),
        ("Mr. Dale Wellington's pharmacy on Wellington Road called.", "Wellington Road"),
        ("Patient Summary prints the wrong DOB for Mrs. Dunn.", "Patient Summary"),
        ("Le Patient Lists ne se rafraîchit pas pour Mme Caron.", "Patient Lists"),
        ("Tested the dosing tool on ZZZTEST, Adult in PLY.", "ZZZTEST, Adult"),
        ("Jane Doe 47 was later identified as Kim Jacobs.", "Jane Doe 47"),
        ("Baby Doe in bed 2 still has no name.", "Baby Doe"),
    ],
)
def test_the_thing_stays(text, kept):
    assert kept in redact(text)


@pytest.mark.parametrize(
    ("text", "removed"),
    [
        ("Patient Hope was moved to room 12.", "Hope"),
        ("Patient Brown refused the wristband.", "Brown"),
        ("Mrs. Doris King came from the King Street West clinic.", "Doris King"),
    ],
)
def test_a_name_near_them_goes(text, removed):
    assert removed not in redact(text)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Le fils appelle; transféré au 418-555-1000 poste 4420 (archives).", "418-555-1000"),
        ("His daughter was sent to 514-555-6000 ext 2145 (admissions).", "514-555-6000"),
        ("His son keeps calling the unit at 450-555-7781 — that's our desk line.", "450-555-7781"),
        ("La fille appelle le poste au 819-555-0300, c'est notre ligne.", "819-555-0300"),
        ("Le soutien TI rappelle demain. Leur ligne : 514 555 0100.", "514 555 0100"),
    ],
)
def test_a_service_line_stays(text, kept):
    assert kept in redact(text)


@pytest.mark.parametrize(
    ("text", "removed"),
    [
        ("tel du fils : 418 555-2290 poste 12 (travail)", "418 555-2290"),
        ("Ask the clerk Mireille to flag the relative's number 438-555-0912.", "438-555-0912"),
        ("Email from a family: 'Mom missed her visit; please call 514 555 7712.'", "514 555 7712"),
        (
            "Texto de la fille : « Papa n'a pas ses pilules, appelez au 819 555 3371 »",
            "819 555 3371",
        ),
        (
            "Appel du conjoint de la patiente. Dre Roy rappelle demain. Son numéro : 819 555 4102.",
            "819 555 4102",
        ),
        (
            "The son left a message for Dr. Tran. He will call back. His cell: 438 555 0911.",
            "438 555 0911",
        ),
    ],
)
def test_a_relatives_number_goes(text, removed):
    redacted = redact(text)
    assert removed not in redacted
    assert PHONE in redacted


def test_a_chart_number_in_groups_after_no_is_a_charts():
    redacted = redact("Pt Mihai Ionescu, chart no. 20-443-187, wife Elena wants his CPAP.")
    assert "20-443-187" not in redacted
    assert PHONE not in redacted


@pytest.mark.parametrize(
    ("text", "removed"),
    [
        ("Mme Bélanger (la patiente) a reçu une lettre. Elle habite au 155.", "155"),
        ("Mr. Kline moved; he lives at 78 now, same street.", "78"),
    ],
)
def test_a_house_number_alone_goes(text, removed):
    redacted = redact(text)
    assert removed not in redacted
    assert ADDRESS in redacted


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Sa mère habite au 3e étage.", "3e"),
        ("The clinic now lives at 5 East.", "5 East"),
        ("Le patient reste au 12 jusqu'à demain.", "12"),
    ],
)
def test_a_floor_or_a_room_stays(text, kept):
    assert kept in redact(text)
