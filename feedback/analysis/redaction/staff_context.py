"""Words around a name that make it a colleague's: titles of physicians, roles, thanks,
imperatives to contact, training and meetings, deeds only a colleague does, lists of staff.
"""

import re

from feedback.analysis.redaction.vocabulary import (
    _DEPARTMENT_LAST,
    _DEPARTMENT_NOTE,
    _NOT_A_COMPLEMENT,
    _ROLE,
    _ROLE_SHAPE,
    _SEP,
    _STAFF_QUALIFIER,
    _STREET_NAMED,
    _UNIT_CODE,
    _Lazy,
)
from feedback.analysis.redaction.words import _GIVEN, _SURNAME, _flags, _key

_DETERMINERS = "sa ma ta la leur une son his her the my their our a your Sa Ma La Her His The My"
_NO_DETERMINER = "".join(rf"(?<!\b{word} )" for word in _DETERMINERS.split(" "))
_STAFF_BEFORE = re.compile(
    rf"(?:(?:\b(?i:dr|dre|drs|dres|docteure?|doctor|doc|prof|professeure?)|\bPre?|\bMe)\.?\s+"
    # The doctor's initial, which is no "M." of a patient's title: "Dr M. Abboud", "Dre J.-F. Roy".
    r"(?:[A-ZÀ-Þ]\.[ \t]*(?:-?[A-ZÀ-Þ]\.[ \t]*)?)?"
    # A religious title is a chaplain's ("Father Tom", "Sœur Lucie"); after a determiner it is a
    # relative's noun ("sa sœur Line", "her sister Ann").
    rf"|{_NO_DETERMINER}\b(?:Brothers?|Sisters?|Fathers?|Fr\.|Fr[èe]res?|S(?:œ|oe)urs?|P[èe]res?|Abb[ée]|"
    r"Rabbi|Imam|Pastor|Reverend|Rev\.|Chaplain|Aum[ôo]nier)\s+"
    # "M." there is a patient's title, no unit code: "inhalo: CPAP de M. Roy".
    rf"|\b(?i:{_ROLE})\.?(?:{_SEP}+(?:(?i:{_STAFF_QUALIFIER})|(?!M\.){_UNIT_CODE})\b\.?){{0,4}}"
    rf"{_SEP}*"
    # The role equated with who holds it: "(ergo = Lise Roy)", "inf → Marc".
    rf"|\b(?i:{_ROLE})[ \t]*(?:=|→|->)[ \t]*"
    # A role, then what it is of, then the name in apposition: "The super-user on nights, Marc
    # Tremblay", "l'agente de gestion des lits (Karine Dubois" (no verb, no patient between).
    rf"|\b(?i:{_ROLE})(?:[ \t]+(?!{_NOT_A_COMPLEMENT})[\w'’-]{{1,20}}){{1,4}}"
    r"[ \t]*(?:[,(:=—–→]|->)[ \t]*"
    # The role, then who held it: "l'infirmière de nuit, c'était Naomie Chen".
    r"(?:(?i:c['’]est|c['’][ée]tait|it\s+was|it['’]s|ce\s+sera|that\s+was)[ \t]+)?"
    # A department in apposition: "— Command center, Nicole Fortin", "privacy office, M. D."
    rf"|\b(?i:{_DEPARTMENT_LAST})[ \t]*[,:(—–][ \t]*"
    r"|\b(?i:appelez|contactez|joignez|joindre|rejoindre|t[ée]l[ée]phonez|escalat\w*(?:\s+go(?:es)?)?"
    r"\s+to|reach\s+out\s+to|rsvp\s+(?:to|[àa])|(?:[ée]crivez|adressez-vous)\s+[àa])\s+"
    r"|\b(?i:merci|remerciements?|remercie|remercions|remercier|thanks|thank\s+you|thank|thx|ty|"
    r"bravo|chapeau|kudos|f[ée]licitations|"
    r"shout[\s-]?outs?|props|cheers|gracias|hommage|gratitude|salut|bonjour|hi|hello|allo|hey|cher|ch[èe]re|"
    r"dear)"
    r"\b(?:[\s,!:]+(?i:à|a|aux?|to|sp[ée]cial(?:ement)?|special|encore|beaucoup|big|huge|so|much|"
    r"[ée]galement|aussi|et|infiniment|gros|grand|mille\s+fois|again|ma|mon|notre|nos|our|the|la|"
    r"le|"
    r"l['’]|my)\b)*[\s,!:]*"
    r"|\b(?i:aupr[èe]s\s+d[e'’]|aide\s+d[e'’]|gr[âa]ce\s+[àa]|thanks\s+to|selon|"
    r"according\s+to|sign[ée]e?\s+par|signed\s+by|part\s+d[e'’]|behalf\s+of|"
    r"voir\s+avec|check\s+with|v[ée]rifier\s+avec|demandez\s+[àa]|demander\s+[àa]|"
    r"demand[ée]e?\s+[àa]|ask|asked|contact(?:ez|er)?|"
    r"[ée]crire\s+[àa]|write\s+to|cc|c\.c\.|collaboration\s+avec|help\s+from|"
    r"helped\s+by|aid[ée]e?s?\s+(?:de|par)|form[ée]e?s?\s+par|trained\s+by|taught\s+by|ping|"
    r"coached\s+by|r[ée]f[ée]rer\s+[àa]|refer\s+to|vu\s+par|seen\s+by|moi\s+et|me\s+and|"
    r"remplac[ée]e?s?|remplacer|covering\s+for|covered\s+for|replaced|replacing|relieved|"
    # Who a problem was solved with: "Fixed w/ X", "réglé avec X".
    r"(?:fixed|solved|resolved|sorted(?:\s+out)?|troubleshot|debugged|r[ée]gl[ée]|corrig[ée]|"
    r"r[ée]solu|d[ée]bogu[ée])(?:\s+(?:it|that|this|ça|ca|le\s+tout))?\s+(?:with|w/|avec)|"
    r"travaill\w*\s+avec|worked\s+with|working\s+with|jumel[ée]e?s?\s+avec|paired\s+with|"
    r"shadow\w*|r[ée]union\s+avec|rencontre\s+avec|meeting\s+with|call\s+with|appel\s+avec|"
    r"discussion\s+avec|discut[ée]\s+avec|parl[ée]\s+avec|spoke\s+with|talked\s+(?:to|with)|"
    r"I\s+and|myself\s+and|(?:l['’])?[ée]quipe\s+d[e'’]|team\s+of)\s+"
    # Whose team it is, the name glued to its elision: "l'équipe d'Anne Roy".
    r"|\b(?i:[ée]quipe)\s+d['’]"
    # A team in parentheses before the name: "(équipe analytique) Sébastien Morin a fait".
    r"|(?:(?<=\()|(?<=\(\s)|(?<=\(l['’])|(?<=\(la\s)|(?<=\(notre\s))"
    r"(?i:[ée]quipe|team)\b[^()]{0,40}\)[ \t]*"
    r"|@)$"
)

