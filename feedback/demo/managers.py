"""The managers' side of the demo: weekly pulses and their responses, learnings, report notes."""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from feedback.clock import QUEBEC, local_day_start
from feedback.demo.command_centre import backdated_audit, establishment_without
from feedback.demo.world import DAYS
from feedback.extensions import db
from feedback.models import (
    Campaign,
    Feedback,
    FeedbackKind,
    FeedbackTheme,
    Issue,
    Learning,
    ReportNote,
    SurveyAnswer,
    SurveyResponse,
    Theme,
    issue_theme,
)
from feedback.tagging import active_themes

_ITEM_MEANS = {
    "access": (2.3, 3.3, 4.0),
    "training": (2.7, 3.2, 3.6),
    "workflow": (2.3, 2.7, 3.2),
    "support": (3.3, 3.6, 3.9),
    "safety": (2.9, 3.3, 3.6),
}


_SENTIMENT_SHIFT = {"negative": -0.5, "neutral": 0.0, "positive": 0.5}


# Physicians felt less prepared and less supported in their way of working (the DSN update
# singles out their needs); clerks got into the system sooner.
_ROLE_SHIFT = {"physician": {"training": -0.6, "workflow": -0.5, "support": -0.3},
               "clerk": {"access": 0.3}}


_EXTRA_RESPONSES = 0.5  # responses without a comment, per response with one


