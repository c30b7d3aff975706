"""Words around a name that make it a patient's or a relative's: titles, patient nouns,
relations, clinical events after it, beds, ages, identifiers, labels of a record.
"""

import re

from feedback.analysis.redaction.vocabulary import (
    _FAMILY,
    _FAMILY_GROUP,
    _FRENCH_RESIDENT,
    _IDENTIFIER,
    _RELATIVE,
    _Lazy,
)

_PATIENT_TITLE_BEFORE = re.compile(
    r"(?:\bM\.?|(?<![.\w])m\.|"
    r"\b(?i:mr|mrs|ms|mme|mmes|mlle|madame|monsieur|mister|mesdames|messieurs|sra|srta|"
    r"se[ñn]ora|se[ñn]or|signora|signor|sig\.ra|do[ñn]a|senhora|senhor)\.?"
    r"|\bMiss)"
    # Typed fast, the name is glued to the stop of a title of two letters or more: "Mr.Vasquez".
    r"(?:[ \t]+|(?<=[A-Za-z]{2}\.))(?:[A-ZÀ-Þ]\.[ \t]*(?:-?[A-ZÀ-Þ]\.[ \t]*)?)?"
    # A particle the name opens on: "Mr. De Souza", "Mme de la Fontaine" (after an article, as
    # in "le monsieur de Mistissini", the title is a noun and _classify reads a place).
    r"(?P<particle>(?:(?i:de|du|des|da|das|do|dos|di|del|della|van|von|der|den|ten|ter|la|le|"
    r"el|al|st|ste)[ \t]+){1,2})?$"
)

_PATIENT_NOUN_BEFORE = re.compile(
    rf"(?:\b(?i:patiente?s?|pts?|pte|usag[èe]re?s?|b[ée]n[ée]ficiaires?|{_FRENCH_RESIDENT}|"
    r"client(?:e)?s?|h[ée]berg[ée]e?s?|(?:patiente?|pte?|usag[èe]re?|r[ée]sidente?|monsieur|"
    r"madame|dame|homme|femme|man|woman|lady|gentleman|gars|b[ée]b[ée]|baby)\s+(?:nomm[ée]e?|"
    r"named|appel[ée]e?|surnomm[ée]e?|d[ée]nomm[ée]e?)"
    # "called" names a patient an indefinite article brings in: "the patient called Info-Santé"
    # is what that patient did.
    r"|\b(?i:an?|one|another)\s+(?i:patient|pt|client|lady|man|woman|gentleman|guy|baby)"
    r"\s+(?i:called)"
    # "le dénommé Gustave": a person only a note about care names so.
    r"|(?:(?<=\b[lL]e\s)|(?<=\b[lL]a\s)|(?<=\b[uU]n\s)|(?<=\b[uU]ne\s)|(?<=\b[cC]e\s)|"
    r"(?<=\b[cC]ette\s))(?i:d[ée]nomm[ée]e?|surnomm[ée]e?))"
    r"(?:\s+(?i:in|en|au|at|du|de\s+la|de|of|dans\s+la|room|bed|lit|chambre|ch\.?|from)\s*#?\s*"
    r"\d{1,4}[A-Za-z]?\b)?"
    # The patient's number, or its placeholder, then the name in parentheses: "client #A-20931
    # (Dominic)", "client no. [DOSSIER] (Tyler)"; not a year ("usagers 2025 (…)").
    r"(?:\s+(?:#|(?i:no\.?|n°))?\s*(?:(?!(?:19|20)\d\d\b)(?:[A-Z]{1,4}-?)?\d[\d-]{2,}\d"
    r"|\[[A-ZÀ-Þ ]+\])(?=\s*\())?"
    # Anyone placed in a bed is a patient: "le bonhomme au 22, Gilles", "the lady in 7: Ann";
    # so is anyone on a numbered stretcher, in a hallway or a bay of the emergency room ("the
    # guy in hallway 4 - Marcel -", "la dame du corridor 3, Huguette").
    r"|\b(?i:bonhomme|monsieur|madame|dame|vieux|vieille|homme|femme|gars|man|woman|lady|"
    r"gentleman|guy|fellow)\s+(?i:in|en|au|du|de\s+la|of|dans\s+la|dans\s+le|from|on)\s+"
    r"(?:(?i:the|le|la)\s+)?(?:(?i:room|bed|lit|chambre|ch\.?|hallway|hall|corridor|couloir|"
    r"civi[èe]re|stretcher|cubicule|cubicle|box|bay|baie)\s*)?#?\s*\d{1,4}[A-Za-z]?\b"
    # A patient or a child said with an age or a unit, then the name set apart by a comma:
    # "Enfant de 8 ans, Tobias Ruiz,", "Jeune patiente de pédopsy, Océane,", "a girl of 6, Ava".
    # Not one already determined, whose sentence goes on about someone else: "Pour le patient
    # de l'urgence, Julie a appelé".
    r"|(?<![lL]e\s)(?<![lL]a\s)(?<![dD]u\s)(?<![aA]u\s)(?<![tT]he\s)(?<![lL]['’])"
    r"\b(?i:patiente?|pte?|usag[èe]re?|enfant|child|kid|gar[çc]on|boy|girl|b[ée]b[ée]|baby)"
    r"\s+(?i:de|du|d['’]|en|of|in|from|on)\s+(?:(?i:la|le|l['’]|the)\s*)?[^\W_]+"
    r"(?:\s+(?i:ans|mois|semaines?|jours?|years?|months?|weeks?|days?)(?:\s+old)?)?\s*,)"
    r"[\s:=#(«\"“'’,—–-]*$"
)