# A role that a patient needs is no apposition: "DOAN, Thi, interprète vietnamien requis"; nor
# one a patient held before retiring: "Mme Roy, professeure retraitée, est tombée".
_NEEDED = (
    r"(?!(?:[ \t]+[a-zà-öø-ÿ]+)?[ \t]+(?i:requis|requise|n[ée]cessaire|demand[ée]e?|needed|"
    r"required|requested|[àa]\s+(?:demander|r[ée]server|booker)|to\s+be\s+booked|"
    r"retrait[ée]e?s?|[àa]\s+la\s+retraite|retired)\b)"
)

# What a patient waits for is no department: "(labo à faire)", "(pharmacie en attente)".
_PENDING = (
    r"(?![^()]*(?i:requis|demand[ée]|needed|required|pending|en\s+attente|[àa]\s+faire|to\s+do|"
    r"ordered|command[ée]|[àa]\s+jeun|npo|refus))"
)
# An outpatient clinic is a service, not a medical student: "(consultation externe)", "clinique
# externe"; the word before a role is never one of those.
_NOT_A_CLINIC = r"(?!(?i:consultations?|cliniques?)\b)"

_STAFF_AFTER = re.compile(
    # A degree signs a professional: "Lise Roy, B.Pharm", "Marc Roy, M.Sc.", "J. Roy, PharmD".
    r"^\s*,\s*(?:(?:B|M|Ph)\.?[ \t]?(?:Pharm|Sc|Sc\.?[ \t]?inf|A|Ed|N|D)|Pharm\.?[ \t]?D|"
    r"(?i:inf|inh|erg|pht)\.)\.?(?=\s*(?:[,.;)]|$))"
    r"|^(?:\s*[,(—–-]\s*"
    r"|\s+(?=(?i:notre|our|la|le|l['’]|the|une?|an?|du|de|from|of|on|my|ma|mon)\b))"
    r"(?:(?i:notre|nos|our|la|le|the|une?|an?|du|de\s+la|from|of|my|ma|mon|new|"
    r"nouvelle?|nouveau|nouvel|et|and)\s+|(?i:l['’]|de\s+l['’])\s*){0,2}"
    rf"(?:(?!(?i:son|sa|ses|his|her|their|leurs?)\b){_NOT_A_CLINIC}"
    r"[a-zà-öø-ÿ]{3,}\s+){0,2}"
    rf"(?i:{_ROLE})\b(?!\s*:){_NEEDED}"
    # Whose colleague the name is, in an apposition that closes: "Mme Roy, son infirmière, a",
    # "Tom Lee, her nurse." ("Mme Roy, sa préposée lui a donné" goes on: no apposition).
    rf"|^\s*[,(—–]\s*(?i:son|sa|ses|his|her|their|leurs?)\s+(?i:{_ROLE})\b(?=\s*(?:[,.;:)—–]|$))"
    # A department after the name: "Rachel Stein, nursing informatics", "Yannick, intégration".
    rf"|^\s*[,(]\s*(?:[a-zà-öø-ÿ]{{3,}}\s+){{0,2}}(?i:{_DEPARTMENT_LAST}|help\s*desk|"
    r"service\s*desk|command\s+cent(?:er|re))\b(?!\s*:)"
    rf"|^\s+(?i:{_ROLE})\b(?!\s*:){_NEEDED}"
    # The role said of the name: "X est encore pilote", "X is now our charge nurse".
    r"|^\s+(?i:est|[ée]tait|sera|reste|devient|is|was|will\s+be|remains|becomes)\s+"
    r"(?:(?i:encore|toujours|maintenant|rendue?|d[ée]sormais|still|now|also|aussi)\s+)?"
    r"(?:(?i:notre|nos|our|la|le|l['’]|the|une?|an?|my|ma|mon|new|nouvelle?|nouveau)\s+)?"
    rf"(?:[a-zà-öø-ÿ]+\s+)?(?i:{_ROLE})\b{_NEEDED}"
    # The determiner is a word of its own: ", Marie-Pier" is no "ma …ier".
    r"|^\s*[,(—–]\s*(?:(?i:la|le|notre|our|the|une?|an?|my|ma|mon|his|her|their)\s+|(?i:l['’])\s*)"
    rf"(?i:{_ROLE_SHAPE})\b(?!\s*:)"
    r"|^\s*[,(]?\s*(?i:de\s+l['’]\s*|(?:du|de\s+la|des|de|of|from|on|in|at)\s+)"
    r"(?i:the\s+|our\s+)?"
    r"(?i:(?:l['’])?[ée]quipe|team|help\s*desk|service\s*desk|desk|informatics|finance|privacy|"
    r"procurement|management|bed\s+management|gestion\s+des\s+lits|int[ée]gration|"
    r"soutien|support|centre|command|service|ti|it|informatique|pharmacie|pharmacy|nuit|jour|soir|"
    r"nights|days|evenings|the\s+\w+\s+team|formation|training|archives|admissions?|"
    # The front desk placed by its hospital: "Mme Nakamura, de la réception de l'Hôpital X".
    r"r[ée]ception|reception|front\s+desk|"
    r"paie|payroll|rh|drh|hr|ressources\s+humaines|finances?|biom[ée]d\w*|g[ée]nie\s+biom\w*|"
    r"labo\w*|lab|radiologie|imagerie|s[ée]curit[ée]|security|entretien|hygi[èe]ne|salubrit[ée]|"
    r"cuisine|accueil|bureau|direction|dsn|dsi|dsp|qualit[ée]|comptabilit[ée]|"
    r"approvisionnement|magasin|registration|inscription|archives|biomed|"
    r"housekeeping|maintenance|dietary|kitchen|food\s+services?|laundry|buanderie|"
    # Offices a patient is sent to, never from: "X from social work", "X at admitting".
    r"social\s+work|service\s+social|travail\s+social|admitting|patient\s+access|"
    r"health\s+records|medical\s+records)\b"
    r"|^\s*[(:]?\s*(?i:(?:au|at|on|à|a|,)\s*)?(?i:ext|poste|x|local|pager|t[ée]l\.?\s*poste)\.?\s*\d"
    r"|^\s+(?i:et\s+moi|and\s+I|and\s+me|pis\s+moi)\b"
    # The writer introducing themselves: "Perfusion: Jean-Luc here.", "Julie ici, 3e Nord".
    r"|^\s+(?i:here|ici)(?=\s*(?:[.,:;!—–-]|$))"
    r"|^\s*\(\s*(?:DSN|TI|IT|DSI|DSP|DSM|DRH|RH|DQEPE|CSI|(?i:soutien|support|pharmacie|pharmacy|"
    r"formation|training|informatique|s[ée]curit[ée]|security|admission|archives|direction))\b"
    rf"|^\s*\(\s*(?:{_NOT_A_CLINIC}[^\W\d_]+[ \t-]+){{1,2}}(?i:{_ROLE})\b\s*\)"
    # A department, or a role and what it is of, in parentheses: "(spiritual care)", "(NM 3C)".
    rf"|^\s*\(\s*(?:[^\W\d_]+[ \t'’-]+){{0,3}}(?i:{_DEPARTMENT_NOTE})\b{_PENDING}[^()]{{0,30}}\)"
    rf"|^\s*\(\s*(?i:{_ROLE})\b{_NEEDED}[^()]{{0,40}}\)"
    # A team in parentheses: "(équipe analytique)", "(analytics team)", "(l'équipe TI)".
    r"|^\s*\(\s*(?:(?i:l['’]|la|the|our|notre|de\s+l['’]|du|de\s+la)\s*)?(?i:[ée]quipe|team)\b"
    r"[^()]{0,40}\)"
    r"|^\s*\(\s*(?:[^\W\d_]+[ \t-]+){1,3}(?i:team|squad|crew)\s*\)"
    r"|^\s*[,(]?\s*(?i:au\s+|[àa]\s+la\s+|[àa]\s+l['’]\s*|aux\s+|at\s+)"
    r"(?i:soutien|support|centre\s+de|"
    r"service\s+desk|help\s*desk|ti|it|informatique|pharmacie|pharmacy|paie|payroll|rh|hr|"
    r"biom\w*|formation|training|archives|s[ée]curit[ée]|security|accueil|admissions?|labo\w*|"
    r"radiologie|imagerie|approvisionnement|magasin|entretien|hygi[èe]ne|housekeeping|"
    r"maintenance|dietary|kitchen|laundry|buanderie|"
    # Where records are kept: no patient is "au HIM" or "aux archives médicales".
    r"(?-i:HIM|GIS)|dossiers\s+m[ée]dicaux|archives\s+m[ée]dicales|medical\s+records|"
    r"health\s+records|health\s+information|"
    # An office that serves patients, named by its service: "au bureau d'admission".
    r"bureaux?\s+(?:d['’]\s*|des\s+|de\s+l['’]\s*)(?:admissions?|inscriptions?|accueil|"
    r"archives|rendez-vous))\b"
    r"|^\s*[,(]\s*(?:RN|LPN|IPS|IPSPL|MD|PAB|AIC|ASI|CSI|SU|TS|R\d|(?i:inf\.?|infirmi\w*|"
    r"super[-\s]?\w+|format\w*|trainer|coach|pharm\w*|inhalo\w*|physio\w*|ergo\w*|nutri\w*|externe|"
    r"stagiaire|"
    r"commis|clerk|agente?|tech\w*|m[ée]decin|doctor|nurse))\b"
    # A street in the same aside makes it a place, a business named like a trade and where it
    # stands: "(Pharmaprix rue Ontario)", "(PharmaPlus on King St)" is where someone shops.
    rf"(?![^()\n]{{0,30}}{_STREET_NAMED})"
)

