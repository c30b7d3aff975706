"""Placeholders, separators and the vocabularies several stages read: roles, services,
departments, relatives.
"""

import re
from functools import cache

from feedback.analysis.resources import load_json

RAMQ, DOSSIER, PHONE, EMAIL, BIRTH_DATE, PATIENT, ADDRESS, SIN = (
    "[RAMQ]",
    "[DOSSIER]",
    "[TÉLÉPHONE]",
    "[COURRIEL]",
    "[DATE DE NAISSANCE]",
    "[PATIENT]",
    "[ADRESSE]",
    "[NAS]",
)
# A date of someone's life other than their birth (arrival, marriage): as telling, but no
# date of birth to call it.
DATE = "[DATE]"

PLACEHOLDER = re.compile(
    r"\[(?:RAMQ|DOSSIER|TÉLÉPHONE|COURRIEL|DATE DE NAISSANCE|DATE|PATIENT|ADRESSE|NAS)\]"
)

_IDENTIFIER = r"\[(?:RAMQ|DOSSIER|DATE DE NAISSANCE|DATE|TÉLÉPHONE|COURRIEL|ADRESSE|NAS)\]"

_DIGIT = re.compile(r"\d")


class _Lazy:
    """A pattern compiled on first use, so that patterns of rare paths cost nothing at start-up."""

    __slots__ = ("_source", "_compiled")

    def __init__(self, source: str):
        self._source, self._compiled = source, None

    def __getattr__(self, name: str):
        if self._compiled is None:
            self._compiled = re.compile(self._source)
        return getattr(self._compiled, name)


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# An "@" typed twice is a slip, the address still somebody's: "rene_b@@hotmail.com".
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@@?[\w-]+(?:\.[\w-]+)+")

_L = r"[A-Za-zÀ-ÖØ-öø-ÿ]"

# Hyphens and dashes of every kind, and the spaces a word processor puts in numbers.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"

_SPACES = "\u00a0\u2009\u202f"

_SEP1 = rf"[ ._/\\{_DASHES}{_SPACES}-]"

_S = _SEP1 + "?"

