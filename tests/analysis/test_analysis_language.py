import pytest

from feedback.analysis import analyse


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Le système est lent ce matin.", "fr"),
        ("chu pas capable de me connecter pis ca bug", "fr"),
        ("Mot de passe expire encore.", "fr"),
        ("Trop de clics.", "fr"),
        ("le wifi est tombe a l'urgence", "fr"),
        ("Le track board freeze quand j'ouvre la liste. Please fix.", "fr"),
        ("Merci!", "fr"),
        ("The system is slow this morning.", "en"),
        ("Still no access to the flowsheets.", "en"),
        ("Too many clicks.", "en"),
        ("The 24/7 line is great mais I shouldn't have to call it for this.", "en"),
        ("Wifi au sous-sol is still a joke, we chart on paper down there.", "en"),
    ],
)
def test_language(text, language):
    assert analyse(text).language == language


def test_nothing_to_go_on_is_french():
    assert analyse("12345 !!!").language == "fr"