_RELATION_BEFORE = re.compile(
    rf"(?:\b(?i:chez|visite\s+(?:à|de)|visit\s+to|{_FAMILY})"
    r"(?:\s+(?:[A-D](?:\s*/\s*[A-D])?|#\s?\d|\d(?:\s*(?:et|and|&|/)\s*\d)?)\b"
    r"|\s+(?i:de|du|in|of)\s+(?:(?i:la|le|l['’]|the)\s*)?(?:(?i:chambre|ch\.?|lit|room|bed)\s*)?"
    r"\d{1,4}[A-Za-z]?\b)?"
    # Québec French says whose with "à": "la fille à Pierre".
    r"(?:\s+(?i:de|du|d['’]|des|of|à))?"
    r"(?:\s+(?i:la|le|l['’]|the|notre|our|sa|son|ses|his|her|their|mon|ma|my|leur))?"
    # A child called so: "le dossier de la petite Lemieux", "the little Cole's chart".
    r"(?:\s+(?i:petite?|p['’]tite?|ptite?|little))?"
    # The relative named as the complement: "Daughter is Lina", "sa fille c'est Lina".
    r"(?:\s+(?i:is|was|est|c['’]est|[ée]tait))?"
    # A relative's noun and what they feel, then their name set apart: "un fils furieux,
    # Martin Roy", "une fille inquiète, Lina".
    rf"|\b(?i:{_FAMILY})(?:[ \t]+[^\W\d_]{{3,}}){{1,2}}[ \t]*,"
    # A relative calls about their own: "sa conjointe Lucie a appelé pour Réjean", "the
    # daughter called about Ahmed", "son fils téléphone au sujet de Gilles".
    rf"|\b(?i:{_FAMILY})(?:[ \t]+(?:[^\W\d_][\w'’-]*|\[PATIENT\])){{0,3}}?[ \t]+"
    r"(?i:a[ \t]+(?:appel[ée]|t[ée]l[ée]phon[ée]|rappel[ée])|appelle|rappelle|t[ée]l[ée]phone|"
    r"called|calls|is[ \t]+calling|was[ \t]+calling|phoned|called[ \t]+back)[ \t]+"
    r"(?i:pour|about|for|au[ \t]+sujet[ \t]+de|concernant|regarding|re|"
    r"(?:to|pour)[ \t]+(?:ask|check|prendre[ \t]+des[ \t]+nouvelles)[ \t]+(?:about|on|de))"
    r"|\b(?i:lit|bed|chambre|ch\.?|room|rm|civi[èe]re|stretcher|cubicule|box|civ\.?)\s*#?\s*"
    r"\d{1,4}[A-Za-z]?\b\s*(?:[:=,(—–-]\s*)?"
    r"|\b(?i:r[ée]sultats?|dossier|chambre|lunettes|proth[èe]ses?|dentiers?|plateau|bracelet|"
    r"[ée]tiquettes?|signes\s+vitaux|prise\s+de\s+sang|pr[ée]l[èe]vements?|m[ée]dicaments|"
    r"m[ée]dication|allergies?|cong[ée]|transfert|admission|sortie|d[ée]c[èe]s|diagnostic|"
    r"proches?|effets|labs?|"
    r"results|chart|meds|medications?|vitals|wristband|armband|labels?|discharge|allerg(?:y|ies)|"
    r"face\s*sheet|med\s+list|plan\s+de\s+soins|care\s+plan|visitors?|visiteurs?|belongings|"
    r"identit[ée]|insuline|insulin|pansement|dressing|tube|[ée]chantillon|sample|specimen|"
    r"transport|civi[èe]re|soluté|IV|sonde|catheter|cath[ée]ter|portion|repas|d[îi]ner|souper|"
    r"d[ée]jeuner|lunch|dinner|breakfast|tray|suivi|gaz|glyc[ée]mies?|bilans?|plaies?|inr|doses?|"
    r"poids|weight|x-?rays?|radiographies?|scans?|chirurgie|surgery|chutes?|falls?|"
    r"ordonnances?|prescriptions?|rendez-vous|rdv|appointments?|"
    # What only a patient takes or uses: "les pilules de Hope", "Faith's walker".
    r"pilules?|pills?|comprim[ée]s?|pilulier|sirop|gouttes|perfusion|antibiotiques?|antibiotics|"
    r"couches?|marchette|walker|fauteuil\s+roulant|wheelchair|cloche|call\s+bell|"
    # A sample taken from the body: "les hémocultures de Roy", "the swab for Khan".
    r"h[ée]mocultures?|cultures?|frottis|biopsies?|swabs?|blood\s+cultures?|bloodwork|"
    # A clinical assessment is of the one assessed: "l'évaluation de Gilles", "Ray's consult".
    r"[ée]valuations?|assessments?|consults?|consultations?|anamn[èe]ses?)s?"
    r"\s+(?:de|du|d['’]|des|of|for|pour)"
    # What is written about someone in their care: "ma note sur Roy", "my note on Khan".
    r"|\b(?i:notes?|documentation|charting)(?:\s+(?i:de\s+suivi|d['’][ée]volution|"
    r"d['’]intervention))?\s+(?:sur|on|about|concernant|regarding)"
    r"|\b(?i:for|pour)\s+(?:pts?|patiente?)"
    r")[\s:=#(«\"“'’,—–-]*$"
)

_SURNAME_DETERMINER_BEFORE = re.compile(
    r"(?:(?<=\bun\s)|(?<=\bune\s)|(?<=\bl['’]))(?i:autre)\s+$"
    r"|\b(?i:deux|trois|quatre|cinq|two|three|four)\s+$"
)

_FAMILY_AFTER = re.compile(rf"\s+(?i:{_FAMILY_GROUP})\b")

_RELATIVE_NOUN_BEFORE = _Lazy(rf"\b(?i:{_RELATIVE})(?:[ \t]+|[ \t]*[,:(—–][ \t]*)$")

_NEWBORN_BEFORE = re.compile(
    r"(?i:\b(?:jumeaux|jumelles?|tripl[ée]e?s|twins?|triplets|b[ée]b[ée]s?|bbs?|"
    r"baby(?:\s+(?:boy|girl))?|newborn|nouveau-n[ée]e?)\s+)$"
)

_INFANT_AGE = (
    # An infant's age in the chart's abbreviation, or said as one ("3 weeks old", "5 jours de
    # vie"); a span of time goes on ("Marc, 2 semaines de vacances").
    r"(?:(?i:mo|mos)\b|(?i:mois|semaines?|sem|wks?|weeks?|months?|jours?|days?)\s+(?i:old|de\s+vie)\b)"
    r"(?=[ \t]*[,);:]|[ \t]*[.—–-](?:\s|$))"
)

# Someone told by their age in apposition: "(la petite de 4 ans", ", le garçon de 8 ans",
# "(the 4-year-old", "(notre bébé de 3 mois". A child, a patient or a relative: no colleague is
# introduced by their age.
_AGED_PERSON = (
    # A time of the event may come between: "Jonathan hier soir (le jeune de 19 ans".
    r"(?:\s+(?i:hier(?:\s+(?:soir|matin))?|ce\s+(?:matin|soir)|cette\s+nuit|last\s+night|"
    r"yesterday|this\s+(?:morning|evening)|tonight))?(?:"
    # An indefinite article brings in someone new ("Hier, un patient de 92 ans"): no apposition.
    r"\s*[,(]\s*(?:(?i:le|la|l['’]|the|notre|our|mon|ma|my|cette|ce|this)\s*)?(?:"
    r"(?:(?i:petite?|p['’]tite?|ptite?|little|jeune|young)\s+)?"
    r"(?i:fille|fillette|gar[çc]on|gars|gamine?|ado|adolescente?|enfant|b[ée]b[ée]|bb|girl|"
    r"boy|kid|child|baby|toddler|teen|teenager|jeune|youth|monsieur|madame|dame|homme|femme|man|woman|"
    r"lady|gentleman|patiente?|pte?|r[ée]sidente?)\s+(?i:de|of|d['’]|aged)"
    r"|(?i:petite?|p['’]tite?|ptite?)\s+(?i:de|d['’]))"
    r"\s*\d{1,3}\s*(?i:ans|an|mois|sem|semaines?|jours?|years?|months?|wks?|weeks?|days?)\b"
    # Months set off alone between commas are an infant's age too: "Lou, 6 mois, est revenue";
    # a span goes on ("Lou, 2 mois de congé"), and weeks in parentheses are a leave's.
    r"|\s*,\s*\d{1,2}\s*(?i:mois|months?)\s*,"
    r"|\s*[,(]\s*(?:(?i:the|our|my|this)\s+)?\d{1,3}[- ](?i:years?|months?|weeks?)"
    r"[- ](?i:old)\b)"
)

# A room said as Québec French says it, "la 8": not an ordinal ("la 3e"), a time, a count, nor
# a unit ("la 3 Nord", "la 6 Est", where colleagues work).
_ROOM_SAID = (
    r"\s+(?:(?i:chambre|ch\.?)\s*)?\d{1,4}[A-Z]?\b"
    r"(?![ \t]*(?i:e|[eè]me|i[eè]re|er|re)\b)"
    r"(?![ \t]*(?:[.,:/h]\d|(?i:min\w*|h\b|heures?|%)))"
    r"(?![ \t]+(?:(?i:nord|sud|ouest|north|south|west|east)\b|E[sS][tT]\b))"
)
# An age told in apposition, strong enough for a name that is also a word to open the sentence:
# "Levi (the 2-year-old in bay 5)".
_AGED_PERSON_AFTER = re.compile(rf"^{_AGED_PERSON}")

# An age alone set off after a name, or closing what is said of them in parentheses: "Jimmy
# Caron (le jeune hockeyeur, 16 ans)", "Léo (16 ans)", "Noah, 15 yo,". No colleague is
# introduced by their age; years of work go on ("25 ans d'expérience", "20 years on the unit").
_AGE_SET_OFF_AFTER = re.compile(
    r"^\s*(?:,|\((?:[ \t]*[^\W\d_]+(?:['’-][^\W\d_]+)*){0,4}[ \t]*,?)[ \t]*\d{1,3}[ \t]*"
    r"(?i:ans|yo|y\.?o\.?|years?[ \t]+old)(?=[ \t]*[,;)]|[ \t]*\.(?:\s|$)|[ \t]*$)"
)