# What a colleague did, just after the name: "m'a aidée", "signed the order". Weaker than a
# patient's title or a relative's noun before the name (a daughter signs a consent too).
_STAFF_DEED_AFTER = re.compile(
    # Time given to the writer: "a pris le temps de m'expliquer", "took the time to show me".
    r"^\s+(?i:a\s+pris\s+le\s+temps|prend\s+(?:toujours\s+)?le\s+temps|took\s+the\s+time|"
    r"takes\s+the\s+time)\b"
    # A cleft names whoever did it for the writer: "C'est Pierrette qui m'a montré".
    r"|^\s+(?:(?i:qui)\s+(?=(?i:m['’]|nous|t['’]|leur|vous)))?"
    r"(?i:m['’]a|nous\s+a|t['’]a|leur\s+a|vous\s+a|a|m['’]ont|nous\s+ont|"
    r"ont)\s+(?i:aid[ée]e?s?|"
    r"montr[ée]|expliqu[ée]|form[ée]e?s?|d[ée]pann[ée]e?s?|sauv[ée]e?s?|coach[ée]e?s?|r[ée]pondu|"
    r"accompagn[ée]e?s?|soutenu|guid[ée]e?s?|sign[ée]|cosign[ée]|contresign[ée]|prescrit|"
    r"ordonn[ée]|"
    r"approuv[ée]|valid[ée]|appel[ée]\s+(?:le\s+)?(?:soutien|support|centre|TI|pilote)|"
    # A request or a ticket opened is a colleague's work on the tools: "a ouvert la demande".
    r"ouvert\s+(?:un|une|le|la)\s+(?:billet|demande|requ[êe]te|incident|ticket)|r[ée]gl[ée]|corrig[ée]|trouv[ée]\s+(?:la|une)\s+solution|"
    r"donn[ée]\s+(?:la|une)\s+formation|anim[ée]|pr[ée]sent[ée]|document[ée]|not[ée]|saisi|"
    r"entr[ée]|transcrit|v[ée]rifi[ée]|confirm[ée]|remarqu[ée]|vu\s+que|averti|"
    # Work that only a colleague does: teaching, building, setting up.
    r"fait\s+une?\s+(?:(?:super|belle|tr[èe]s\s+bonne|bonne|courte|petite)\s+)?"
    r"(?:pr[ée]sentation|formation|d[ée]mo\w*|capsule|mise\s+[àa]\s+jour|correction|"
    r"demande\s+de\s+changement|analyse|audit)|"
    r"donn[ée]|pr[ée]par[ée]|organis[ée]|configur[ée]|programm[ée]|install[ée]|cr[ée][ée]|"
    r"mis\s+[àa]\s+jour|test[ée]|publi[ée]|con[çc]u|d[ée]velopp[ée]\s+(?:un|une|le|la|les))"
    # Work on the unit's tools, which no patient does: "a refait les tables de conversion",
    # "rebuilt the order sets"; whose list it is ("de ses médicaments") makes it a patient's.
    r"|^\s+(?:(?i:a|ont|avait)\s+(?i:refait|r[ée]vis[ée]|reconstruit|b[âa]ti|construit|"
    r"param[ée]tr[ée]|reprogramm[ée]|mis\s+en\s+place|modifi[ée]|ajust[ée])"
    r"|(?i:rebuilt|redid|redone|revised|reworked|updated|built|set\s+up|fixed|mapped|remapped))"
    r"\s+(?i:les|la|le|l['’]|nos|notre|une?|des|the|our|all\s+the|an?)\s*"
    r"(?:[\w'’-]+\s+)?(?i:tables?|gabarits?|formulaires?|templates?|order\s+sets?|"
    r"ordonnances\s+pr[ée]-?imprim[ée]es|[ée]crans?|screens?|forms?|profils?|profiles?|"
    r"menus?|rapports?|reports?|requ[êe]tes?|queries|interfaces?|param[èe]tres|settings|"
    r"imprimantes?|printers?|mappings?|r[èe]gles?|rules?|alertes?|alerts?)\b"
    r"(?!\s+(?i:de\s+(?:ses|son|sa)|of\s+(?:his|her|their))\b)"
    # An aid for the team, written now or to come: "va faire un aide-mémoire", "will write a tip
    # sheet"; what a patient writes is their own ("sa lettre"), and no aid for the unit.
    r"|^\s+(?:(?i:va|vont|allait|a|ont|avait)\s+(?i:faire|pr[ée]parer|r[ée]diger|[ée]crire|"
    r"monter|cr[ée]er|fait|pr[ée]par[ée]|r[ée]dig[ée]|[ée]crit|mont[ée]|cr[ée][ée])"
    r"|(?i:fera|feront|pr[ée]pare|r[ée]dige|will\s+(?:make|write|prepare|draft|create|put\s+"
    r"together|do)|is\s+(?:making|writing|preparing|drafting|putting\s+together)|made|wrote|"
    r"prepared|drafted|put\s+together))"
    r"\s+(?i:un|une|le|la|les|des|l['’]|nos|notre|a|an|the|our|some)\s*(?:[\w'’-]+\s+)?"
    r"(?i:aide-m[ée]moires?|guides?|proc[ée]dures?|capsules?|affiches?|checklists?|tip\s+sheets?|"
    r"cheat\s+sheets?|m[ée]mos?|memos?|faq|tutori(?:el|al)s?|posters?|one-pagers?|fiches?)\b"
    # The problem told to the vendor or a department: "en a parlé à Epic", "escalated it to
    # IT"; what a patient tells is told to their own ("à son médecin").
    r"|^\s+(?:(?i:en|l['’]|l['’]a)\s*)?(?i:a|ont|avait)?\s*(?i:parl[ée]|[ée]crit|signal[ée]|"
    r"rapport[ée]|escalad[ée]|remont[ée]|transmis|soumis)\s+(?i:[àa]|au|aux)\s+"
    r"(?:(?i:la|l['’])\s*)?(?:(?i:fournisseur|vendeur|[ée]diteur|pilotes?|soutien|"
    r"support|centre\s+de\s+services?)\b|(?-i:Epic|Cerner|Meditech|Oracle|Logibec|"
    r"TI|DSN|DSI|IT)\b)"
    r"|^\s+(?i:told|emailed|escalated\s+(?:it|this|that)\s+to|reported\s+(?:it|this)\s+to|"
    r"raised\s+(?:it|this)\s+with|flagged\s+(?:it|this)\s+(?:to|with))\s+(?:the\s+)?"
    r"(?:(?i:vendor|help\s*desk|service\s+desk|super[-\s]?users?)\b|"
    r"(?-i:Epic|Cerner|Meditech|Oracle|IT)\b)"
    # Who keeps the unit's figures: "compile les chiffres", "is pulling the data"; a patient
    # keeps none.
    r"|^\s+(?i:compile|compilera|compilent|va\s+compiler|a\s+compil[ée]|analyse|analysera|"
    r"va\s+analyser|a\s+analys[ée]|consolide|a\s+consolid[ée]|extrait|a\s+extrait|"
    r"compiles|compiled|is\s+compiling|will\s+compile|analy[sz]es|analy[sz]ed|"
    r"is\s+analy[sz]ing|will\s+analy[sz]e|pulls|pulled|is\s+pulling|will\s+pull|tallies|"
    r"tallied|is\s+tallying|tracks|is\s+tracking)\s+(?i:les|des|nos|the|our|all\s+the)\s+"
    r"(?i:chiffres|donn[ée]es|stats|statistiques|indicateurs|numbers|data|statistics|figures|"
    r"metrics)\b"
    # Who follows an issue up: "suit le dossier", "is following up"; whose file it is ("suit
    # le dossier de sa mère") makes it a relative's or a patient's.
    r"|^\s+(?i:suit|suivra|va\s+suivre|s['’]occupe|s['’]occupera|va\s+s['’]occuper|est\s+sur|"
    r"a\s+pris\s+en\s+charge)\s+"
    r"(?:(?i:le|la|ce|cette|les|ces|du|des|de\s+la|de\s+ce|l['’]|de\s+l['’])\s*)?"
    r"(?i:dossier|probl[èe]me|billet|suivi|demande|requ[êe]te)\b(?!\s+(?:de|du|d['’]|des|of)\b)"
    r"|^\s+(?i:is\s+following\s+up|will\s+follow\s+up|follows\s+up|is\s+looking\s+into\s+it|"
    r"is\s+on\s+it|owns\s+(?:the|this)\s+(?:issue|ticket|file))\b"
    r"|^\s+(?i:helped|showed|taught|trained|fixed|explained|walked\s+(?:me|us)|covered|answered|"
    r"signed|co-?signed|prescribed|ordered|approved|came\s+(?:by|over)|stayed|rocks|"
    # A patient comes up too, from the emergency room to a floor, with a chart missing its
    # parts: "came up from the ER", "came up with no triage history".
    r"came\s+up(?!\s+(?:from|to\s+(?:the\s+)?(?:floor|unit|ward|icu|\d)|with\s+(?:no|none)\b|"
    r"without|on\s+a\s+stretcher))|"
    # A patient comes in too: with a relative, by ambulance, to the ER, for a test.
    r"came\s+in(?!\s+(?:with|by|to|for|through|via|at|on\s+(?:a|his|her)|again|confused|"
    r"agitated|unresponsive|short|febrile|septic))|"
    r"documented|charted|entered|noticed|caught|double-checked|verified|confirmed|"
    r"opened\s+(?:a|an|the)\s+(?:ticket|request|incident|change\s+request)|presented|gave\s+(?:a|the|us)|ran\s+(?:a|the)|did\s+(?:a|the)\s+"
    r"(?:demo|presentation|training|session)|set\s+up|configured|built|installed|organi[sz]ed|"
    r"(?:was|is|has\s+been)\s+(?:amazing|great|awesome|super|fantastic|"
    r"so\s+helpful|incredible|patient|the\s+best|on\s+(?:nights|days|call|leave|vacation)))"
    r"|^\s+(?i:est|a\s+[ée]t[ée]|[ée]tait|sera)\s+(?i:super|g[ée]niale?|incroyable|extraordinaire|"
    r"une\s+perle|un\s+ange|tellement\s+patiente?|d['’]une\s+grande\s+aide|disponible|"
    r"en\s+formation|"
    r"en\s+vacances|en\s+cong[ée]|de\s+garde|sur\s+le\s+plancher|au\s+poste|en\s+poste)"
    # Back at work: "est revenue de congé de maternité", "is back from leave", "reprend son poste".
    r"|^\s+(?i:est\s+(?:revenue?|de\s+retour)\s+(?:de|d['’])\s*(?:son\s+|sa\s+)?"
    r"(?:cong[ée]|vacances|maladie|formation|maternit[ée]|paternit[ée])|"
    r"(?:is|came)\s+back\s+(?:from|on)\s+(?:leave|vacation|holidays?|mat(?:ernity)?\s+leave|"
    r"nights|days|the\s+floor)|reprend\s+(?:son|sa|ses|le|la)\s+(?:poste|quart|horaire|"
    r"coordination|r[ôo]le))"
    # Care done to a patient, the patient its object: "a transféré la patiente", "a fait le
    # bilan de la patiente", "transferred the patient".
    r"|^\s+(?i:a|avait|ont)\s+(?:(?i:d[ée]j[àa]|encore|bien|vite)\s+)?[a-zàâçéèêëîïôûù]+[ée]?\s+"
    r"(?:(?i:le|la|les|l['’]|un|une|des|ce|cette|mon|ma|mes)\s*)?(?:[\wàâçéèêëîïôûù'’-]+\s+){0,2}?"
    r"(?:(?i:de\s+la|du|de\s+l['’]|des|de)\s*)?(?i:patiente?s?|pts?|pte|r[ée]sidente?s?|usag[èe]re?s?)\b"
    r"|^\s+(?i:transferred|admitted|assessed|examined|discharged|moved|turned|repositioned|bathed|"
    r"fed|saw|settled)\s+(?i:the|a|my|our|this)\s+(?i:patient|resident)\b"
)

