"""What a text says a patient goes by besides the name already found: a nickname, a name said
("his name is ..."), another spelling or another surname. Each is as identifying as the name
on the chart, and shows by the words that say it is one, not by any list."""

import re

from feedback.analysis.redaction.vocabulary import _ROLE, PATIENT, _Lazy
from feedback.analysis.redaction.words import (
    _COMMON,
    _GIVEN,
    _ORDINARY,
    _flags,
    _key,
)


def _names_it_goes_by(text: str) -> str:
    """The text with a patient's nicknames, names said and other spellings replaced too."""
    if _NICKNAME_HINT.search(text):
        text = _redact_nicknames(text)
    if _NAME_SAID_HINT.search(text):
        text = _NAME_SAID.sub(_replace_name_said, text)
    if PATIENT in text or _NAME_NOUN_HINT.search(text):
        text = _OTHER_SPELLING.sub(_replace_other_spelling, text)
    return text


_NAME_SAID_HINT = re.compile(r"(?i:name\s+is|name['’]s|s['’]appelle)")
# A name the person is said to bear: "says his name is Bobby", "name's marjorie", "elle
# s'appelle Jocelyne", "Jocelyne qu'elle s'appelle". A colleague is named by the role instead.
_GIVEN_WORD = r"[A-Za-zÀ-ÿ][\w'’-]{1,25}"
_NAME_SAID = re.compile(
    r"(?P<lead>\b(?i:(?:his|her|their)\s+(?:real\s+|first\s+|last\s+)?name\s+is|name['’]s|"
    r"(?:il|elle)\s+s['’]appelle)[ \t:]+[«\"“'‘]?)"
    r"(?P<name>" + _GIVEN_WORD + r"(?:[ \t]+[A-ZÀ-Þ][\w'’-]+)?)"
    r"|(?P<name2>(?<![\w'’-])[A-ZÀ-Þ][\w'’-]{1,25})(?P<tail>[ \t]+qu['’](?:il|elle)\s+s['’]appelle)"
)
_ROLE_NEAR = _Lazy(rf"\b(?i:{_ROLE})\b[^.!?\n]{{0,40}}$")


def _replace_name_said(match: re.Match) -> str:
    name = match["name"] or match["name2"]
    first = name.split()[0]
    flags = _flags(_key(first))
    if first.islower() and not flags & _GIVEN or first[0].isupper() and flags & _COMMON:
        return match.group()  # "her name is spelled wrong", "his name is Epic-linked"
    if _ROLE_NEAR.search(match.string, max(0, match.start() - 60), match.start()):
        return match.group()  # "the nurse, her name is Julie": a colleague
    if match["name2"]:
        return PATIENT + match["tail"]
    return match["lead"] + PATIENT


_NAME_NOUN_HINT = re.compile(r"(?i:maiden|married|nom\s+de\s+(?:jeune\s+fille|femme))")
# The other spelling or the other name of a patient is as identifying as the right one: "should
# be [PATIENT] not Tremblais", "[PATIENT], pas Lacasse", "married name Sandoval".
_OTHER_SPELLING = re.compile(
    r"(?P<lead>\[PATIENT\][ \t]*[,;]?[ \t]+(?i:not|pas|instead\s+of|rather\s+than|au\s+lieu\s+de|"
    r"plut[ôo]t\s+que|et\s+non|and\s+not)[ \t]+[«\"“'‘]?[ \t]*"
    r"|(?i:maiden\s+name|married\s+name|nom\s+de\s+jeune\s+fille|nom\s+de\s+femme\s+mari[ée]e)"
    r"[ \t:]+(?:(?i:is|was|est|:)[ \t]+)?)"
    r"(?P<name>[A-ZÀ-Þ][\w'’-]{1,30})"
)


def _replace_other_spelling(match: re.Match) -> str:
    if _flags(_key(match["name"])) & _COMMON and not match["name"].isupper():
        return match.group()  # "[PATIENT], not Monday": a word, not another spelling
    return match["lead"] + PATIENT


# A nickname identifies a patient as well as the name on the chart: staff know the patient by
# it. It shows by its place: quoted beside the patient's name or after a title, or after what
# says it is one ("calls him", "known as", "surnommé", "nickname is", "(real name ...").
_NICK = r"[A-ZÀ-Þ][\w'’.-]{0,19}\w"