# Where a patient lies: "Gaspard à la 14", "dans la 8".
_IN_ROOM_SAID = rf"\s+(?i:dans\s+la|[àa]\s+la){_ROOM_SAID}"

# What after a word no list knows still makes it a patient's name: an age, a bed, "twins".
_PATIENT_STRONG_AFTER = re.compile(
    r"^\s*[,(]\s*\d{1,3}\s*(?:(?i:ans|yo|y\.?o\.?|years?\s+old)\b|[MFH]\b)"
    # An infant's age: "Jaxon, 6 mo", "Noah, 5 jours de vie".
    rf"|^\s*[,(]\s*\d{{1,2}}\s*{_INFANT_AGE}"
    rf"|^{_AGED_PERSON}|^{_IN_ROOM_SAID}"
    r"|^['’]s\s+(?i:son|daughter|wife|husband|mother|father|mom|mum|dad|parents|grandma|grandpa|"
    r"aunt|uncle|brother|sister|kids|children|grandson|granddaughter|niece|nephew|partner|spouse|caregiver|family|"
    # Only a body gives a sample: "Hope's blood cultures".
    r"(?:blood\s+)?cultures?|bloodwork|swabs?|biops(?:y|ies)|urine|stool|sputum)\b"
    r"|^\s*[,(]?\s*(?i:(?:au|en|dans\s+la|dans\s+le|à\s+la|in|at)\s+)?(?i:lit|bed|chambre|room|"
    r"civi[èe]re|ch\.?|rm|stretcher)\s*#?\s*\d"
    rf"|^\s+(?i:{_FAMILY_GROUP})\b"
)

# A fall, not what befalls a colleague ("tombée malade", "tombé sur un bogue") or a system
# ("tombé en panne"); a wait for one's care, not for one's access or codes.
_FELL = (
    r"tomb[ée]e?\b(?!\s+(?:en\s+panne|[àa]\s+l['’]eau|[àa]\s+plat|down|un|une|malade|enceinte|"
    r"en\s+amour|en\s+cong[ée]|sur\s+(?:un|une|des|ce|cette|ces|le\s+bon))\b)"
)
_WAITS = (
    r"attend(?:\s+depuis\s+\d+\s*(?:h|heures?)\b)?\s+(?:pour\s+)?"
    r"(?:(?:son|sa|ses|le|la)\b(?!\s+(?:acc[èe]s|codes?|mots?\s+de\s+passe|identifiants?|"
    r"formations?|horaires?|paie|badge|cartes?|comptes?|ordinateur|tablette|rempla[çc]ante?|"
    r"rel[èe]ve|r[ée]ponse|approbation|billet|ticket|tour)\b)"
    # A bed or a place somewhere: "Blanc attend un lit en CHSLD".
    r"|(?:un|une)\s+(?:lit|place|chambre|civi[èe]re|transfert|h[ée]bergement|chirurgie|greffe)\b)"
)

# A refusal of care, not of help to a colleague: "Roy a refusé de m'aider".
_REFUSES = (
    r"(?:refuse|refused|refuses|a\s+refus[ée])(?!\s+(?:de\s+(?:m['’]|nous|t['’]|vous|me|te|"
    r"l['’]aider|aider)|to\s+help|my|our|mon|ma|mes|notre)\b)"
)