_ROLE = (
    r"(?:infirmi[èe]re?s?(?:-chefs?)?|inf|ips|ipspl|aic|asi|csi|chefs?|cheffes?|gestionnaires?|"
    r"cadres?|coordonnat(?:rice|eur)s?|coordo|super-?\s?utilisat(?:rice|eur)s?|superusers?|"
    r"super-users?|"
    # "SU", a super-user, in capitals or after a determiner ("j'ai su" is a verb); "TS", a
    # social worker; "pharm.", a pharmacist.
    r"(?-i:SUs?|TS)|(?:(?<=\bla\s)|(?<=\ble\s)|(?<=\bles\s)|(?<=\bnotre\s)|(?<=\bnos\s)|"
    r"(?<=\bune\s)|(?<=\bun\s))sus?|pharms?|"
    r"pr[ée]pos[ée]e?s?|pab|agente?s?|commis|archivistes?|techniciennes?|techniciens?|"
    # Aides by their trade; "aide" alone is help.
    r"aides?[- ](?:de\s+service|soignante?s?|alimentaires?|infirmi[èe]re?s?)|"
    r"technologues?|"
    r"pharmacien(?:ne)?s?|inhalo(?:th[ée]rapeute)?s?|physio(?:th[ée]rapeute)?s?|"
    r"ergo(?:th[ée]rapeute)?s?|nutritionnistes?|di[ée]t[ée]tistes?|travailleu(?:se|"
    r"r)s?\s+sociale?s?|"
    r"psychologues?|secr[ée]taires?|adjointe?s?|direct(?:rice|eur)s?|conseill[èe]re?s?|"
    r"format(?:rice|eur)s?|coll[èe]gues?|m[ée]decins?|omnipraticien(?:ne)?s?|urgentologues?|"
    r"intensivistes?|chirurgien(?:ne)?s?|an[ée]sth[ée]sistes?|internistes?|p[ée]diatres?|"
    r"n[ée]onatalogistes?|radiologistes?|cardiologues?|oncologues?|psychiatres?|g[ée]riatres?|"
    r"externes?|stagiaires?|[ée]tudiante?s?|intervenante?s?|sup[ée]rieure?s?|boss|patronne?|"
    r"sages?[- ]femmes?|pilotes?|champions?|analystes?|programmeu(?:r|se)s?|"
    r"ambulanci(?:er|[èe]re)s?|"
    r"brancardi(?:er|[èe]re)s?|nurses?|rn|lpn|rpn|np|md|physicians?|doctors?|surgeons?|interns?|"
    r"managers?|pharmacists?|trainers?|clerks?|techs?|technicians?|therapists?|rt|coordinators?|"
    r"directors?|educators?|colleagues?|co-?workers?|supervisors?|scribes?|super\s?users?|"
    r"preceptors?|students?|secretar(?:y|ies)|receptionists?|registrars?|attendings?|fellows?|"
    r"hospitalists?|midwi(?:fe|ves)|orderl(?:y|ies)|dietitians?|social\s+workers?|"
    # A worker alone is the youth-protection or case worker following the file: "Worker: Roy";
    # after another word it may be a patient's trade ("a construction worker").
    r"(?:(?<![^\W\d_]\s)|(?<=case\s)|(?<=youth\s)|(?<=support\s)|(?<=outreach\s)|"
    r"(?<=crisis\s)|(?<=intake\s))workers?|caseworkers?|"
    # French "porter" before its object is the verb: "il est passé porter des vêtements".
    r"porters?(?!\s+(?:des|les|le|la|l['’]|un|une|ses|son|sa|leurs?|du|plainte|secours)\b)|"
    r"coachs?|coaches|mentors?|agents?|reps?|representatives?|vendors?|consultants?|"
    r"[ée]quipi[èe]re?s?|r[ée]f[ée]rente?s?|responsables?|ressources?|grads?|cepis?|"
    r"preceptees?|orientees?|b[ée]n[ée]voles?|volunteers?|(?:new\s+)?hires?|"
    r"employ[ée]e?s|employees?|recrues?|"
    # An English "resident" is a physician; a French one ("le résident") lives in a CHSLD.
    r"(?<!le\s)(?<!la\s)(?<!les\s)(?<!du\s)(?<!des\s)(?<!au\s)(?<!aux\s)(?<!un\s)(?<!une\s)"
    r"(?<!l')(?<!l’)(?<!é)residents?(?!e)|"
    r"(?:(?<=night\s)|(?<=day\s)|(?<=evening\s))charge|charge\s+nurses?|"
    r"leads?|owners?|charg[ée]e?s?\s+de\s+projets?|cmio|cnio|cne|cns|cnl|cpi|instructors?|"
    r"instruct(?:eur|rice)s?|enseignante?s?|teachers?|profs?|professeure?s?|professors?|pr[ée]sidente?s?|presidents?|chairs?|"
    r"chairpersons?|vice-pr[ée]sidente?s?|tr[ée]sori(?:er|[èe]re)s?|treasurers?|buyers?|"
    r"acheteu(?:r|se)s?|purchasers?|aum[ôo]niers?|chaplains?|"
    r"kin[ée]siologues?|orthophonistes?|audiologistes?|neurologues?|n[ée]phrologues?|"
    r"pneumologues?|dermatologues?|urologues?|gyn[ée]cologues?|obst[ée]tricien(?:ne)?s?|"
    r"rhumatologues?|endocrinologues?|h[ée]matologues?|microbiologistes?|pathologistes?|"
    r"physiatres?|ophtalmologistes?|paramedics?|navigat(?:ors?|rices?|eurs?)|"
    r"(?:patients?|usag[èe]re?s?)[- ]partenaires?|patients?\s+(?:partners?|advisors?)|"
    r"d[ée]velopp(?:eur|euse)s?|developers?|ing[ée]nieure?s?|engineers?|administrat(?:eur|rice)s?|"
    r"administrators?|specialists?|sp[ée]cialistes?|guards?|gardiens?|housekeepers?|"
    r"interpr[èe]tes?|interpreters?|tradu(?:cteur|ctrice)s?|translators?|co-?signataires?|"
    r"co-?signers?|[ée]ducat(?:eur|rice)s?|psycho-?[ée]ducat(?:eur|rice)s?|sexologues?|"
    r"hygi[ée]nistes?|messag(?:er|[èe]re)s?|perfusionnistes?|orth[ée]sistes?|proth[ée]sistes?|"
    r"optom[ée]tristes?|dentistes?|podiatres?|neuropsychologues?|psychoth[ée]rapeutes?|"
    r"art-?th[ée]rapeutes?|musicoth[ée]rapeutes?|r[ée]cr[ée]ologues?|animat(?:eur|rice)s?|"
    r"r[ée]ceptionnistes?|standardistes?|t[ée]l[ée]phonistes?|biblioth[ée]caires?|"
    r"magasini(?:er|[èe]re)s?|informaticien(?:ne)?s?|architectes?|ordonnanci(?:er|[èe]re)s?|"
    r"transporters?|phlebotomists?|counsell?ors?|psychologists?|officers?|liaisons?|"
    r"builders?|analysts?|sitters?|emts?|radio-?oncologues?|otorhinolaryngologistes?|orl|"
    r"psychiatrists?|cardiologists?|anesthesiologists?|anaesthetists?|radiologists?|"
    r"surgeons?|residents?\s+r\d|r\d|fellows?|"
    # Chaplains of every faith, and those who hear complaints.
    r"rabbins?|rabbis?|imams?|pastors?|reverends?|rev|abb[ée]s?|priests?|pr[êe]tres?|"
    r"commissaires?|ombudsm[ae]n|ombudspersons?|m[ée]diat(?:eur|rice)s?|"
    # Nurse managers and their like, by their initials.
    r"nm|anm|cnm|apn|cnl|pcc|pcm)"
)