# A name followed by a contact that the numbers stage kept (a colleague's, a service's).
_NAME_BEFORE_CONTACT = _Lazy(
    r"\)?[ \t]*(?:[,(:<–—-][ \t]*)?(?:(?i:au|at|à|a|on|via|le|the|t[ée]l|cell|phone|courriel|"
    r"e-?mail|poste|ext)\.?[ \t:]*){0,3}"
    r"(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s./\u2010-\u2015\u2212-]?"
    r"\d{3}[\s./\u2010-\u2015\u2212-]?\d{2}[\s.]?\d{2}(?!\d))"
)

# A note ends on who signs it, or on who takes over the shift ("Relève : Anne Roy", "Handover
# to: Tom Lee"); a handover of patients lists them with their rooms, and goes on after them.
_SIGNATURE_BEFORE = re.compile(
    r"(?:^|\n|[-–—~]\s*|(?i:merci|thanks|cordialement|regards)\W*"
    r"|\b(?i:rel[èe]ve|relief|handover(?:\s+to)?|handed\s+over\s+to|passation\s+[àa])"
    r"[ \t]*:[ \t]*)$"
)

_STAFF_HEADER = re.compile(
    rf"\b(?i:{_ROLE}|[ée]quipes?|teams?|employ[ée]e?s|staff|personnel|embauches?|recrues?|"
    r"orientation|formations?|trainings?|speakers?|conf[ée]renci(?:er|[èe]re)s?|"
    r"pr[ée]sentat(?:eur|rice)s?|presenters?|panel\w*|auteure?s?|authors?|r[ée]dig[ée]e?s?|"
    r"written|contacts?|rsvp|organisat(?:eur|rice)s?|organi[sz]ers?|"
    r"animat(?:eur|rice)s?|facilitat\w*|hosts?|mod[ée]rat\w*|escalat\w*|comit[ée]s?|"
    r"committees?|membres?|members?|jury|panels?|on-call|roster|coverage|pr[ée]sente?s|absente?s|"
    r"rempla[çc]ante?s|rempla[çc]ements?|vacances|absences|"
    r"attendees|participants|cc|cci|bcc|"
    r"invit[ée]e?s|guests|signataires|signatories|approbat(?:eur|rice)s|approvers|reviewers|"
    r"r[ée]viseu(?:r|se)s|relect(?:eur|rice)s|"
    # A consult asked of someone is asked of a physician: "Consults demandés : Roy, Gagnon".
    r"consultants?|consult[ée]e?s?|consulted|"

    r"consult(?:s|ations?)?\s+(?:demand|request|requis|sollicit|asked)\w*)\b"
)