_PATIENT_AFTER = re.compile(
    r"^\s*[,(]\s*\d{1,3}\s*(?:(?i:ans|yo|y\.?o\.?|years?\s+old|a|an)\b|[MFH]\b)"
    rf"|^\s*[,(]\s*\d{{1,2}}\s*{_INFANT_AGE}"
    rf"|^{_AGED_PERSON}"
    r"|^\s*[,(]?\s*(?i:(?:au|en|dans\s+la|dans\s+le|à\s+la|in|at|on)\s+)?(?i:lit|bed|chambre|room|"
    r"civi[èe]re|ch\.?|rm|stretcher)\s*#?\s*\d"
    # A room after "en": "Ginette en 12", "MARCEL EN 4"; not a count ("en 2 minutes").
    r"|^\s+(?i:en)\s+(?:\d{2,4}[A-Z]?\b|\d[A-Z]?\b(?![ \t]*(?:[.,:/h]\d|(?i:min\w*|h\b|heures?|"
    r"jours?|semaines?|mois|ans|fois|sec\w*|[ée]tapes?|clics?|x\b|e\b|[eè]me\b|%|étages?))))"
    # Québec French puts a patient "dans la 8" or "à la 8", the room, and names one "de la 8".
    rf"|^\s+(?i:de\s+la){_ROOM_SAID}|^{_IN_ROOM_SAID}"
    # And "du 210", the room's number alone: "Ti-Gus du 214 a fugué"; not a date, a range, a
    # floor, a unit or an extension ("Julie du 15 mars", "du 3 au 5", "Marc du 2", "du 4e",
    # "du 3 Nord", "Karine du 2400"), unless a bed's noun says so ("du lit 4").
    r"|^\s+(?i:du)\s+(?:(?i:lit|ch\.?)\s*\d{1,4}|\d{2,3})[A-Z]?\b"
    r"(?![ \t]*(?:[.,:/h-]\d|(?i:min\w*|h\b|heures?|%|au\b|à\b|to\b|et\b|janv\w*|f[ée]v\w*|mars|"
    r"avr\w*|mai|juin|juil\w*|ao[ûu]t|sept\w*|oct\w*|nov\w*|d[ée]c\w*|nord|sud|ouest|est)\b))"
    # Or says who it is after a comma, by a bed: "Roger, le monsieur de la 7".
    # Or whose patient it is: "Lou, mon patient de la 12", "Ann, my patient in 4", "Lou, ma
    # résidente"; a patient partner is a role.
    r"|^\s*[,(]\s*(?i:mon|ma|mes|notre|nos|my|our)\s+(?i:patiente?s?|pte?|r[ée]sidente?s?|"
    r"usag[èe]re?s?|cliente?s?|b[ée]n[ée]ficiaires?)\b"
    r"(?![ \t-]*(?i:partenaires?|partners?|ressources?|experts?|advisors?|conseill\w*)\b)"
    r"|^\s*,\s*(?i:le|la|l['’]|notre|our|the)\s*(?i:monsieur|madame|dame|bonhomme|vieux|vieille|"
    r"petite?|gars|homme|femme|man|woman|lady|gentleman|guy|patiente?|pte?|r[ée]sidente?|"
    r"usag[èe]re?)\s+(?i:de\s+la|du|au|en|dans\s+la|in|"
    r"of|from)\s+(?:(?i:chambre|ch\.?|room|bed|lit)\s*)?#?\s*\d{1,4}[A-Z]?\b"
    # A floor and a wing is a unit, where colleagues work too: "Angela in 7S laughed".
    r"|^\s+in\s+(?!\d{1,2}[NSEW]\b)(?:room\s+|rm\s+|bed\s+)?(?:\d{1,3}|(?!19|20)\d{4})[A-Z]?\b"
    r"(?!\s*(?:min|h\b|hours?|days?))"
    r"|^\s*\(\s*(?:M\.|Mme|Mr\.?|Mrs\.?|Monsieur|Madame)(?:\s|\))"
    r"|^\s*\(\s*(?i:(?:le|la|the|une?|an?)\s+)?(?i:monsieur|madame|dame|patiente?|pte?|"
    r"r[ée]sidente?|usag[èe]re?)\b"
    rf"|^\s+(?i:{_FAMILY_GROUP}|baby|enfants)\b"
    r"|^['’]s\s+(?i:son|daughter|wife|husband|family|mother|father|mom|mum|dad|parents|grandma|"
    r"grandpa|aunt|uncle|brother|sister|kids|children|grandson|granddaughter|niece|nephew|partner|spouse|caregiver|labs?|meds|chart|room|bed|"
    r"results|vitals|wristband|allerg\w+|discharge|admission|insulin|dressing|wound|glasses|"
    r"dentures|tray|belongings|health\s+card|mrn|file|record|"
    # A sample taken from the body or a test of it: "Khan's blood cultures", "Roy's swab".
    r"(?:blood\s+)?cultures?|bloodwork|blood\s+work|swabs?|specimens?|samples?|urine|biops(?:y|ies)|"
    r"triage|ecg|ekg|x-?rays?|ct|mri|troponins?)\b"
    # A relative's noun alone in parentheses after the name: "Jean (son)", "Marie (fille)".
    rf"|^\s*\(\s*(?i:{_RELATIVE})\s*\)"
    # A relative's noun in parentheses after the name: "Madeleine (la voisine de Mme …)".
    rf"|^\s*\(\s*(?i:(?:la|le|l['’]|the|sa|son|his|her|their|leur)\s*)?(?i:{_RELATIVE})\s+"
    r"(?i:de|du|d['’]|des|of)\b"
    r"|^\s*,\s*(?i:(?:la|le|l['’]|the|notre|our|sa|son|his|her|une?|an?)\s+)?"
    r"(?i:patiente?|usag[èe]re?|r[ée]sidente?|b[ée]n[ée]ficiaire|h[ée]berg[ée]e?|m[èe]re|p[èe]re|"
    r"belle-(?:fille|m[èe]re|s(?:œ|oe)ur)|beau-(?:fils|p[èe]re|fr[èe]re)|petite?-(?:fille|fils)|"
    r"gendre|bru|neveu|ni[èe]ce|tante|oncle|cousine?|"
    r"daughter-in-law|son-in-law|grand(?:son|daughter)|nephew|niece|aunt|uncle|cousin|"
    r"fille|fils|conjointe?|"
    r"[ée]pou(?:x|se)|fr[èe]re|s(?:œ|oe)ur|patient|resident|mother|father|daughter|son|wife|husband|"
    r"brother|sister|b[ée]b[ée]|baby|voisine?|neighbou?r|proche|aidante?|caregiver)\b"
    # Unwell, as a care note says it with no verb: "marcel pas bien ce soir, sat 88", "Ruth
    # not herself tonight". Not how a colleague feels about something: "pas bien contente de".
    r"|^\s+(?i:pas|pu|plus|not)\s+(?i:bien|en\s+forme|well|doing\s+well|herself|himself|good)"
    r"(?=\s*(?:[,.;!—–-]|$)|\s+(?i:ce\s+(?:soir|matin)|cette\s+nuit|aujourd|depuis|today|tonight|"
    r"this\s+(?:morning|evening|afternoon)|since)\b)"
    r"|^\s+(?:(?i:est|a\s+[ée]t[ée]|[ée]tait|is|was|has\s+been|had\s+been|had)\s+(?:(?i:encore|"
    r"toujours|still|pas|not|d[ée]j[àa]|already|again|just|enfin|finally|never|jamais)\s+)?"
    rf"(?i:{_FELL}|admise?|hospitalis[ée]e?|transf[ée]r[ée]e?|d[ée]c[ée]d[ée]e?|intub[ée]e?|"
    r"op[ée]r[ée]e?|confuse?|agit[ée]e?|"
    r"d[ée]sorient[ée]e?|allergique|diab[ée]tique|en\s+isolement|[àa]\s+jeun|npo|"
    r"sous\s+(?:o2|oxyg[èe]ne)|discharged|admitted|transferred|intubated|confused|agitated|"
    r"allergic|diabetic|deceased|isolated|in\s+isolation|sedated|septic|palliati\w+|post-?op|"
    r"en\s+soins\s+palliatifs|sur\s+civi[èe]re|on\s+a\s+stretcher|registered|inscrite?|"
    r"enregistr[ée]e?|fusionn[ée]e?|merged|congédiée?|"
    r"n[ée]e?\b|born|flagged|dans\s+(?:le|la|son|sa)\s+(?:lit|chambre|dossier))"
    r"|(?i:(?:a|has|had)\s+(?:encore|toujours|d[ée]j[àa]|still|again|just|enfin|finally|jamais|"
    r"never|pas|not)\s+(?:chut[ée]|sonn[ée]|arrach[ée]|d[ée]chir[ée]|vomi|refus[ée]|crié|fugu[ée]|"
    r"fallen|pulled|refused|rung|vomited)"
    r"|a\s+chut[ée]|"
    # Crying or yelling through the night or in pain; a colleague also cries or yells at work.
    r"(?:a\s+cri[ée]|pleure|pleurait|a\s+pleur[ée])\s+(?:toute\s+la\s+nuit|de\s+douleur|"
    r"dans\s+(?:son\s+lit|sa\s+chambre|le\s+corridor)|au\s+secours|[àa]\s+l['’]aide)|"
    # A body in a state of its own: "a encore les pieds gelés", "a la jambe enflée".
    r"a\s+(?:encore\s+|toujours\s+)?(?:les|la|le|l['’])\s*(?:pieds?|mains?|jambes?|bras|"
    r"chevilles?|genoux|l[èe]vres?|ventre|peau|fesses?|talons?|orteils?|doigts?)\s+"
    r"(?:gel[ée]e?s?|froide?s?|enfl[ée]e?s?|gonfl[ée]e?s?|bleue?s?|violac[ée]e?s?|marbr[ée]e?s?|"
    r"[œo]e?d[ée]mati[ée]e?s?|rouges?|infect[ée]e?s?|ulc[ée]r[ée]e?s?|n[ée]cros[ée]e?s?)|a\s+d[ée]chir[ée]\s+(?:sa|son|ses)\b|"
    r"attendai(?:t|ent)\s+(?:depuis\s+\S+\s+)?(?:son|sa|ses)\b|a\s+fait\s+une\s+chute|chute|fell|has\s+fallen|va\s+mieux|is\s+doing\s+better|"
    rf"a\s+arrach[ée]|pulled\s+out|{_REFUSES}|{_WAITS}|"
    r"waits?\s+for|is\s+waiting|a\s+mang[ée]|a\s+vomi|vomited|passed\s+away|died|est\s+morte?|"
    r"a\s+re[çc]u\s+son\s+cong[ée]|a\s+eu\s+son\s+cong[ée]|keeps?\s+getting|"
    r"(?:keeps?|kept)\s+(?:ringing|yelling|screaming|crying|calling\s+out|pulling|climbing|"
    r"trying\s+to\s+(?:get\s+up|leave|climb))|speaks\s+only|"
    r"parle\s+seulement|ne\s+parle\s+qu(?:e|['’])|n['’]appara[îi]t\s+pas|does(?:n['’]t|\s+not)\s+"
    r"(?:show|appear)|shows?\s+up|still\s+shows|sonne|ring|a\s+sonn[ée]|crie|"
    r"dort|sleeps|veut\s+(?:son|sa|ses|[êe]tre|rentrer|partir)|"
    r"wants\s+(?:to\s+go|his|her)|fait\s+de\s+la\s+fi[èe]vre|has\s+a\s+fever|se\s+plaint|"
    r"complains|a\s+mal|in\s+pain|ses\s+\d+\s+ans|f[êe]te\s+ses|turns\s+\d+|"
    # Events of one's own care: wandering, a reaction, a wait for one's own treatment.
    r"wander(?:s|ed|ing)|eloped|a\s+fugu[ée]|fugue|a\s+err[ée]|erre|errait|"
    r"(?:fait|a\s+fait|faisait|had|has|developed|a\s+d[ée]velopp[ée])\s+(?:une?|an?)\s+"
    r"(?:(?:petite|grosse|bad|severe|mild)\s+)?(?:r[ée]action|reaction|rash|[ée]ruption|"
    r"convulsion|seizure|malaise|hypo\w*|allergi\w*|anaphyla\w*|d[ée]saturation|delirium)|"
    r"seized|desatted|d[ée]satur\w*|coded|choked|s['’][ée]touff\w*|aspirated|"
    r"waited\b[^.!?\n]{0,30}\bfor\s+(?:his|her|their)\b|"
    r"a\s+attendu\b[^.!?\n]{0,30}\b(?:son|sa|ses)\b|attend\s+depuis|"
    r"(?:was|a\s+[ée]t[ée])\s+(?:found|retrouv[ée]e?)\s+(?:on|par|au|by|sur|dans|in|dehors|"
    r"outside|hors|[àa]\s+l['’]ext[ée]rieur)\b|"
    # What a body or a failing mind does, not a colleague: choking, swallowing what one should
    # not, bleeding, forgetting one's own.
    r"s['’]est\s+(?:[ée]touff[ée]e?|cass[ée]\s+(?:la|le|l['’]|une?)\s*(?:hanche|poignet|"
    r"f[ée]mur|col)|sauv[ée]e?|enfuie?)|a\s+aval[ée]\s+(?:son|sa|ses|une?|des)\s+(?:dentiers?|"
    r"piles?|aimants?|jouets?|pi[èe]ces?|bouchons?|objets?)|a\s+saign[ée]|saigne|"
    r"ne\s+reconna[îi]t\s+plus|doesn['’]t\s+recogni[sz]e|swallowed\s+(?:a|his|her)\b))"
)