# Things and feelings whose words end as an occupation's do: after a name and a comma, they open
# what is said of the patient or of their room ("Mme Roy, l'imprimante de sa chambre est
# brisée", "M. Lee, la douleur est revenue", "Mrs. Cho, the printer was down"), not a role.
_THING_SHAPED_LIKE_ROLE = (
    # Devices and furniture.
    r"(?:imprimantes?|ordinateurs?|serveurs?|scanners?|printers?|computers?|monitors?|"
    r"t[ée]l[ée]avertisseurs?|pagers?|ventilateurs?|respirateurs?|inhalateurs?|"
    r"stimulateurs?|pacemakers?|d[ée]fibrillateurs?|distributeurs?|distributrices?|chargeurs?|"
    r"chargers?|adapt(?:at)?eurs?|adapters?|compteurs?|counters?|cath[ée]ters?|catheters?|"
    r"cong[ée]lateurs?|r[ée]frig[ée]rateurs?|frigidaires?|freezers?|coolers?|heaters?|timers?|"
    r"lockers?|casiers?|routers?|civi[èe]res?|barri[èe]res?|lumi[èe]res?|cafeti[èe]res?|"
    r"planchers?|floors?|doors?|escaliers?|ladders?|showers?|towers?|corners?|centers?|"
    # Papers and records.
    r"dossiers?|papiers?|papers?|fichiers?|formulaires?|questionnaires?|horaires?|"
    r"calendriers?|courriers?|claviers?|cahiers?|paniers?|posters?|stickers?|markers?|"
    r"binders?|folders?|letters?|numbers?|orders?|lists?|listes?|inventaires?|commentaires?|"
    r"annuaires?|dictionnaires?|vestiaires?|salaires?|"
    # Feelings, states, sensations, and what a sentence is about.
    r"douleurs?|humeurs?|couleurs?|odeurs?|chaleurs?|valeurs?|erreurs?|errors?|peurs?|"
    r"sueurs?|rougeurs?|lenteurs?|longueurs?|mati[èe]res?|mani[èe]res?|pri[èe]res?|"
    r"water|dinners?|power|weather|matters?|answers?|manners?|summer|winter|"
    # A relative and living things.
    r"tantes?|plantes?)"
)


