"""Redaction of identifiers typed in ways the shape grammars and cues must generalise to
(separators, lower-case names of any origin, cues a clause or a list away), and what must
stay beside them."""

import pytest

from feedback.analysis import redact

# --- RAMQ numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "TREM - 4512 - 1803",
        "TREM  4512  1803",
        "TREM:4512:1803",
        "trem·4512·1803",
        "TrEm. 4512. 1803",
        "TREM 451218-03",
        "tr em 45 12 18 03",
    ],
)
def test_ramq_numbers_with_unusual_separators_are_redacted(number):
    assert redact(f"carte RAMQ {number} scannée au mauvais dossier") == (
        "carte RAMQ [RAMQ] scannée au mauvais dossier"
    )


@pytest.mark.parametrize(
    "text",
    ["Lits : 4512 1803 et 4512 1804", "pour 12 345 678 clics", "Total 2024: 5203 1211"],
)
def test_a_word_before_numbers_set_apart_is_no_ramq_number(text):
    assert redact(text) == text


# --- E-mail addresses written out ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "patient's wife email jroy[@]hotmail.com for the portal",
            "patient's wife email [COURRIEL] for the portal",
        ),
        ("courriel de la fille: m.roy (@) videotron.ca", "courriel de la fille: [COURRIEL]"),
        ("le fils: denis{@}sympatico", "le fils: [COURRIEL]"),
        # A service's mailbox stays however its "@" is written.
        ("écrire à soutien[@]santequebec.ca", "écrire à soutien[@]santequebec.ca"),
        ("écrire à soutien(at)santequebec.ca", "écrire à soutien(at)santequebec.ca"),
    ],
)
def test_addresses_with_the_at_sign_in_brackets(text, expected):
    assert redact(text) == expected