# What only a person goes through, said right after a word that opens its clause: "Blanc est
# tombé", "ginette tombée ce matin", "Brun saigne encore", "Hope was transferred to ICU",
# "Faith is in room 12". No French clause opens on a bare common noun and no thing falls,
# bleeds or is discharged, so the word is a name even when a dictionary knows it. French notes
# drop the auxiliary; an English participle needs it ("Kim admitted the patient" is at work).
_ADVERB = (
    r"(?:(?i:encore|toujours|still|again|just|d[ée]j[àa]|already|enfin|finally|jamais|never|"
    r"pas|not)\s+)?"
)
# Where a colleague is moved or admitted: a shift, a team, a programme.
_WORK_PLACE = (
    r"(?:(?i:the|l['’]|la|le|les|une?|a|an|son|sa|his|her)\s*)?(?i:night|day|evening|nuit|soir|"
    r"jour|shift|quarts?|[ée]quipes?|teams?|programs?|programmes?|cours|courses?|school|[ée]cole|"
    r"postes?|positions?|jobs?|r[ôo]les?|d[ée]partements?|departments?|nursing|formations?|"
    r"trainings?|ordre|order)\b"
)
# What care is given or refused: "refuse son bain", "pulled out her IV".
_CARE_THING = (
    r"(?:bains?|douches?|baths?|showers?|pansements?|dressings?|prises?\s+de\s+sang|"
    r"m[ée]dicaments?|m[ée]dication|meds|medications?|pilules?|pills?|repas|meals?|plateaux?|"
    r"trays?|soins|care|traitements?|treatments?|injections?|insuline|insulin|examens?|scans?|"
    r"toilette|contentions?|restraints?|solut[ée]s?|iv|lines?|sondes?|catheters?|cath[ée]ters?|"
    r"tubes?|ng|doses?|lever|cpap|oxyg[èe]ne|oxygen|o2|masques?|masks?|couches?|diapers?)"
)
# A surname alone booked at an hour, as an appointment book puts a patient: "Zaccardi est à
# 8h", "Okafor is at 10:30", "Roy passe à 9h15". A colleague's shift goes by the given name.
_BOOKED_AT_AFTER = re.compile(
    r"[ \t]+(?i:est|passe|arrive|vient|is|comes|arrives)[ \t]+"
    r"(?:(?i:pr[ée]vue?|c[ée]dul[ée]e?|booked|scheduled|due)[ \t]+)?(?i:à|a|at|pour|for)[ \t]+"
    r"\d{1,2}(?:[ \t]*h(?:[ \t]*\d\d)?|:\d\d|[ \t]*(?i:am|pm|a\.m\.|p\.m\.))(?!\w)"
)

_PERSON_EVENT_AFTER = re.compile(
    # An age in apposition may come first: "Hope, 91, fell".
    r"(?:\s*[,(]\s*\d{1,3}\s*(?i:ans|yo|y\.o\.|years?\s+old)?\s*[,)])?"
    r"(?:\s*[,(]\s*(?i:ch\.?|chambre|room|rm|lit|bed)\s*#?\s*\d+[A-Za-z]?\b"
    r"|\s*[,(]\s*\d{1,3}\s*(?i:ans|yo|y\.o\.|years?\s+old)\b"
    # A note's entry: "Lapierre: congé demain", "Pierre, allergique à la morphine".
    r"|\s*:\s*(?i:cong[ée]|chute|transfert|npo|[àa]\s+jeun|d[ée]c[èe]s|isolement|discharge|fall)\b"
    r"|\s*,\s*(?i:allergique|allergic|confuse?|agit[ée]e?|confused|agitated|npo|[àa]\s+jeun)\b"
    # The event may come in a relative clause: "for Hope Martin, who is allergic".
    r"|(?:\s*,?\s*(?i:who|qui))?\s+(?:"
    rf"(?:(?i:est|a\s+[ée]t[ée]|[ée]tait|s['’]est)\s+)?{_ADVERB}"
    rf"(?i:{_FELL}|"
    rf"chut[ée]e?|transf[ée]r[ée]e?\s+(?:[àa]|au|aux|vers|en)\b(?!\s*{_WORK_PLACE})|"
    r"hospitalis[ée]e?|d[ée]c[ée]d[ée]e?|intub[ée]e?|allergique|"
    rf"admise?\s+(?:[àa]|au|aux|en|hier|ce|cette|pour|via|par)\b(?!\s*{_WORK_PLACE}))"
    # A state needs its verb: "Blanc est confus", not "Nuit agitée".
    rf"|(?i:est|[ée]tait)\s+{_ADVERB}(?i:diab[ée]tique|confuse?|agit[ée]e?|d[ée]sorient[ée]e?|"
    r"en\s+isolement|npo|[àa]\s+jeun|en\s+d[ée]lirium|(?:partie?|sortie?)\s+(?:hier\s+)?"
    r"(?:sans\s+(?:son|sa|ses)|de\s+l['’]h[ôo]pital|[àa]\s+domicile|chez\s+(?:elle|lui|sa|son)|"
    r"contre\s+avis))"
    rf"|(?i:a|avait)\s+{_ADVERB}(?i:chut[ée]|fait\s+une\s+chute|vomi|arrach[ée]|fugu[ée]|"
    r"eu\s+son\s+cong[ée]|re[çc]u\s+son\s+cong[ée]|fait\s+de\s+la\s+fi[èe]vre|mal\s+(?:au|[àa]))"
    rf"|{_ADVERB}(?i:saigne|{_WAITS}|fell|has\s+fallen|bleeds|died|passed\s+away|vomit|vomited|"
    r"fugue|se\s+plaint|fait\s+de\s+la\s+fi[èe]vre|went\s+home|wandered|eloped|"
    r"(?:ne\s+)?veut\s+(?:pas|plus)\s+(?:manger|boire|se\s+lever|prendre|sortir)|"
    r"veut\s+(?:rentrer|retourner\s+chez|son\s+cong[ée])|wants\s+to\s+go\s+home|"
    # "refuse son bain", and in the past, "a refusé son bain".
    rf"(?:(?i:a|avait)\s+{_ADVERB})?"
    rf"refus(?:e|es|ed|ait|é|ing)\s+(?:(?:son|sa|ses|la|le|les|l['’]|his|her|the|their)\s*)?{_CARE_THING}|"
    rf"(?:(?i:a|avait)\s+{_ADVERB})?refus(?:e|ait|é)\s+de\s+(?:manger|boire|se\s+lever|prendre)|"
    r"pulled\s+(?:out\s+)?(?:his|her|their)\s+(?:iv|line|catheter|tube|ng|foley|drain)|"
    r"kept\s+(?:pressing|ringing|calling\s+out|yelling|screaming|pulling|trying\s+to\s+get\s+up)|"
    r"rang\s+(?:the\s+)?(?:call\s+)?bell)"
    rf"|(?i:is|was|has\s+been|had\s+been|got)\s+{_ADVERB}(?:(?i:admitted|discharged|transferred)"
    rf"(?!\s+(?:to|into|in)\s+{_WORK_PLACE})|"
    r"(?i:intubated|allergic|bleeding|confused|agitated|npo|in\s+isolation|vomiting|in\s+pain|"
    rf"febrile|septic|sedated|refusing\s+(?:(?:his|her|the|their)\s+)?{_CARE_THING}|"
    r"waiting\s+for\s+(?:his|her|their)|in\s+(?:room|rm|bed)\s*#?\s*\d+|"
    r"found\s+(?:on\s+the\s+floor|lying|down|unresponsive|wandering)))"
    rf"|(?:(?i:a\s+[ée]t[ée]|[ée]tait)\s+)?{_ADVERB}(?i:retrouv[ée]e?\s+(?:au\s+sol|par\s+terre|"
    r"[àa]\s+terre|sur\s+le\s+plancher|inconsciente?|dans\s+le\s+corridor))"
    r"|(?:(?i:est|is)\s+)?(?i:en|in|au|dans\s+la)\s+(?i:chambre|ch\.?|room|rm|bed|lit)\s*#?\s*\d+"
    r")\b"
    # Not a colleague who went there to work: "Sarah est en chambre 12 pour montrer le lecteur",
    # "Grace est en chambre 12 avec la patiente".
    r"(?![ \t]*,?[ \t]*(?:(?i:pour|to)\s+(?:montrer|former|expliquer|aider|installer|r[ée]parer|"
    r"configurer|show|train|teach|help|fix|install|set\s+up)|(?i:avec|with)\s+(?:(?i:le|la|les|"
    r"l['’]|the|a|une?|sa|son|his|her)\s*)?(?i:patiente?|pte?|r[ée]sidente?|famille|family|"
    r"usag[èe]re?|client\w*))\b))"
    r"|['’]s\s+(?:(?i:son|daughter|wife|husband|mother|father|mom|mum|dad|brother|sister|kids|"
    r"children|grandson|granddaughter|niece|nephew|partner|spouse|caregiver|meds|labs|chart|"
    r"vitals|wristband|armband|discharge|dressing|wound|iv|belongings|insulin|allerg\w+|"
    r"(?:blood\s+)?cultures?|bloodwork|swabs?|specimens?|biops(?:y|ies)|urine|stool|sputum|"
    r"triage)\b)"
)