# What a word in apposition after a name looks like when it names an occupation no list holds:
# "Chantal Bérubé, la co-signataire", "Lee, our liaison officer". Relatives, patients and the
# adjectives that share these endings are left out.
_ROLE_SHAPE = (
    r"(?!(?:filles?|fils|m[èe]res?|p[èe]res?|fr[èe]res?|s(?:œ|oe)urs?|mothers?|fathers?|"
    r"daughters?|sisters?|brothers?|partners?|caregivers?|neighbou?rs?|guardians?|"
    r"b[ée]n[ée]ficiaires?|locataires?|propri[ée]taires?|aidante?s?|voisine?s?|visiteu\w*|"
    r"visitors?|members?|users?|customers?|owners?|others?|survivors?|passengers?|strangers?|"
    r"usag\w*|patient\w*|r[ée]sident\w*|client\w*|premi\w*|derni\w*|enti[èe]re?s?|"
    r"r[ée]guli\w*|particuli\w*|famili\w*|pauvre|seule?|autre|meilleure?|grande?|petite?|"
    r"ann[ée]e|veille|fi[èe]re?s?|num[ée]ro|monsieur|messieurs|seigneur|meunier|\w*[ée]e|"
    rf"{_THING_SHAPED_LIKE_ROLE})\b)"
    r"[a-zà-öø-ÿ]+(?:-[a-zà-öø-ÿ]+)?(?:istes?|logues?|peutes?|trices?|teurs?|eurs?|euses?|"
    r"i[èe]res?|iers?|aires?|antes?|ists?|ians?|ers?|ors?)"
)

_SERVICE = (
    r"(?:de\s+garde|on[-\s]?call|pagette|pager|unit[ée]|unit|poste\s+de\s+soins|nursing\s+station|"
    r"centrale|standard|switchboard|bottin|directory|pharmacie|pharmacy|secr[ée]tariat|"
    r"[ée]quipe|team|d[ée]partement|department|bureau|office|coordo|dsn|dsi|"
    # "pour les urgences", "en cas d'urgence": for emergencies, not the emergency department.
    r"(?<!pour\sles\s)(?<!pour\sl['’])(?<!cas\sd['’])(?<!en\s)urgences?|"
    r"emergency|clsc|chsld|gmf|clinique|clinic|h[ôo]pital|hospital|laboratoire|labo|lab|"
    # A foster family ("famille d'accueil") is a relative, no front desk.
    r"radiologie|imagerie|archives|admissions?|(?<!famille\sd['’])accueil|r[ée]ception|"
    r"s[ée]curit[ée]|security|"
    # The services behind the care: cleaning, kitchens, maintenance, laundry.
    r"housekeeping|entretien\s+m[ée]nager|hygi[èe]ne\s+et\s+salubrit[ée]|salubrit[ée]|"
    r"maintenance|dietary|food\s+services?|buanderie|laundry|biom[ée]di\w+|"
    r"centrale\s+de\s+rendez-vous|(?:prise|centre|bureau)\s+de\s+rendez-vous|"
    # In capitals a hospital; "le chum de la pte" is her boyfriend.
    r"(?-i:CHUM|CHU|CUSM|MUHC|Chum|Chu|Cusm|Muhc)|cisss|ciusss|"
    r"charge(?=\s+(?:phone|cell|pager|nurse)))"
)

_STAFF_QUALIFIER = (
    r"(?:clinicienne?s?|auxiliaires?|aux|praticienne?s?|sp[ée]cialis[ée]e?s?|en|chef|cheffe|de|du|"
    r"des|"
    r"d|la|le|l|les|nuit|jour|soir|garde|notre|nos|mon|ma|mes|our|the|my|night|day|evening|charge|"
    r"head|senior|junior|nouvelle?|nouveaux|new|responsables?|pivots?|soutien|support|volante?s?|"
    r"[ée]quipe|unit[ée]|urgence|\d+e|\d+(?:st|nd|rd|th)|clinical|educators?|attending|"
    r"assistante?|adjointe?|principale?|bilingue|super|floor|unit|team|de\s+l|"
    r"soins|infirmi[eè]re?s|intensifs|palliatifs|services?|d[ée]partement|programmes?|secteurs?|"
    r"planification|"
    # What a teacher or a trainer teaches, and the school a teacher or a student comes from:
    # "le prof de formation", "la prof du cégep", "professeure de stage", "our training lead".
    r"formation|training|orientation|stages?|c[ée]gep|coll[èe]ge|college|[ée]cole|school|"
    r"universit[ée]|university|"
    # An English role is often two nouns: "nurse practitioner", "nurse navigator".
    r"practitioners?|navigators?|coordinators?|liaisons?|"
    r"(?-i:[a-zà-ÿ]{3,}(?:ive|if|ique|aire|elle|ale|logie|iatrie|th[ée]rapie)s?))"
)