def _quoted_nick(suffix: str = "") -> str:
    return (
        rf"(?P<open{suffix}>[«\"“'‘][ \t]*)"
        rf"(?P<nick{suffix}>{_NICK}(?:[ \t]{_NICK})?)(?P<close{suffix}>[ \t]*[»\"”'’])"
    )


_NICKNAME_HINT = re.compile(
    r"[«\"“'‘]|(?i:\bcalls?\s|\bcalled\s|known\s+as|nickname|surnom|appelle|goes\s+by)"
)
_NICKNAME = re.compile(
    # Quoted right before the patient's name or the real name: "'Red' [PATIENT]", "'Bubbles'
    # (real name [PATIENT])", "« Chouchou » [PATIENT]", "'DJ' ([PATIENT])".
    _quoted_nick() + r"(?=[ \t]*(?:\(?[ \t]*\[PATIENT\]|\((?i:real\s+name|legal\s+name|vrai\s+nom|"
    r"de\s+son\s+vrai\s+nom|nom\s+l[ée]gal)\b))"
    # Quoted right after the patient's name: "M. [PATIENT] « Chouchou »".
    r"|(?<=\[PATIENT\])[ \t]+" + _quoted_nick("2")
    # After a patient's title, before the surname: "Mr. 'Smitty' Smith".
    + r"|(?:(?<=\bMr\.[ \t])|(?<=\bMrs\.[ \t])|(?<=\bMs\.[ \t])|(?<=\bMr[ \t])|"
    r"(?<=\bMrs[ \t])|(?<=\bMme[ \t])|(?<=\bM\.[ \t]))" + _quoted_nick("3")
    + r"(?=[ \t]+(?:[A-ZÀ-Þ][\w'’-]+|\[PATIENT\]))"
    # What says it is a nickname: "calls her Bubbles", "known as 'Red'", "surnommé Ti-Gus".
    r"|(?<![\w-])(?i:calls?(?P<whom>\s+(?:him|her|them))?|known\s+as|know\s+(?:him|her)\s+as|"
    r"goes\s+by|nicknamed|nickname\s+is|surnomm[ée]e?|(?:on\s+)?l['’]appelle|"
    r"son\s+surnom\s+(?:est|c['’]est))"
    r"[ \t:]+(?P<open4>[«\"“'‘]?[ \t]*)(?P<nick4>" + _NICK + r")"
    # The real name given beside a nickname: "(real name Maurice Roy)".
    r"|(?<![\w-])(?i:real\s+name|legal\s+name|de\s+son\s+vrai\s+nom|vrai\s+nom)[ \t:]+"
    r"(?P<real>" + _NICK + r"(?:[ \t]+" + _NICK + r"){0,2})"
)
# A surname right after a quoted nickname: "known as 'Red' Giroux".
_SURNAME_AFTER_NICK = re.compile(r"[ \t]*[»\"”'’][ \t]+([A-ZÀ-Þ][\w'’-]+)")


def _redact_nicknames(text: str) -> str:
    found: set[str] = set()
    for match in _NICKNAME.finditer(text):
        if match["real"]:
            found.add(match["real"])
            continue
        nick = match["nick"] or match["nick2"] or match["nick3"] or match["nick4"]
        quoted = not match["nick4"] or match["open4"].strip()
        if match["nick4"] and not quoted and (
            not match["whom"] and match.group().lower().startswith("call")
            or _flags(_key(nick.split()[0])) & _COMMON
        ):
            continue  # "called Epic support", "calls Roy": a word or a colleague, unless quoted
        found.add(nick)
        group = next(g for g in ("nick", "nick2", "nick3", "nick4") if match[g])
        surname = _SURNAME_AFTER_NICK.match(text, match.end(group))
        if surname and (match["nick3"] or quoted and not _flags(_key(surname[1])) & _ORDINARY):
            found.add(surname[1])
    for nick in sorted(found, key=len, reverse=True):
        text = re.sub(rf"(?<![\w\[-]){re.escape(nick)}(?![\w-])", PATIENT, text)
    return text