# A patient moved or admitted by the team: "On a transféré Blanc aux soins intensifs".
_MOVED_BEFORE = re.compile(
    r"\b(?i:transf[ée]r(?:[ée]e?|er)|transfer(?:red)?|discharge[ds]?|admit(?:ted)?|admise?|"
    r"admettre|install(?:[ée]e?|er)|couch(?:[ée]e?|er)|retourn[ée]e?|mobilis(?:[ée]e?|er)|"
    r"repositionn(?:[ée]e?|er)|sorti)[\s:]+$"
)

# A holiday is no one's name: "congé de Noël".
_HOLIDAYS = frozenset({"noel", "paques", "christmas", "easter", "thanksgiving"})

# Care given to someone: "on a donné son congé à Gendron", "la dose de 8 h à Blanc".
_CARE_GIVEN_BEFORE = re.compile(
    r"\b(?i:son|sa|ses|leur|his|her|their|le|la|les|l['’]|une?|the|a|an)\s*"
    r"(?i:cong[ée]|discharge|doses?|bains?|baths?|pansements?|dressings?|insuline|insulin|"
    r"m[ée]dicaments?|meds|medications?|injections?|solut[ée]s?|ecg|ekg|plateaux?|trays?|"
    r"prises?\s+de\s+sang|transfusions?)"
    r"(?:\s+(?i:de|d['’]|of)\s+\d{1,2}\s*h\d{0,2})?"
    r"(?:\s+(?i:donn[ée]e?s?|faite?s?|administr[ée]e?s?|given|done|apport[ée]e?s?|brought|"
    r"servie?s?|served))?\s+(?i:[àa]|au|to)\s+$"
)

# A determiner before a word makes it a noun: "Le Wifi est tombé".
_DETERMINER_BEFORE = re.compile(
    r"\b(?i:le|la|les|un|une|des|du|ce|cet|cette|ces|mon|ma|mes|ton|ta|son|sa|ses|notre|nos|"
    r"leur|leurs|the|a|an|this|that|our|my|your|its|his|her|their)\s+$|\b[lL]['’]$"
)

# The given name or initials after a surname written first, no title: "Novak, Ivo", "Novak, I".
_GIVEN_AFTER_COMMA = (
    r"[ \t]*,[ \t]*(?!(?i:dre?s?|docteure?|mrs?|mme|ms|inf|prof|pre?|dossier|mrn|ramq|nam|ddn|dob|"
    r"n[ée]e?|born|no|chart|file|t[ée]l|cell|phone|e-?mail|courriel)\b)"
    r"[A-ZÀ-Þ][\w'’-]*\.?(?:[ \t]+[A-ZÀ-Þ]\.?){0,2}(?![\w'’-])"
)
_NAME_BEFORE_IDENTIFIER = re.compile(
    # A surname written first keeps its given name or initials before the number: "Novak, Ivo
    # — MRN ...", "Novak, I (MRN ...)".
    rf"^(?:{_GIVEN_AFTER_COMMA})?"
    r"\s*[(,:–—-]?\s*(?:(?i:dossier|mrn|ramq|nam|ddn|dob|n[ée]e?|born|no|n°|chart|file|#|"
    r"t[ée]l\.?|cell|phone|e-?mail|courriel)\W{0,3}(?:\w+\W{1,3}){0,3})?"
    rf"{_IDENTIFIER}"
)

# What only a patient has, right before a name in the same entry: "MRN [DOSSIER] / Hubert L.",
# "[RAMQ], Tremblay Jean". A phone, an e-mail or an address may sign a colleague instead.
_IDENTIFIER_BEFORE_NAME = re.compile(
    r"\[(?:RAMQ|DOSSIER|DATE DE NAISSANCE|NAS)\]\)?[ \t]*[/|,;:–—-]?[ \t]*$"
)

# Whole words: "est" holds "st", "contour" "tour".
_PLACE_BEFORE = re.compile(
    r"\b(?i:h[ôo]pital|hospital|pavillon|pavilion|centre|center|clsc|chsld|clinique|clinic|institut|"
    r"institute|gmf|rue|boul|boulevard|avenue|av|chemin|street|saint|sainte|st|ste|pharmacie|"
    r"pharmacy|[ée]cole|coll[èe]ge|c[ée]gep|universit[ée]|university|fondation|foundation|"
    r"r[ée]sidence|manoir|carrefour|complexe|(?-i:Maison|MAISON)|"
    r"villa|foyer|unit[ée]|aile|wing|salle|pont|parc|place|station|m[ée]tro|prix|award|bourse|"
    r"auditorium|amphith[ée][âa]tre|local|édifice|building|tour|tower|CHU|CUSM|CHUM|CIUSSS|CISSS|"
    r"promenade|autoroute|route|rang|mont|lac|ville|city)\.?[ \t]+(?:de\s+|du\s+|des\s+|of\s+)?"
    r"(?:(?:la|le|l['’])\s*)?$"
)