# A street named with its type, before the name in French ("rue Ontario") or after it in English
# ("on Main St"): what it follows is a place or a business and where it stands.
_STREET_NAMED = (
    r"(?:\b(?i:rue|boul|boulevard|av|avenue|chemin|ch|rang|route)\b\.?[ \t]+[\w'’-]"
    r"|[ \t](?i:on|at|sur|coin)[ \t]+(?:[A-ZÀ-Þ0-9][\w'’-]*[ \t]+){1,2}"
    r"(?i:st|street|ave|avenue|road|rd|blvd|boulevard|drive|dr)\b)"
)

# A unit may be named by its floor and its wing: "l'unité 6 Est", "the 7 North unit".
_UNIT_CODE = (
    r"(?:\d{1,2}(?:e|er)?[ \t]+(?:Nord|Sud|Est|Ouest|North|South|East|West)\b"
    r"|[A-Z]{1,4}\d?|\d[A-Z]|\d+e)"
)

_SEP = r"[\s,:;(«\"“'’—–-]"

# Kin in Spanish and Portuguese, as a family that speaks them writes or is quoted.
_IBERIAN_KIN = (
    # Not "nieto", "neto" (surnames too), and "irmã", "mãe" with their tilde only: "Irma" is a
    # given name, "mae" a word.
    r"hij[oa]s?|espos[oa]s?|herman[oa]s?|sobrin[oa]s?|marido|filh[oa]s?|irmãs?|irmãos?|mães?"
)

# Relatives of a patient, as owners of a contact or a name.
_RELATIVE = (
    # A name ending in "s" takes the apostrophe alone: "Papadopoulos' son".
    r"(?:filles?|fils|(?:(?<=['’]s )|(?<=s['’] )|(?<=\]['’] )|(?<=his )|(?<=her )|(?<=the )|"
    r"(?<=their )|(?<=a )|"
    r"(?<=our ))sons?|son(?=['’]s\b)|(?<=\()sons?(?=\s*\))|daughters?|"
    # A kin word misspelt by a swap of letters is the same relative: "her daugther (Lyne)".
    r"daugthers?|m[èe]res?|p[èe]res?|mothers?|fathers?|mom|dad|"
    r"mum|maman|papa|"
    r"conjointe?s?|[ée]poux|[ée]pouse|wife|husband|spouse|partner|mari|(?-i:[Cc]hum)|(?<=sa )femme|"
    r"femme(?=\s+(?:de|d['’]|à)\b)|"
    # Québec French calls a son "son gars".
    r"(?<=son )gars|(?<=leur )gars|"
    r"fr[èe]res?|s(?:œ|oe)urs?|brothers?|sisters?|siblings|grand-m[èe]re|grand-p[èe]re|"
    r"grands-parents|grandmother|grandfather|grand-maman|grand-papa|petite?s?-fils|"
    r"petite?s?-filles?|grandsons?|granddaughters?|grandchildren|oncle|tante|uncle|aunt|neveu|"
    r"ni[èe]ce|nephew|niece|cousine?s?|tut(?:eur|rice)|mandataire|guardian|proches?|"
    # A foster family stands in for the patient's own: "la famille d'accueil", "foster parents".
    r"familles?\s+d['’]accueil|foster\s+(?:famil(?:y|ies)|parents?|mother|father|mom|dad|home)|"
    r"aidante?s?|caregivers?|famille|fam\.|family|parents|voisine?s?|neighbou?rs?|"
    r"belles?-(?:fille|m[èe]re|s(?:œ|oe)ur)s?|beaux?-(?:fils|p[èe]re|fr[èe]re)s?|in-laws?|"
    r"(?:son|daughter|mother|father|brother|sister)s?-in-law|b[ée]b[ée]s?|bbs?|baby|newborn|"
    r"jumeaux|jumelles?|twins?|enfants?|child|children|kids?|dame|monsieur|madame|vieux|vieille|"
    r"gendres?|brus?|parrain|marraine|filleule?s?|copain|copine|boyfriend|girlfriend|"
    r"fianc[ée]e?|step(?:son|daughter|mother|father|mom|dad)s?|godmother|godfather|grandma|"
    r"grandpa|granny|m[ée]m[ée]|p[ée]p[ée]|m[ée]m[èe]re|p[ée]p[èe]re|mamie|papi|papy|"
    r"bonhomme|bonne[ -]femme|"
    # Québec French runs "ma tante", "mon oncle" together: "sa matante Lorraine".
    r"matantes?|mononc(?:le)?s?|"
    # A family that speaks Spanish or Portuguese names its own: "hija Daniela", "filho Tiago".
    # Not "padre", "madre" (a priest, a nun) nor "mae", a word elsewhere.
    rf"{_IBERIAN_KIN})"
)