def create_surveys(rng: random.Random, code: str) -> None:
    """A weekly pulse from the go-live week on; every demo survey comment becomes a response.

    Each comment gets the response it came with (same day, role, sector, phase), with answers
    that follow its sentiment and themes; half as many responses again come without a comment.
    Scores improve over the phases, the way the showcase establishments' did.
    """
    from sqlalchemy.orm import selectinload

    from feedback.surveys import create_campaign, default_instrument

    found = establishment_without(code, Campaign)
    if found is None:
        return
    establishment, manager = found
    instrument = default_instrument()
    first = establishment.go_live - timedelta(days=establishment.go_live.weekday())
    campaigns: dict[date, Campaign] = {}
    for week in range((DAYS + establishment.go_live.weekday()) // 7 + 1):
        monday = first + timedelta(weeks=week)
        campaigns[monday] = create_campaign(
            establishment=establishment,
            title_fr=f"Pouls hebdomadaire DSN — semaine {week + 1}",
            title_en=f"DSN weekly pulse — week {week + 1}",
            opens_on=max(monday, establishment.go_live), closes_on=monday + timedelta(days=6),
            instrument=instrument, created_by=manager,
        )
    comments = db.session.scalars(
        select(Feedback).where(Feedback.establishment_id == establishment.id,
                               Feedback.kind == FeedbackKind.SURVEY)
        .order_by(Feedback.created_at, Feedback.id)
        .options(selectinload(Feedback.themes))
    ).all()
    themes_by_id = {theme.id: theme.code for theme in active_themes().values()}

    def respond(n: int, feedback, role, sector_id, phase, day, sentiment, codes) -> None:
        answers = []
        for item in instrument["items"]:
            mean = _ITEM_MEANS.get(item["code"], (3.0, 3.3, 3.6))[phase - 1]
            shift = _SENTIMENT_SHIFT[sentiment] * (2 if item["theme"] in codes else 1)
            shift += _ROLE_SHIFT.get(role.value, {}).get(item["code"], 0.0)
            value = min(5, max(1, round(rng.gauss(mean + shift, 0.85))))
            answers.append(SurveyAnswer(item=item["code"], theme_code=item["theme"], value=value))
        average = sum(a.value for a in answers) / len(answers)
        recommend = None if rng.random() < 0.08 else min(10, max(0, round(
            rng.gauss(2.3 * average - 0.2, 1.6))))
        db.session.add(SurveyResponse(
            campaign=campaigns[day - timedelta(days=day.weekday())],
            establishment_id=establishment.id, sector_id=sector_id, role=role, phase=phase,
            submitted_on=day, recommend=recommend, submission_token=f"demo-{code}-{n}",
            comment=feedback, answers=answers,
        ))

    n = 0
    for feedback in comments:
        day = feedback.created_at.astimezone(QUEBEC).date()
        feedback.campaign = campaigns[day - timedelta(days=day.weekday())]
        codes = {themes_by_id.get(link.theme_id) for link in feedback.themes}
        n += 1
        respond(n, feedback, feedback.role, feedback.sector_id, feedback.phase, day,
                feedback.sentiment.value, codes)
    for model in rng.sample(comments, int(len(comments) * _EXTRA_RESPONSES)):
        day = model.created_at.astimezone(QUEBEC).date()
        day = min(day + timedelta(days=rng.randrange(-2, 3)), establishment.go_live
                  + timedelta(days=DAYS - 1))
        day = max(day, establishment.go_live)
        n += 1
        respond(n, None, model.role, model.sector_id, establishment.phase_on(day), day,
                rng.choices(["negative", "neutral", "positive"], weights=[2, 5, 3])[0], set())
    db.session.flush()


@dataclass(frozen=True)
class _DemoLearning:
    title: str
    theme: str
    phase: int
    learned: str
    action: str
    owner: str
    day: int  # days after go-live the change was made (published the next day)
    published: bool = True


_LEARNINGS = {
    "MCQ": (
        _DemoLearning(
            "Se connecter la nuit sans perdre dix minutes", "access", 1,
            "Vous nous avez dit que les badges ne fonctionnaient pas sur plusieurs postes de "
            "l'urgence et des soins critiques, et qu'il fallait se reconnecter à chaque patient.",
            "Lecteurs de badge remplacés sur 42 postes; session prolongée à 4 heures sur les "
            "postes partagés des unités de soins.", "Soutien technique DSN", 5),
        _DemoLearning(
            "De l'aide aussi le soir et la fin de semaine", "support", 1,
            "L'aide des super-utilisateurs disparaissait après 19 h, au moment où les équipes "
            "de soir documentaient le plus.",
            "Super-utilisateurs présents 24 heures sur 24 pendant trois semaines de plus; numéro "
            "du centre de commandement affiché à chaque poste.", "Centre de commandement", 9),
        _DemoLearning(
            "Étiquettes du laboratoire au bon poste", "configuration", 1,
            "Les étiquettes de prélèvement sortaient sur la mauvaise imprimante, et les "
            "prélèvements attendaient.",
            "Imprimantes réassignées poste par poste avec l'équipe du laboratoire; vérification "
            "faite sur chaque quart.", "Équipe DSN – laboratoire", 12),
        _DemoLearning(
            "Moins de clics pour la note d'évolution", "workflow", 2,
            "Les infirmières passaient trop de temps à documenter : trop d'écrans pour une note "
            "d'évolution courante.",
            "Gabarit simplifié conçu avec six infirmières de médecine et de chirurgie, et "
            "capsule vidéo de cinq minutes.", "Direction des soins infirmiers", 31),
        _DemoLearning(
            "Des formations courtes, à l'heure des médecins", "training", 2,
            "Les médecins demandaient des séances courtes, par spécialité, sur leur horaire "
            "plutôt que des cours en ligne.",
            "Séances de 20 minutes en début de garde, en personne, par spécialité.",
            "Direction des services professionnels", 38),
        _DemoLearning(
            "Vérification des ordonnances en oncologie", "safety", 3,
            "Des doubles vérifications manuelles persistent en oncologie, par crainte d'erreurs "
            "de dosage.",
            "", "Pharmacie et oncologie", 70, published=False),
    ),
    "NIM": (
        _DemoLearning(
            "Le Wi-Fi tient enfin aux étages", "access", 1,
            "Les appareils mobiles perdaient le réseau dans les ascenseurs et aux étages de "
            "l'Hôpital Fleury, au milieu de l'administration des médicaments.",
            "Douze bornes Wi-Fi ajoutées et reconfigurées avec l'équipe réseau.",
            "Technologies de l'information", 6),
        _DemoLearning(
            "Un super-utilisateur par unité, à chaque quart", "support", 1,
            "Vous ne saviez pas qui appeler quand le système bloquait, surtout la nuit.",
            "Un super-utilisateur identifié par unité et par quart, avec un dossard; liste "
            "affichée au poste.", "Centre de commandement", 8),
        _DemoLearning(
            "Aide-mémoire pour l'admission à l'urgence", "training", 2,
            "À l'urgence, les étapes de l'admission changeaient d'une personne à l'autre.",
            "Aide-mémoire plastifié à chaque poste d'accueil et mini-formation de 15 minutes.",
            "Chef d'unité – urgence", 24),
        _DemoLearning(
            "Transferts entre unités sans double saisie", "workflow", 2,
            "Les transferts entre l'urgence et les unités demandaient de ressaisir les mêmes "
            "informations.",
            "Procédure de transfert revue avec les deux équipes; champ repris automatiquement.",
            "Équipe DSN – flux cliniques", 44),
        _DemoLearning(
            "Rapport de fin de quart en santé mentale", "workflow", 3,
            "Le rapport de fin de quart reste long en santé mentale.", "",
            "Santé mentale", 75, published=False),
    ),
}

_REPORT_NOTES = {
    "MCQ": (
        "Mise en service réussie dans les quatre installations. Les enjeux d'accès des premiers "
        "jours (badges, sessions) sont réglés; le flux de documentation infirmière demeure "
        "l'irritant principal.",
        "Présence des super-utilisateurs 24/7, centre de commandement joignable en tout temps, "
        "décisions prises chaque matin à partir des observations de terrain.",
        "Un mois après la mise en service, la stabilité est acquise. L'appropriation se poursuit : "
        "priorité aux gabarits de documentation et à la formation ciblée des médecins.",
    ),
    "NIM": (
        "Stabilisation rapide du réseau sans fil; l'urgence et les unités de médecine ont "
        "concentré la majorité des enjeux signalés.",
        "Un super-utilisateur identifié par unité et par quart; aide-mémoire simples aux postes "
        "d'accueil.",
        "Le premier mois confirme l'importance d'un soutien de proximité. Les transferts entre "
        "unités et la documentation sont les chantiers du deuxième mois.",
    ),
}


def create_learnings(code: str) -> None:
    """The learnings of the demo: most published, with their evidence; one draft each."""
    from feedback import learnings

    found = establishment_without(code, Learning)
    if found is None:
        return
    establishment, manager = found
    themes = {theme.code: theme for theme in db.session.scalars(select(Theme))}
    with backdated_audit() as backdate:
        for spec in _LEARNINGS.get(code, ()):
            theme = themes[spec.theme]
            changed = establishment.go_live + timedelta(days=spec.day)
            since = local_day_start(changed - timedelta(days=10))
            until = local_day_start(changed)
            evidence = db.session.scalars(
                select(Feedback).join(FeedbackTheme)
                .where(Feedback.establishment_id == establishment.id,
                       FeedbackTheme.theme_id == theme.id, Feedback.sentiment == "negative",
                       Feedback.created_at >= since, Feedback.created_at < until)
                .order_by(Feedback.created_at, Feedback.id).limit(3)
            ).all()
            issues = db.session.scalars(
                select(Issue).join(issue_theme, issue_theme.c.issue_id == Issue.id)
                .where(Issue.establishment_id == establishment.id,
                       issue_theme.c.theme_id == theme.id, Issue.created_at < until)
                .order_by(Issue.created_at.desc()).limit(2)
            ).all()
            written_at = datetime.combine(changed - timedelta(days=2), time(15, 30), tzinfo=QUEBEC)
            learning = learnings.create_learning(
                establishment, author=manager, title=spec.title, learned=spec.learned,
                action=spec.action, action_owner=spec.owner,
                action_on=changed if spec.action else None, phase=spec.phase, themes=[theme],
                feedback=list(evidence), issues=list(issues), at=written_at,
            )
            backdate(written_at)
            if spec.published:
                published = datetime.combine(changed + timedelta(days=1), time(10, 0),
                                             tzinfo=QUEBEC)
                learnings.publish_learning(learning, actor=manager, at=published)
                backdate(published)
    db.session.flush()


def create_report_notes(code: str) -> None:
    """The manager's notes of the one-month update of each showcase establishment."""
    from feedback.insights.report import first_month

    if code not in _REPORT_NOTES:
        return
    found = establishment_without(code, ReportNote)
    if found is None:
        return
    establishment, manager = found
    first, last = first_month(establishment)
    highlights, success_factors, summary = _REPORT_NOTES[code]
    db.session.add(ReportNote(
        establishment=establishment, period_start=first, period_end=last + timedelta(days=6),
        highlights=highlights, success_factors=success_factors, summary=summary,
        updated_at=datetime.combine(last + timedelta(days=7), time(9, 0), tzinfo=QUEBEC),
        updated_by_id=manager.id if manager else None,
    ))
    db.session.flush()