_PATIENT_HEADER = re.compile(
    r"\b(?i:jumeaux|jumelles|tripl[ée]e?s|twins|triplets|siblings|fratrie|enfants|kids|children|"
    r"b[ée]b[ée]s|babies|patiente?s?|pts?|usag[èe]re?s?|r[ée]sidente?s?|census|recensement|tourn[ée]e|"
    # A clinician's list of work is of the people cared for: "Liste de travail : …", "caseload".
    r"listes?\s+de\s+travail|work\s*lists?|caseloads?|charges?\s+de\s+cas|"
    r"whiteboard|tableau|bracelets?|wristbands?|label|[ée]tiquette|liste\s+de\s+lits|bed\s+board|"
    # What is done to a patient only, as a list's header: "Prises de sang manquées : Roy, …".
    r"prises?\s+de\s+sang|pr[ée]l[èe]vements?|glyc[ée]mies|bains|douches|pes[ée]es|"
    r"sorties|discharges|blood\s+draws?|"
    r"board|entête|ent[êe]te|header|admissions?|admis(?:es)?|admits?|admitted|nouveaux|nouvelles|"
    r"arriv[ée]es|entr[ée]es|transferts?|transfers?|isolements?|chutes?|falls|d[ée]c[èe]s|"
    r"deaths|consults?(?!\s+(?i:demand|request|requis|sollicit|asked))|civi[èe]res|stretchers|famille|family|proches?|next\s+of\s+kin|"
    r"contacts?\s+d['’]urgence|emergency\s+contacts?)\b"
    # A label's or a wristband's printer or paper is a device's talk, no list of names.
    r"(?!\s+(?i:printers?|imprimantes?|scanners?|readers?|lecteurs?|paper|papier|rolls?|"
    r"rouleaux|stock|ribbons?|rubans?)\b)"
)

# What care is owed to someone, as a list's header: "Pansements à faire : Roy, Caron",
# "Doses manquées : Ouellet, Simard". Drugs and supplies are listed under the same words
# ("Pansements à commander : Mepilex, Tegaderm"), so only listed names make the items people.
_CARE_LIST_HEADER = re.compile(
    r"\b(?i:pansements?|m[ée]dicaments?|m[ée]dications?|doses?|plaies?|contentions?|"
    r"signes\s+vitaux|npo|[àa]\s+jeun|insulines?|injections?|perfusions?|solut[ée]s?|sondes?|"
    r"rendez-vous|rdv|examens?|scans?|radiographies?|bilans?|[àa]\s+voir|"
    r"[àa]\s+revoir|to\s+see|dressings?|meds|vitals|wounds?)\b"
)


# "nom : ..." in a record layout, or the name of a patient or of a relative.
_NAME_LABEL_BEFORE = _Lazy(
    rf"(?:\b(?i:patiente?|pte?|usag[èe]re?|client|r[ée]sidente?|{_FAMILY})(?:['’]s)?\s+"
    r"(?i:(?:first|last|given|family|maiden|middle|full)\s+)?(?i:names?)(?:\s+(?i:is|was)"
    r"|(?:\s+[^\W\d_]+){1,4}\s*:)?"
    r"|\b(?i:(?:first|last|given|family|maiden|full)\s+name|pr[ée]nom|nom(?:\s+de\s+famille)?)\s+"
    r"(?i:du|de\s+la|de\s+l['’]|de|of\s+the|of)\s+"
    rf"(?i:patiente?|pte?|usag[èe]re?|client|r[ée]sidente?|{_FAMILY})"
    r"(?:\s+(?i:est|is|was|c['’]est))?"
    # A field of a record, alone or after another one: "ddn 12 01 55, nom : tran van binh".
    r"|(?:^|[\n/;|,]|\])[ \t]*(?i:nom(?:\s+complet)?|name|full\s+name|pr[ée]nom|first\s+name|"
    r"last\s+name|patient|pt|pte)[ \t]*[:=])[\s:=«\"“'’,—–-]*$"
)

_NAME_LABEL_HINT = re.compile(r"(?i:nom|name)")

_NAMING_BEFORE = re.compile(
    r"(?i:\b(?:s['’]appel(?:le|lent|ait|aient|er)|nomm[ée]e?s?|pr[ée]nomm[ée]e?s?|surnomm[ée]e?s?|"
    # An alias set off as one: "(dit Ti-Guy)", "Jean Roy, dit Ti-Jean".
    r"(?<=[(,]\s)dite?|(?<=[(,])dite?|(?<=\()alias|"
    r"(?:l['’]|les\s+)?ont\s+(?:appel[ée]e?s?|nomm[ée]e?s?|pr[ée]nomm[ée]e?s?)|named(?:\s+(?:him|"
    r"her|them|it))?|(?:is|was|['’]s)\s+called|called\s+(?:him|her|them)|goes\s+by|"
    r"known\s+as|"
    # Someone else's name, told: "says his name is Kev", "son nom est Roy"; whose, the
    # sentence decides.
    r"(?:his|her|their|son|sa)\s+(?:(?:first|last|given)\s+)?(?:name|nom|pr[ée]nom)\s+"
    r"(?:is|was|est|[ée]tait|would\s+be|serait)|(?:pr[ée]nom|first\s+name|given\s+name)(?:\s+[^\W\d_]+)?\s*[:=]|"
    # Another name of the same person: "(vrai nom Jean-Paul)", "maiden name Roy".
    r"(?:(?:de\s+)?(?:son|sa|his|her)\s+)?(?:vrai\s+(?:nom|pr[ée]nom)|real\s+(?:first\s+)?name|"
    r"nom\s+de\s+(?:jeune\s+fille|naissance|famille)|maiden\s+name|birth\s+name|legal\s+name|"
    r"nom\s+l[ée]gal)(?:\s+(?:est|is|was|[ée]tait))?\s*[:=]?|"
    # A maiden name in apposition: "Mme Yolande Gingras-Pépin, née Gingras"; or straight after
    # the married name, as a record writes it: "Mme Rita Paré née Caron", "Mrs. Ann Lee nee Ho".
    r"[,(]\s*n[ée]e|(?<=\()n[ée]e|(?<=\(\s)n[ée]e|(?<=[^\W\d_][ \t])n[ée]e)[\s«\"“'‘]*)$"
)

# The name a record is searched, found or filed under is a patient's, whoever searches: "la
# famille la cherche sous Roy", "the clerks can't find her under Lee", "inscrite sous Caron".
# Where the person searched for is told ("la", "her"), the name is theirs whatever follows.
_FILED_UNDER_HINT = re.compile(r"(?i:\b(?:sous|under)\b)")
_FILED_UNDER_BEFORE = re.compile(
    r"(?i:(?P<pronoun>\b(?:la|le|les)\s+|\bl['’]\s*)?\b(?:cherch\w*|trouv\w*|retrouv\w*|inscrite?s?|enregistr[ée]e?s?|fich[ée]e?s?|"
    r"class[ée]e?s?|registered|listed|filed|charted|search\w*|look(?:s|ed|ing)?|find|found)"
    r"\s+(?P<person>(?:him|her|them)\s+)?(?:sous|under)"
    r"(?:\s+(?:le\s+nom\s+(?:de\s+|d['’])|the\s+name\s+(?:of\s+)?|son\s+nom\s+de\s+\w+\s+))?)"
    r"[\s«\"“'‘]*$"
)

_NAMING_HINT = re.compile(r"(?i:appel|nomm|named|called|known|goes|name|nom|n[ée]e|dit|alias)")

_SELF_INTRODUCTION = re.compile(
    r"(?i:\b(?:this\s+is|it['’]s|c['’]est|ici|my\s+name\s+is|je\s+m['’]appelle|"
    r"mon\s+nom\s+est|i['’]m|i\s+am)\s+"
    # Who asks to be called back names themself in apposition: "please call me, Mei, at",
    # "rappelez-moi, Lucie, au".
    r"|\b(?:call|text|e-?mail|reach|contact|call\s+back)\s+me\s*,\s*"
    r"|\b(?:appelez|rappelez|appelle|rappelle|joignez|texte[sz]?|écrivez)-moi\s*,\s*)$"
)