# Words that end a role's complement: a verb, a conjunction, a patient or a relative.
_NOT_A_COMPLEMENT = (
    rf"(?i:(?:a|ont|est|sont|was|is|has|had|have|are|were|avait|[ée]tait|et|and|ou|or|pis|"
    rf"qui|who|that|que|{_RELATIVE}|patiente?s?|pts?|pte|usag[èe]re?s?|r[ée]sidente?s?|"
    r"clientes?|mmes?|mr|mrs|ms|madame|monsieur|"
    # A role told is a clause of its own: "Médecin avisé, Jean Roy a refusé".
    r"avis[ée]e?s?|inform[ée]e?s?|notified|informed|paged|contact[ée]e?s?|contacted)\b)"
)

# The last word of a department's name: "command center", "privacy office", "biomed".
_DEPARTMENT_LAST = (
    r"(?:center|centre|desk|office|(?<=patient\s)relations|(?<=public\s)relations|ombudsman|"
    r"informatics|informatique|int[ée]gration|integration|"
    r"biom[ée]d\w*|finances?|privacy|payroll|paie|soutien|support|management|procurement|"
    r"approvisionnement|(?-i:IT|TI|DSN|DSI|RH|HR))"
)

_FAMILY = (
    # A foster family stands in for the patient's own: "la famille d'accueil de Théo".
    r"(?:familles?\s+d['’]accueil|foster\s+(?:famil(?:y|ies)|parents?|mother|father|mom|dad|home)|"
    r"b[ée]b[ée]s?(?:\s+(?:gar[çc]on|fille|boy|girl|de|of))?|bbs?|baby(?:\s+(?:boy|girl|of))?|"
    r"newborn|nouveau-n[ée]e?s?|nn|jumeaux|jumelles?|jumeau|tripl[ée]e?s|twins?|triplets|siblings|"
    r"fr[èe]res?|"
    r"s(?:œ|oe)urs?|brothers?|sisters?|fils|filles?|(?:(?<=['’]s )|(?<=s['’] )|(?<=\]['’] )|"
    r"(?<=his )|(?<=her )|(?<=the )|"
    # A list of relatives names the English son too: "Mr. X, son Dmitri and daughter Ngozi".
    r"(?<=their )|(?<=, )|(?<=\band )|(?<=& )|(?<=\())sons?|daughters?|daugthers?|"
    # Both parents at once, named together: "Parents (Ana and Tiago) informed"; not a
    # parents' body ("comité de parents", "l'association des parents").
    r"(?<!de )(?<!des )parents|m[èe]res?|p[èe]res?|"
    # A former spouse is a relative still: "son ex-mari Normand", "her ex-husband".
    r"ex-(?:mari|conjointe?|[ée]poux|[ée]pouse|femme|chum|blonde|wife|husband|spouse|partner)|"
    r"maman|papa|mari|(?<=sa )femme|"
    # "la femme de Roy" is his wife, "une femme de 80 ans" a woman.
    r"femme(?=\s+(?:de|d['’]|à)\b)|"
    r"(?:son|daughter|mother|father|brother|sister)s?-in-law|belles?-(?:fille|m[èe]re|s(?:œ|oe)ur)s?|"
    r"beaux?-(?:fils|p[èe]re|fr[èe]re)s?|"
    r"(?<=leur )femme|(?<=son )chum|(?<=sa )blonde|(?<=son )gars|(?<=leur )gars|"
    r"mothers?|fathers?|mom|dad|mum|conjointe?|[ée]poux|[ée]pouse|wife|husband|spouse|partner|"
    r"grand-m[èe]re|grand-p[èe]re|grands-parents|grandmother|grandfather|grand-maman|grand-papa|"
    r"petite?s?-fils|petite?s?-filles?|grandson|granddaughter|grandchildren|oncle|tante|uncle|aunt|"
    r"neveu|ni[èe]ce|nephew|niece|cousine?|tut(?:eur|rice)|mandataire|proche(?:\s+aidante?)?|"
    r"aidante?(?:\s+naturelle?)?|caregiver|famille|fam\.|family|petite?s?|p['’]tite?s?|ptite?s?|little|"
    r"enfants?|"
    # A youth called by the article and the adjective, as a child by "le petit": "pour le jeune
    # Thomas B.", "the young Aiden"; a young colleague is named by a role ("le jeune stagiaire").
    r"(?<=le )jeune|(?<=la )jeune|(?<=du )jeune|(?<=au )jeune|(?<=notre )jeune|(?<=ce )jeune|"
    r"(?<=cette )jeune|(?<=the )young|(?<=our )young|(?<=this )young|"
    r"child|kids?|gar[çc]on|girl|boy|voisine?|neighbou?r|pauvre|poor|"
    r"dame|monsieur|madame|vieux|vieille|"
    # In-laws, godparents, partners and the familiar words for an old patient.
    r"gendres?|brus?|parrain|marraine|filleule?s?|copain|copine|boyfriend|girlfriend|"
    r"fianc[ée]e?|step(?:son|daughter|mother|father|mom|dad)s?|godmother|godfather|grandma|"
    r"grandpa|granny|m[ée]m[ée]|p[ée]p[ée]|m[ée]m[èe]re|p[ée]p[èe]re|mamie|papi|papy|"
    r"bonhomme|bonne[ -]femme|"
    # Québec French runs "ma tante", "mon oncle" together: "sa matante Lorraine".
    r"matantes?|mononc(?:le)?s?|"
    # A family that speaks Spanish or Portuguese names its own: "hija Daniela", "filho Tiago".
    # Not "padre", "madre" (a priest, a nun) nor "mae", a word elsewhere.
    rf"{_IBERIAN_KIN})"
)

