"""What every section of the classifier's chain reads of one run, once: its words, the text
after it, the cue words before it and the identifier beside it; and the mark of a section that
decides nothing.
"""

import re

from feedback.analysis.redaction.patient_context import (
    _IDENTIFIER_BEFORE_NAME,
    _NAME_BEFORE_IDENTIFIER,
)
from feedback.analysis.redaction.words import _CUE, _GIVEN, _flags, _key, _Word

# A chart's word right before a word in capitals: that word is the site or the system that keeps
# the chart ("Dossier CHUL 887123", "MRN JGH …"), not the patient's name.
_CHART_WORD_BEFORE = re.compile(r"\b(?i:dossiers?|doss\.?|mrn|charts?|records?)[ \t]*[:#]?[ \t]*$")


# What the sections of the chain return when they decide nothing: the next section reads on.
class _Undecided:
    """The mark of a section that leaves the run to the next one."""


_UNDECIDED = _Undecided()
# The identifier beside a run, not read yet.
_UNREAD = _Undecided()


class _Reading:
    """What every section reads of one run, computed once: its words, the first of them, the text
    after it (past a surname's initial), the cue words before it and, when a section first asks,
    the identifier beside it. A plain class with slots: one is made for every run classified."""

    __slots__ = (
        "text",
        "start",
        "words",
        "names",
        "single",
        "word",
        "after",
        "cues",
        "_identified",
    )

    def __init__(
        self, text: str, start: int, words: list[_Word], names: list[_Word], after: str
    ) -> None:
        word = names[0]
        self.text, self.start, self.words, self.names = text, start, words, names
        self.single, self.word, self.after = len(names) == 1, word, after
        # The starts of the cue words among the few words before the name: every context read
        # before a name opens on one.
        self.cues = [
            w.start
            for w in words[max(0, word.index - 5) : word.index]
            if w.flags & _CUE and start - w.start < 70
        ]
        self._identified = _UNREAD

    @property
    def identified(self) -> re.Match | bool | None:
        """An identifier's placeholder right after the name, or right before it, says the name is
        on a record: a patient's, unless a chart's word makes it the site that keeps the chart."""
        if self._identified is _UNREAD:
            self._identified = self._read_identified()
        return self._identified

    def _read_identified(self) -> re.Match | bool | None:
        text, start, single, word, after = self.text, self.start, self.single, self.word, self.after
        identified = "[" in after and _NAME_BEFORE_IDENTIFIER.match(after)
        if (
            identified
            and single
            and word.upper
            and _CHART_WORD_BEFORE.search(text, max(0, start - 16), start)
        ):
            identified = None  # the site that keeps the chart: "Dossier CHUL [DOSSIER]"
        if not identified and text[max(0, start - 24) : start].count("["):
            identified = _IDENTIFIER_BEFORE_NAME.search(text, max(0, start - 24), start)
        if not identified and "[" in after and word.listed and not word.capital:
            # A census line typed in lower case, the surname first: "tremblay jean [DOSSIER]".
            given = _LOWER_GIVEN_AFTER.match(after)
            if given and _flags(_key(given[1])) & _GIVEN:
                identified = _NAME_BEFORE_IDENTIFIER.match(after[given.end() :])
        return identified


# A given name in lower case after a surname, then an identifier: a census line.
_LOWER_GIVEN_AFTER = re.compile(r"[ \t]+([a-zà-ÿ][a-zà-ÿ'’-]+)(?=[ \t]*[,(:–—-]?[ \t]*\[)")


def _ends_with(pattern: re.Pattern, text: str, starts: list[int], end: int) -> re.Match | None:
    """The pattern matched from one of the starts to exactly the end (it is anchored by $)."""
    for start in starts:
        found = pattern.match(text, start, end)
        if found:
            return found
    return None