# A meeting or a training "avec" someone is with a colleague.
_TRAINING_WITH = re.compile(
    r"(?i:\b(?:formations?|format(?:eur|rice)s?|training|session|atelier|workshop|cours|course|"
    r"classe|class|d[ée]mo\w*|r[ée]union|rencontre|meeting|huddle|caucus|simulation|webinaire|"
    r"webinar|capsule|coaching|jumelage|mentorat|orientation|pr[ée]sentation|presentation|"
    r"visio|zoom|teams|"
    # Work shared with a team: "le rapport vient de l'équipe (équipe qualité) avec Hugo Samson".
    r"[ée]quipe|team|comit[ée]|committee|projet|project|rapport|report|audit)"
    r"\b[^.!?\n]{0,80}?\b(?:avec|with)\s+)$"
)

_WITH_HINT = re.compile(r"(?i:\b(?:avec|with)\s+)$")

# The one by whom something was done ("billet ouvert par", "formation offerte par", "opened by").
_AGENT_BEFORE = re.compile(
    r"(?i:\b(?!(?:amen|emmen|ramen|accompagn|reconduit|brought|dropped|driven|visit|appel|call|"
    r"contact|t[ée]l[ée]phon|rejoint|joint|reached|envoy|sent|referr|r[ée]f[ée]r|found|trouv|"
    r"goes|go|went|gone|pass|came|come|stop|known)\w*\s)"
    r"[^\W\d_]{2,}(?:[ée]e?s?|ie?s?|ite?s?|ue?s?|erte?s?|aite?s?|ed|en|ne|ht|ld|un|ade)"
    r"\s+(?:par|by)\s+)$"
)

_AGENT_HINT = re.compile(r"(?i:\b(?:par|by)\s+)$")

# Whoever gives a training, a session or a talk, however far its "par" comes: "Formation
# donnée au 2705 boul. Laurier, salle 3, par Mme Caron", "a workshop on orders by Dr. Kim".
_TEACHING_BY = re.compile(
    r"(?i:\b(?:formations?|sessions?|ateliers?|cours|pr[ée]sentations?|capsules?|trainings?|"
    r"workshops?|class(?:es)?|webinaires?|webinars?|d[ée]monstrations?|demos?|conf[ée]rences?|"
    r"talks?|caucus|huddles?)\b(?:[^.!?;\n]|\b(?:boul|bd|av|ave|st|ste|app|no|ch)\.){0,60}"
    r"[\s,](?:par|by)\s+)$"
)

_ROLE_ADJECTIVE = (
    r"(?:(?i:clinicienne?s?|auxiliaires?|aux\.?|praticienne?s?|sp[ée]cialis[ée]e?s?|chef|cheffe|"
    r"assistante?|adjointe?|principale?|bilingue|senior|junior|responsables?|pivots?|volante?s?)"
    r"|(?-i:[a-zà-ÿ]{3,}(?:ive|if|ique|aire|elle|ale|logie|iatrie|th[ée]rapie)s?))\b"
)

_STAFF_APPOSITION = re.compile(
    rf"(?:\b(?i:{_ROLE})\.?(?:{_SEP}+(?:(?i:{_STAFF_QUALIFIER})|{_UNIT_CODE})\b\.?){{0,4}}"
    # Where the colleague works: "L'infirmière de Wemotaci, Mme Flamand", "The nurse manager
    # on 5 West, Mr. Ashby".
    rf"(?:\s+(?i:de|du|d['’]|of|from|at|à|on)\s*(?:{_UNIT_CODE}|[A-ZÀ-Þ][\w'’-]+)){{0,2}}"
    r"\s*[,:(—–-]\s*"
    # The role and its adjectives, then the title: "l'agente administrative Mme Fontaine".
    rf"|\b(?i:{_ROLE})\.?(?:[ \t]+{_ROLE_ADJECTIVE}){{0,2}}\s+"
    r"|\b(?i:merci|thanks|thank\s+you|bravo|kudos|f[ée]licitations|shout[\s-]?outs?)"
    r"(?:\s+(?i:à|a|to))?\s*[,:(—–-]?\s*)$"
)