# "résident" is a resident of a long-term care home in French, a physician in English.
_FRENCH_ARTICLE_BEFORE = (
    r"(?:(?<=le\s)|(?<=la\s)|(?<=les\s)|(?<=du\s)|(?<=des\s)|(?<=au\s)|(?<=aux\s)|(?<=un\s)|"
    r"(?<=une\s)|(?<=ce\s)|(?<=cette\s)|(?<=ces\s)|(?<=nos\s)|(?<=notre\s)|(?<=l')|(?<=l’))"
)

# A resident on call or in a speciality is a physician in French too: "le résident de garde".
_FRENCH_RESIDENT = (
    rf"(?:résidente?s?|residentes?|{_FRENCH_ARTICLE_BEFORE}residents?)"
    r"(?!\s+(?:de\s+garde|en\s+(?:m[ée]decine|chirurgie|psychiatrie|anesth\w*|p[ée]diatrie|"
    r"radiologie|orthop[ée]die|obst[ée]trique|gyn[ée]co\w*)|[Rr][1-6])\b)"
)

# Departments whose number or mailbox a colleague gives ("Luc (biomed, 819-…)").
_DEPARTMENT = (
    r"(?:help\s*desk|service\s*desk|device\s+desk|desk|command\s+cent(?:er|re)|"
    r"centre\s+de\s+(?:commandement|services|coordination)|biom[ée]d\w*|"
    r"g[ée]nie\s+biom[ée]dical|informati(?:que|cs)|int[ée]gration|integration|soutien|support|"
    r"finances?|privacy|confidentialit[ée]|procurement|approvisionnement|management|"
    r"gestion\s+des\s+lits|paie|payroll|ressources\s+humaines|human\s+resources|"
    r"communications|qualit[ée]|quality|dsp|facturation|billing|registration|admitting|"
    # "Line" capitalised is a given name ("sa sœur Line au 450-…"); a phone line is written low.
    r"(?-i:ligne|line|LIGNE|LINE)|bed\s+board)"
)