# A patient or a relative quoted as they introduce themselves: "the patient only said 'I'm
# Tommy from up north'", "la fille a dit « Moi c'est Josée »". The name is theirs whatever
# follows; a colleague quoted so is named by a role instead.
_QUOTED_SELF_INTRODUCTION = _Lazy(
    rf"\b(?i:patiente?|pts?|pte|usag[èe]re|r[ée]sidente?|cliente?|{_RELATIVE})\b"
    r"[^.!?\n«\"“]{0,100}[«\"“‘'][ \t]*"
    r"(?i:(?:hi|hello|bonjour|allo|oui|yes|non|no|euh|uh)[ \t]*,?[ \t]+)?"
    r"(?i:i['’]m|i[ \t]+am|my[ \t]+name[ \t]+is|my[ \t]+name['’]s|je[ \t]+m['’]appelle|"
    r"moi[ \t]*,?[ \t]*c['’]est|mon[ \t]+nom[ \t]+(?:est|c['’]est))[ \t]+$"
)

_CONTACT_PLACEHOLDER_AFTER = re.compile(r"[^.!?\n]{0,80}?\[(?:TÉLÉPHONE|COURRIEL)\]")

_INDEFINITE_BEFORE = re.compile(
    r"\b(?i:une?|a|an|des|chaque|every|each|any|tout|toute|certains?|plusieurs|some|many|"
    r"several|nos|our|les|ces)\s+(?i:patiente?s?|pts?|usag[èe]re?s?|"
    r"r[ée]sidente?s?|clientes?|b[ée]b[ée]s?|bab(?:y|ies))\s+$"
)

_INITIALS_LIST_BEFORE = re.compile(
    r"(?<![\w.])[A-ZÀ-Þ]\.(?:-?[A-ZÀ-Þ]\.)?[ \t]*[A-ZÀ-Þ][\w'’-]+[ \t]*[,;/&][ \t]*$"
)

_ARTICLE_BEFORE = re.compile(r"\b(?i:le|la|un|une|ce|cette|the|a|this)\s+$")

_PREPOSITION_BEFORE = re.compile(
    r"(?i:\b(?:de|du|des|d['’]|of|la|le|l['’]|the|sa|son|ses|his|her|their|leur|[àa]|au|aux|chez|"
    r"in|at|from|to))\s*$"
)

# Who a name is, said right after it: a relative of the patient ("Called Pastor Jean-Robert
# Mésidor back, he's the pt's brother", "Lise Roy, c'est la fille de la patiente", "Omar — il
# est le fils de Mme [PATIENT]"). That they are kin outweighs a title or a role before the name.
_RELATIVE_SAID_AFTER = re.compile(
    r"(?:[ \t]+(?i:back|again|later|today|ce\s+matin|aujourd['’]hui|encore)){0,2}"
    # Said in the next sentence too: "Called Lorraine back. She's the caregiver for Mr. X".
    r"(?:[ \t]*[,;(—–-][ \t]*|\.[ \t]+(?=(?:She|He|Elle|Il)\b))"
    r"(?i:(?:he|she)(?:['’]?s|[ \t]+is|[ \t]+was)|who(?:['’]s|[ \t]+is)|(?:il|elle)[ \t]+est|"
    r"c['’]est|qui[ \t]+est)[ \t]+"
    r"(?:"
    r"(?i:(?:the|a)[ \t]+)?(?i:pt|patient|resident|client)['’]s[ \t]+"
    r"|(?i:his|her|their)[ \t]+"
    rf"|(?i:le|la|l['’]|the|un|une|a|an)[ \t]*(?=(?i:{_RELATIVE})[ \t]+(?i:of|de|du|d['’]"
    # A caregiver is someone's: "she's the caregiver for Mr. X", "c'est l'aidante pour sa mère".
    r"|for|pour))"
    r")"
    rf"(?i:{_RELATIVE})\b"
)

# A caller who then says it is about their own relative: "Luc a appelé : sa mère, X, attend",
# "Maria called — her father is still in the ER". Without the pause, whose relative it is stays
# open ("Luc a appelé sa mère" may be a colleague calling the patient's mother).
_CALLER_OF_KIN_AFTER = re.compile(
    r"[ \t]+(?i:a[ \t]+(?:appel[ée]|t[ée]l[ée]phon[ée]|rappel[ée])|appelle|rappelle|"
    r"t[ée]l[ée]phone|called|calls|phoned|called[ \t]+back|is[ \t]+calling)"
    r"[ \t]*[:;,—–-][ \t]*(?i:sa|son|ses|his|her|their|my|ma|mon|mes)[ \t]+"
    rf"(?i:{_RELATIVE})\b"
)

_SON_BEFORE = re.compile(
    # After a placeholder too: "Mr. [PATIENT]'s son Vishal"; a name ending in "s" takes the
    # apostrophe alone: "Mrs Papadopoulos' son Nikos", "Mrs [PATIENT]' son Nikos".
    r"(?i:(?:\b(?:the|his|her|their|and)|['’]s|(?<=[s\]])['’])\s+sons?[\s,:(—–-]*)$"
    # At the head of an English clause or after a comma, before an English verb or another
    # relative: "; son Piotr is the POA", "Mr. X, 7 Ouest, son Dmitri requested", "son Chidi and
    # daughter Ngozi". French "son" before a capitalised word is a possessive ("son Dilaudid").
    r"|(?:^|[;:.!?(,]\s*)(?P<clause>son|Son)\s+$"
)

# Another English relative coordinated after the son's name: "son Vince & daughter-in-law Teresa".
_KIN_AFTER = (
    r"\s+(?:and|&)\s+(?:daughter|son|wife|husband|partner|mother|father|brother|"
    r"sister|grand(?:son|daughter))s?\b"
)
# Not another "son", French's possessive as much: "son Bureau & son Atelier".
_KIN_LIST_AFTER = re.compile(
    r"\s+(?:and|&)\s+(?:daughter|wife|husband|partner|mother|father|brother|sister|"
    r"grand(?:son|daughter))s?\b"
)

_ENGLISH_VERB_AFTER = re.compile(
    r"\s+(?:is|was|has|had|called|calls|wants|wanted|will|would|says|said|asked|asks|requested|"
    r"brought|came|comes|visited|arrived|left|signed|agreed|refused|drove|phoned|lives|attending|"
    rf"attended)\b|{_KIN_AFTER}"
)


# A note written in the patient's or a relative's own voice: the name it is signed with is
# theirs, not a colleague's.
_PATIENT_VOICE = re.compile(
    r"\b(?i:ma\s+(?:m[èe]re|fille|femme|conjointe|s(?:œ|oe)ur|grand-m[èe]re|tante|chambre|"
    r"maman)|mon\s+(?:p[èe]re|fils|mari|conjoint|fr[èe]re|grand-p[èe]re|oncle|s[ée]jour|"
    r"op[ée]ration|hospitalisation|infirmi[èe]re|m[ée]decin|rendez-vous|cong[ée]|papa)|"
    r"mes\s+(?:parents|enfants|m[ée]dicaments|r[ée]sultats|soins)|my\s+(?:mother|mom|mum|father|"
    r"dad|wife|husband|son|daughter|sister|brother|stay|surgery|room|nurse|doctor|results|meds|"
    r"medications|appointment|discharge|care|parents)|j['’]ai\s+[ée]t[ée]\s+(?:hospitalis|op[ée]r|"
    r"admis|transf[ée]r|soign|trait)\w*|i\s+was\s+(?:admitted|hospitali[sz]ed|discharged|"
    r"operated|treated|transferred|seen))"
)

# "X's son", "X's family": the one whose relative it is, is the patient.
_POSSESSIVE_RELATIVE_AFTER = re.compile(
    r"['’]s\s+(?i:son|daughter|wife|husband|family|mother|father|mom|mum|dad|brother|sister|kids|"
    r"children|grandson|granddaughter|niece|nephew|partner|spouse|caregiver|parents)\b"
)