# Where a name opens an item of a list, not a clause ("Formateurs : X, Y et Z").
# A roster names a day or a shift before each name: "lundi : Aline, mardi Rémi", "nuit - Luz".
_SHIFT = (
    r"(?i:lun(?:di)?|mar(?:di)?|mer(?:credi)?|jeu(?:di)?|ven(?:dredi)?|sam(?:edi)?|dim(?:anche)?|"
    r"mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs|rsday)?|fri(?:day)?|sat(?:urday)?|"
    r"sun(?:day)?|jour|soir|nuit|day|evening|night|am|pm|matin|morning|weekend|fds)"
)
_STAFF_ITEM_START = re.compile(
    rf"(?:[:;,(\n/|•*—–-]|\d[.)]|\b(?i:et|and|&))[\s«\"'“]*(?:{_SHIFT}\.?[ \t]*[:=–—-]?[ \t]*)?$"
)
_ROSTER_ITEM = re.compile(rf"(?:^|[:;,\n/|•*—–-])[ \t]*\b{_SHIFT}\.?[ \t]*[:=–—-]?[ \t]*$")
_WEEKDAY = re.compile(
    r"\b(?i:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday)\b"
)


def _roster(text: str, start: int) -> bool:
    """Whether a name is an entry of a roster of days: "lundi Aline, mardi Rémi, mercredi …"."""
    return bool(_ROSTER_ITEM.search(text, max(0, start - 16), start)) and (
        len(_WEEKDAY.findall(text)) >= 2
    )


# The writer correcting themselves between a name and its apposition: "Guy Parent je veux
# dire, le commis de nuit", "Ann Lee, I mean, the night clerk"; the apposition is still the name's.
_SELF_CORRECTION = re.compile(
    r"[ \t]*,?[ \t]*(?i:je\s+veux\s+dire|je\s+voulais\s+dire|i\s+mean|i\s+meant|"
    r"ou\s+plut[ôo]t|plut[ôo]t|c['’]est-[àa]-dire|that\s+is)(?=[ \t]*[,(—–-])"
)


def _staff_after(after: str, deeds: bool = True) -> bool:
    """A role just after a name is the name's, unless it opens another name ("…, super user
    Amanda fixed"); with deeds, so is what only a colleague does ("m'a aidée")."""
    correction = _SELF_CORRECTION.match(after)
    if correction:
        after = after[correction.end() :]  # "Guy Parent je veux dire, le commis de nuit"
    found = _STAFF_AFTER.match(after) or deeds and _STAFF_DEED_AFTER.match(after)
    if not found or _NEGATION_AFTER.match(after):
        return False  # "le patient marc tremblay (pas notre super-user!)"
    if _PLURAL_ROLE_OPENS_CLAUSE.match(after):
        return False  # "c'est Roy Lise, les préposés la cherchent": the role is a new subject
    following = _NAME_NEXT.match(after, found.end())
    return not (following and _flags(_key(following.group(1))) & (_GIVEN | _SURNAME))


# What only a colleague does to the team, strong enough after a title ("Mme Gosselin nous a
# présenté le flux", "M. Riendeau a coordonné la bascule"): a patient signs, refuses, calls.
_TITLED_STAFF_DEED_AFTER = re.compile(
    # A given name in parentheses may come first: "Mme Caron (Nadia) donne la formation".
    r"^(?:\s*\([^()\n]{1,30}\))?(?:"
    r"\s+(?i:m['’]a|nous\s+a|leur\s+a|vous\s+a|t['’]a|m['’]ont|nous\s+ont|leur\s+ont)\s+"
    # What a patient shows is their own: "nous a montré sa plaie".
    r"(?i:(?:bien\s+|tout\s+)?(?:montr|expliqu|form|d[ée]pann|coach|guid|pr[ée]sent|enseign)\w*)"
    r"(?!\w)(?!\s+(?i:sa|son|ses|leurs?)\b)"
    r"|\s+(?i:a|ont)\s+(?i:coordonn[ée]|anim[ée]|pr[ée]sent[ée]|configur[ée]|programm[ée]|"
    r"donn[ée]\s+(?:la|une|les)\s+formations?|fait\s+(?:la|une)\s+(?:pr[ée]sentation|formation|d[ée]mo))"
    # The training given now or to come: "donne la formation lundi", "animera l'atelier".
    r"|\s+(?i:donne|donnent|donnera|donneront|anime|animent|animera|animeront)\s+"
    r"(?i:la|une|les|l['’]|des)\s*(?i:formations?|ateliers?|sessions?|s[ée]ances?|d[ée]mos?|"
    r"pr[ée]sentations?)"
    r"|\s+(?i:showed\s+us|taught\s+us|trained\s+us|walked\s+us|coordinated|presented|"
    r"ran\s+the\s+(?:training|session|huddle|demo)|gave\s+(?:us\s+)?(?:a|the)\s+(?:training|demo|"
    r"presentation|session)|(?:gives|will\s+give|is\s+giving|leads|will\s+lead|is\s+leading)\s+"
    r"(?:a|the)\s+(?:training|demo|presentation|session|workshop))\b"
    r")"
)

_NEGATION_AFTER = re.compile(
    r"\s*[,(—–-]?\s*(?:(?i:la|le|l['’]|the|une?|an?)\s*)?(?i:pas|not|non|no|ni|nor|never|jamais|"
    r"ancien(?:ne)?s?|retrait[ée]e?s?|retired|former|ex-?)\b"
)

# Colleagues in the plural, then an object pronoun or a negation, are the subject of a new
# clause, not the apposition of the name before: "c'est Roy Lise, les préposés la trouvent
# pas", "it shows Lee Ann, the nurses on nights can't find her". Colleagues in apposition
# close it ("Roy et Côté, les inhalos de nuit, ont") or say who they are.
_PLURAL_ROLE_OPENS_CLAUSE = _Lazy(
    rf"\s*,\s*(?i:les|the)\s+(?i:{_ROLE})(?<=[sx])"
    # Their shift or unit may follow: "les infirmières de nuit", "the nurses on 4B".
    r"(?:[ \t]+(?i:de|du|d['’]|of|on|at)[ \t]*(?:(?i:la|the)[ \t]+|(?i:l['’]))?[\w-]+)?[ \t]+"
    r"(?i:la|le|les|l['’]|lui|leur|me|m['’]|nous|vous|ne|n['’]|y|en|can['’]?t|cannot|"
    r"couldn['’]t|could\s+not|didn['’]t|did\s+not|don['’]t|do\s+not|won['’]t|never)(?![\w-])"
)

_NAME_NEXT = re.compile(r"[ \t]+([A-ZÀ-ÖØ-Þ][^\W\d_]+(?:-[^\W\d_]+)?)")