# Departments a colleague is named with, in parentheses after the name: "(aumônerie)",
# "(patient relations)", "(logistique)".
_DEPARTMENT_NOTE = (
    r"(?:chaplaincy|aum[ôo]nerie|pastorale|spiritual\s+care|soins\s+spirituels|spiritual|"
    r"quality|qualit[ée]|patient\s+relations|relations\s+(?:avec\s+les\s+)?(?:usagers|patients)|"
    r"logisti(?:que|cs)|home\s+care|soins\s+[àa]\s+domicile|soutien\s+[àa]\s+domicile|plaintes|"
    r"complaints|risk\s+management|gestion\s+des\s+risques|infection\s+(?:control|prevention)|"
    r"pr[ée]vention\s+(?:et\s+contr[ôo]le\s+)?des\s+infections|pci|health\s+records|"
    r"medical\s+records|archives(?:\s+m[ée]dicales)?|pratique\s+professionnelle|"
    r"(?:professional|nursing)\s+practice|ressources\s+humaines|human\s+resources|"
    r"sant[ée]\s+(?:et\s+s[ée]curit[ée]|au\s+travail)|health\s+and\s+safety|occupational\s+health|"
    r"food\s+services|alimentation|environmental\s+services|hygi[èe]ne(?:\s+et\s+salubrit[ée])?|"
    r"housekeeping|facilities|installations|services\s+techniques|technical\s+services|"
    r"t[ée]l[ée]com\w*|biom[ée]d\w*|informati(?:que|cs)|pharmac(?:ie|y)|labo(?:ratoire)?|lab|"
    r"radiologie|radiology|imagerie|imaging|s[ée]curit[ée]|security|admissions?|admitting|"
    r"bed\s+management|gestion\s+des\s+lits|procurement|approvisionnement|purchasing|achats|"
    r"finances?|paie|payroll|communications|enseignement|formation|training|education|"
    r"research|recherche|[ée]thique|ethics|legal|juridique|privacy|confidentialit[ée]|"
    r"accr[ée]ditation|accreditation|b[ée]n[ée]volat|volunteer\s+services|fondation|foundation|"
    r"direction|soutien|support|help\s*desk|service\s*desk|command\s+cent(?:er|re)|"
    r"centre\s+de\s+commandement|int[ée]gration|integration|"
    r"(?-i:DSI|DSP|DSN|DSM|DRH|RH|HR|DQEPE|CMDP|CII|CECII|TI|IT|DME|EHR|PCI|IPAC))"
)

_CLAUSE_END = re.compile(r"[.!?](?=\s)|\n")

# A family named by its surname: "the Abboud sisters", "les jumeaux Nakamura".
_FAMILY_GROUP = (
    r"(?:twins|triplets|siblings|kids|children|sisters|brothers|boys|girls|cousins|"
    r"family(?!\s+(?:council|meeting|room|medicine|doctors?|physicians?|practice|day|members?\s+"
    r"of\s+staff))|jumeaux|jumelles|tripl[ée]e?s|s(?:œ|oe)urs|fr[èe]res|cousine?s|"
    r"famille(?!\s+d['’]accueil))"
)

_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n")

_TITLE_ABBREVIATION = re.compile(
    r"\b(?:M|Dr|Dre|Mr|Mrs|Ms|Mme|Mlle|St|Ste|inf|ext|no|n)$", re.IGNORECASE
)


def _has_any(low: str, hints: tuple[str, ...]) -> bool:
    return any(hint in low for hint in hints)


_STAFF, _PATIENT_CLASS, _DEFAULT, _MERGED = "staff", "patient", "default", "merged"


def _apply(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with each span (merged with any it touches across blanks) replaced by PATIENT."""
    if not spans:
        return text
    spans.sort()
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1] + 1 and not text[merged[-1][1] : start].strip():
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces, last = [], 0
    for start, end in merged:
        pieces.append(text[last:start])
        pieces.append(PATIENT)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


@cache
def word_list(name: str) -> frozenset[str]:
    """A list of folded words of redaction_words.json: "not_names" (capitalised words that are
    never a patient's name: acronyms, words of the trade, products), "ambiguous_lower" (given
    names that are also everyday words, read as words in lower case), "service_mailbox_words"
    (words that make a mailbox a service's), "thing_acronyms" (abbreviations of things, an
    appointment, a text message, a code, that name no service)."""
    return frozenset(load_json("redaction_words.json")[name])


def _one_letter_apart(a: str, b: str) -> bool:
    """Whether one letter added, dropped or changed turns a into b."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