# A department, then who speaks for it in parentheses: "Pharmacie (Luc Caron) a confirmé",
# "Biomed (Ann Roy) says". What a patient does in parentheses after a lab is no speech.
_DEPARTMENT_OPEN_BEFORE = _Lazy(
    rf"\b(?i:{_DEPARTMENT_NOTE}|{_DEPARTMENT_LAST})[ \t]*\([ \t]*$"
)
_SPOKE_FOR_AFTER = _Lazy(
    r"[^()\n]{0,30}\)[ \t]*,?[ \t]*(?i:confirm\w*|said|says|told\s+(?:me|us)|agrees?|agreed|"
    r"repl(?:ied|ies)|answered|is\s+aware|will|is\s+looking|looked|checked|a\s+confirm[ée]|"
    r"confirme|a\s+dit|dit|nous\s+dit|m['’]a\s+dit|a\s+r[ée]pondu|r[ée]pond|va|est\s+au\s+courant|"
    # The department told through who speaks for it: "Pharmacie (Ann Roy) avisée".
    r"avis[ée]e?s?|inform[ée]e?s?|notified|informed|aware|contact[ée]e?s?|au\s+courant|"
    r"a\s+v[ée]rifi[ée]|v[ée]rifie|regarde|a\s+[ée]t[ée]\s+avis[ée]e?|rappelle|a\s+rappel[ée]|"
    # What the department does through them to the unit's equipment: "IT (X) installed".
    r"installed|fixed|replaced|repaired|configured|set\s+up|reset|updated|swapped|"
    r"a\s+install[ée]|a\s+r[ée]gl[ée]|a\s+corrig[ée]|a\s+remplac[ée]|a\s+r[ée]par[ée]|"
    r"a\s+configur[ée]|a\s+mis\s+[àa]\s+jour|a\s+r[ée]initialis[ée]|installe|r[ée]pare)\b"
)

# A team, or an office that serves no patient, then a name alone in parentheses: a member of
# it, whatever follows ("Demandé à l'équipe Bedside (Marc Vachon) d'enlever la DDN", "the Rover
# team (Ann Lee)", "TI (Luc Caron)"). A lab or a clinic has patients in parentheses too, so
# those need the name to speak for it (above).
_TEAM_OPEN_BEFORE = _Lazy(
    # The team's name is capitalised or a complement ("l'équipe Bedside", "l'équipe de
    # pilotage"), no verb ("l'équipe a rappelé (Julie Roy)" called someone back). A care team
    # sees patients: "l'équipe de soins palliatifs (Jean Roy)" may be for him.
    r"(?:\b(?i:[ée]quipe|team)(?:[ \t]+(?!(?i:soins|care|palliati\w*|consult\w*)\b)"
    r"(?:(?i:de|du|des)[ \t]+[\w'’-]+|(?i:d['’])[\w'’-]+|(?-i:[A-Z][\w'’-]*))){0,2}"
    r"|\b(?i:informatique|informatics|help\s*desk|service\s*desk|pilotage|pilotes|"
    r"(?-i:IT|TI|DSN|DSI)))[ \t]*\([ \t]*$"
)
_ASIDE_OF_NAMES_CLOSES = _Lazy(rf"(?![^()\n]*\d){_PENDING}[^()\n]{{0,40}}\)")

# A department or a role told, then who was told: "Infection control notified, Ann Roy",
# "Gestionnaire avisée : Lise Caron". A family told is no department.
_DEPARTMENT_TOLD_BEFORE = _Lazy(
    # The department may be qualified: "Sécurité transfusionnelle avisée, X".
    rf"\b(?i:{_DEPARTMENT_NOTE}|{_DEPARTMENT_LAST}|{_ROLE})(?:[ \t]+[\w'’-]+){{0,2}}?"
    r"[ \t]+(?i:notified|informed|aware|"
    r"contacted|called|paged|made\s+aware|looped\s+in|avis[ée]e?s?|inform[ée]e?s?|"
    r"contact[ée]e?s?|appel[ée]e?s?|jointe?s?|rejointe?s?|au\s+courant)[ \t]*[,:(—–-][ \t]*$"
)

# One singled out among colleagues: "the trainers were great, especially Ann Roy", "les
# super-utilisateurs nous ont aidés, surtout Marc Caron". A patient's noun between them (not
# the adjective "patient with us") makes the one singled out a patient.
_AMONG_STAFF_BEFORE = _Lazy(
    rf"\b(?:(?i:{_ROLE})(?<=[sx])|(?i:[ée]quipes?|teams?|staff|personnel|crew|coll[èe]gues|"
    r"colleagues|co-?workers))\b"
    r"(?:(?!\b(?i:patients?|patientes?|pts?|ptes?|r[ée]sidents?|r[ée]sidentes?|usag[èe]rs?|"
    r"usag[èe]res?|clients?|clientes?|familles?|families|relatives)\b(?!\s+(?i:with|avec)\b))"
    r"[^.!?\n]){0,100}?"
    r"[\s,;:(—–-](?i:especially|particularly|surtout|notamment|particuli[èe]rement|"
    r"en\s+particulier|in\s+particular|sp[ée]cialement|specially|mainly|principalement|"
    r"entre\s+autres)[\s,:]+$"
)

# A colleague helped, then the patient the help was for: "aidé Marc Roy, pte Caron ch. 3".
# The patient named by their noun or title is another person than the one helped.
_HELPED_BEFORE = _Lazy(
    r"\b(?i:aid[ée]e?s?|helped|d[ée]pann[ée]e?s?|assisted|coach[ée]e?s?|guid[ée]e?s?)[ \t]+$"
)
_OTHER_PATIENT_AFTER = _Lazy(
    # Where the colleague was helped may come first: "Helped X on 3 North, pt Y".
    r"(?:[ \t]+(?i:on|at|in|au|aux|à|a|sur|de|du|from)[ \t]+[^,;:\n]{1,24})?"
    r"[ \t]*[,;:—–-][ \t]*(?:(?i:pour|for|avec|with|re|concernant|about)[ \t]+)?"
    r"(?:(?i:le|la|the|a|un|une|son|sa|his|her|their|leur)[ \t]+)?"
    r"(?:(?i:pts?|ptes?|patiente?s?|usag[èe]re?s?|r[ée]sidente?s?|clients?|clientes?)\.?"
    # The patient's name may already be a placeholder: "pte [PATIENT]".
    r"|(?:M|Mme|Mr|Mrs|Ms|Mlle)\.?)[ \t]+(?:[A-ZÀ-Þ]|\[PATIENT\])"
)

# A colleague helped with the unit's software: "aidé X à retrouver sa liste de travail", "helped
# X find the orders in Hyperspace". A patient is helped with their own things ("à retrouver
# ses lunettes", "to find her room") and with the patient portal, never with a worklist.
_HELPED_AT_WORK_AFTER = _Lazy(
    r"(?![^.!?;\n]{0,80}\b(?i:mychart|portail|portal|mon\s+dossier|carnet\s+sant[ée]))"
    r"[ \t]+(?:(?i:à|a|to)[ \t]+)?(?:(?i:se|s['’]|m['’]|me)[ \t]*)?[^\W\d_]{3,}"
    r"[^.!?;,\n]{0,50}?"
    # Notes are the unit's unless someone's own ("ses notes" may be read by a patient).
    r"\b(?i:listes?\s+de\s+travail|work\s*lists?|(?<!ses\s)(?<!his\s)(?<!her\s)notes?|"
    r"orders|order\s+sets?|"
    r"(?:[ée]crans?|screens?)(?!\s+(?i:de\s+)?t[ée]l[ée])|onglets?|tabs?|FADM|e?MAR|flowsheets?|in-?basket|bo[îi]te\s+de\s+"
    r"r[ée]ception|raccourcis?|shortcuts?|smart\s*phrases?|gabarits?|templates?|"
    r"mots?\s+de\s+passe|passwords?|(?-i:Hyperspace|Haiku|Rover|Canto|Epic|Cerner))\b"
)


# What a colleague wrote for the others: "la procédure de Lise Roy", "the checklist by Ann
# Lee", "le guide rapide Epic de Marc Roy" (an adjective or a product's name between). Only
# with the name after those: "la procédure d'admission de X" is the patient's.
_DOCUMENT_OF = _Lazy(
    r"\b(?i:proc[ée]dures?|protocoles?|guides?|aide-m[ée]moires?|gabarits?|templates?|"
    r"chiffriers?|spreadsheets?|checklists?|m[ée]mos?|memos?|notes?\s+de\s+service|sops?|"
    r"tip\s+sheets?|cheat\s+sheets?|algorithmes?|tutori(?:el|al)s?|"
    r"(?:fichiers?|files?)\s+excel|excel\s+(?:files?|sheets?))"
    r"(?:[ \t]+(?!(?i:de|d['’]|du|des|of|for|pour|sur|on|the|la|le|les)\b)[\w’-]{2,20}){0,2}"
    r"[ \t]+(?:de|d['’]|by|from|par)[ \t]*$"
)


# A request for what the sentence before says the staff lack: "les préposés ont pas d'accès au
# DSN. X a fait la demande 3 fois", "Nights can't print labels. X put in a request". A patient's
# noun or a title between the lack and the name makes the request a patient's.
_REQUEST_AFTER = _Lazy(
    r"[ \t]+(?i:a\s+(?:fait|fait\s+et\s+refait|envoy[ée]|plac[ée]|soumis|relanc[ée])\s+"
    r"(?:la|une|sa|les|des|ses)\s+demandes?|a\s+demand[ée]\s+(?:l['’]\s*acc[èe]s|les\s+acc[èe]s)|"
    r"(?:put|sent|filed|submitted)\s+in\s+(?:a|the)\s+request|"
    r"(?:put|sent|filed|submitted)\s+(?:a|the)\s+request|requested\s+(?:it|access|that))\b"
    # Whose request it is, anywhere in the clause: "la demande de transfert de sa mère".
    r"(?![^.!?;\n]{0,60}\b(?i:sa|son|ses|his|her|their|leurs?)\b)"
)
_STAFF_LACK_BEFORE = _Lazy(
    rf"\b(?i:(?:les|nos|the|our)\s+(?:{_ROLE})|staff|personnel|[ée]quipe|team)(?<=[sxfel])"
    r"[^.!?\n]{0,60}\b(?i:acc[èe]s|access|droits|permissions?|rights|can['’]?t|cannot|"
    r"peuvent\s+pas|pouvons\s+pas|ne\s+peuvent)\b"
    r"(?:(?!\b(?i:patiente?s?|pts?|ptes?|usag[èe]re?s?|r[ée]sidente?s?|clients?|clientes?|"
    r"M|Mme|Mr|Mrs|Ms)\b)[^\n]){0,120}$"
)


# One set apart from the patient in parentheses is a colleague of the same name: "Mr Lee (the
# patient, not Ann)", "M. Roy (pas notre Lise)": "our" one works with the writer.
_SET_APART_BEFORE = _Lazy(
    r"\([ \t]*(?:(?:(?i:the|le|la|l['’]|notre|our)[ \t]*)?(?i:patiente?|pte?|usag[èe]re?|"
    r"r[ée]sidente?|client|cliente)[ \t]*,?[ \t]*(?:(?i:et|and)[ \t]+)?(?i:pas|not|non)"
    r"(?:[ \t]+(?i:notre|our))?"
    r"|(?i:pas|not|non|et\s+non|and\s+not)[ \t]+(?i:notre|our))[ \t]+$"
)
_SET_APART_HINT = re.compile(r"\b(?i:pas|not|non|notre|our)[ \t]+$")

# The last words that each of those contexts ends on: cheap to find, so that the longer
# patterns are only read where they may match.
_TOLD_HINT = re.compile(
    r"(?i:ed|[ée]|[ée]e|[ée]s|[ée]es|int|ints|inte|intes|courant|aware|in)[ \t]*[,:(—–-][ \t]*$"
)
_AMONG_HINT = re.compile(
    r"(?i:especially|particularly|surtout|notamment|ment|particulier|particular|"
    r"autres)[\s,:]+$"
)
_CLAUSE_CLOSES = re.compile(r"[ \t]*(?:[.,;:!?)\n—–]|-[ \t]|$)")
_OPEN_HINT = re.compile(r"\([ \t]*$")
_DOCUMENT_HINT = re.compile(r"\b(?i:de|d['’]|by|from|par)[ \t]*$")


def _named_in_staff_role(text: str, start: int, end: int, patient_after: bool) -> bool:
    """Whether the words around a name with no title give it a colleague's role: who speaks for
    a department, who was told on its behalf, one singled out among colleagues, the colleague
    helped about another patient, the author of a procedure, one set apart from the patient in
    parentheses. A patient's cue after the name
    (patient_after) still wins, except where it names the other person, the patient helped."""
    if _HELPED_BEFORE.search(text, max(0, start - 16), start):
        return bool(_OTHER_PATIENT_AFTER.match(text, end) or _HELPED_AT_WORK_AFTER.match(text, end))
    if _SET_APART_HINT.search(text, max(0, start - 7), start) and _SET_APART_BEFORE.search(
        text, max(0, start - 40), start
    ):
        return True
    if patient_after:
        return False
    near = max(0, start - 24)
    return bool(
        _OPEN_HINT.search(text, max(0, start - 3), start)
        and (
            _DEPARTMENT_OPEN_BEFORE.search(text, max(0, start - 50), start)
            and _SPOKE_FOR_AFTER.match(text, end)
            or _TEAM_OPEN_BEFORE.search(text, max(0, start - 50), start)
            and _ASIDE_OF_NAMES_CLOSES.match(text, end)
        )
        or _TOLD_HINT.search(text, near, start)
        and _DEPARTMENT_TOLD_BEFORE.search(text, max(0, start - 70), start)
        # The name alone in its clause: "Médecin avisé, Jean Roy a refusé" opens a new one.
        and _CLAUSE_CLOSES.match(text, end)
        or _AMONG_HINT.search(text, near, start)
        and _AMONG_STAFF_BEFORE.search(text, max(0, start - 120), start)
        or _DOCUMENT_HINT.search(text, max(0, start - 6), start)
        and _DOCUMENT_OF.search(text, max(0, start - 70), start)
        or _REQUEST_AFTER.match(text, end)
        and _STAFF_LACK_BEFORE.search(text, max(0, start - 200), start)
    )
