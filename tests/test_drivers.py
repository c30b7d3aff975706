"""The drivers of the recommend score: Johnson's relative weights recover a driver built into
generated responses, share the credit between correlated questions, sum to the regression's R²,
come with an interval, and are hidden under the anonymity threshold like every other figure."""

from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest

from feedback import insights
from feedback.clock import utcnow
from feedback.extensions import db
from feedback.insights import drivers
from feedback.models import Establishment, SurveyAnswer, SurveyResponse, WriterRole

ITEMS = ("access", "training", "workflow", "support", "safety")
WEEKS = [date(2026, 9, 7) + timedelta(weeks=n) for n in range(6)]


def generate(app, campaign, *, per_week: int, seed: int, driver: str = "workflow",
             correlated: str | None = None, weeks=WEEKS) -> np.ndarray:
    """Responses whose recommend score depends on `driver` alone (plus noise); `correlated`, if
    given, follows the driver closely without moving the score itself. Returns the rows
    (recommend, items…) as stored."""
    rng = np.random.default_rng(seed)
    rows = []
    with app.app_context():
        for week in weeks:
            for n in range(per_week):
                items = {code: int(rng.integers(1, 6)) for code in ITEMS}
                if correlated:
                    items[correlated] = int(np.clip(items[driver] + rng.integers(-1, 2), 1, 5))
                recommend = int(np.clip(round(2.2 * items[driver] - 1 + rng.normal(0, 1.2)),
                                        0, 10))
                role = (WriterRole.NURSE, WriterRole.CLERK)[n % 2]
                db.session.add(SurveyResponse(
                    campaign_id=campaign.id, establishment_id=campaign.establishment_id,
                    role=role, phase=2, submitted_on=week + timedelta(days=n % 7),
                    recommend=recommend, submission_token=f"drv-{seed}-{week}-{n}",
                    answers=[SurveyAnswer(item=code, theme_code=code, value=value)
                             for code, value in items.items()]))
                rows.append([recommend, *(items[code] for code in ITEMS)])
        db.session.commit()
    return np.array(rows, dtype=float)


def selection(app, establishment, threshold: int = 5) -> insights.SummaryFilter:
    with app.app_context():
        e = db.session.get(Establishment, establishment.id)
        return insights.summary_filter(e, WEEKS[0], WEEKS[-1] + timedelta(days=6),
                                       threshold=threshold, now=utcnow())


def analyse(app, f, key=None) -> drivers.DriverAnalysis:
    with app.app_context():
        return drivers.driver_analysis(f, key)


def test_relative_weights_add_up_to_the_regressions_r_squared():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(500, 4))
    x[:, 1] += 0.8 * x[:, 0]  # correlated predictors
    y = x @ np.array([1.0, 0.5, 0.0, 0.2]) + rng.normal(size=500)
    weights = drivers.relative_weights(np.corrcoef(np.column_stack([y, x]), rowvar=False))
    design = np.column_stack([np.ones(500), x])
    fitted = design @ np.linalg.lstsq(design, y, rcond=None)[0]
    r_squared = 1 - ((y - fitted) ** 2).sum() / ((y - y.mean()) ** 2).sum()
    assert weights.sum() == pytest.approx(r_squared, rel=1e-9)
    assert weights.argmax() == 0 and weights[2] < 0.01


def test_the_built_in_driver_is_recovered_as_a_priority(app, make_establishment, make_campaign,
                                                        cut):
    e = make_establishment()
    rows = generate(app, make_campaign(e), per_week=40, seed=1)
    cut(5)
    analysis = analyse(app, selection(app, e))
    assert not analysis.suppressed and analysis.responses == len(rows)
    top = analysis.drivers[0]
    assert top.item == "workflow" and top.share > 0.8
    assert top.low is not None and top.low > 0.6 and top.high <= 1.0
    # The analysis reads the same correlations as a regression on the rows themselves.
    design = np.column_stack([np.ones(len(rows)), rows[:, 1:]])
    fitted = design @ np.linalg.lstsq(design, rows[:, 0], rcond=None)[0]
    y = rows[:, 0]
    r_squared = 1 - ((y - fitted) ** 2).sum() / ((y - y.mean()) ** 2).sum()
    assert analysis.r_squared == pytest.approx(r_squared, rel=1e-6)
    # Items drawn at random average 3; the driver is no higher: at least an equal share of the
    # weight, scored at or below the average of the questions, or above it: classed either way.
    assert top.kind in (drivers.STRENGTH, drivers.PRIORITY)
    assert all(d.kind is None for d in analysis.drivers[1:])


def test_a_question_that_only_follows_the_driver_gets_less_weight(app, make_establishment,
                                                                  make_campaign, cut):
    e = make_establishment()
    generate(app, make_campaign(e), per_week=40, seed=2, driver="access",
             correlated="training")
    cut(5)
    analysis = analyse(app, selection(app, e))
    shares = {d.item: d.share for d in analysis.drivers}
    # Correlated with the driver, "training" takes some credit, but clearly less than "access"
    # (a plain regression could split it either way); the three others almost none.
    assert shares["access"] > shares["training"] > 0.1
    assert max(shares[c] for c in ("workflow", "support", "safety")) < 0.05
    assert analysis.drivers[0].item == "access"


def test_the_strength_and_the_priority(app, make_establishment, make_campaign, cut):
    """Two drivers: the one scored high is a strength, the one scored low a priority."""
    e = make_establishment()
    campaign = make_campaign(e)
    rng = np.random.default_rng(9)
    with app.app_context():
        for week in WEEKS:
            for n in range(30):
                items = {code: int(rng.integers(1, 6)) for code in ITEMS}
                items["support"] = int(rng.integers(3, 6))  # scored high
                items["workflow"] = int(rng.integers(1, 4))  # scored low
                y = 1.5 * items["support"] + 1.5 * items["workflow"] - 3 + rng.normal(0, 1)
                db.session.add(SurveyResponse(
                    campaign_id=campaign.id, establishment_id=e.id, role=WriterRole.NURSE,
                    phase=1, submitted_on=week, recommend=int(np.clip(round(y), 0, 10)),
                    submission_token=f"sp-{week}-{n}",
                    answers=[SurveyAnswer(item=c, theme_code=c, value=v)
                             for c, v in items.items()]))
        db.session.commit()
    cut(5)
    analysis = analyse(app, selection(app, e))
    kinds = {d.item: d.kind for d in analysis.drivers}
    assert kinds["support"] == drivers.STRENGTH
    assert kinds["workflow"] == drivers.PRIORITY
    assert [d.item for d in analysis.of_kind(drivers.PRIORITY)] == ["workflow"]


def test_hidden_under_the_threshold_and_too_few_to_weigh(app, make_establishment,
                                                         make_campaign, cut):
    e = make_establishment()
    campaign = make_campaign(e)
    generate(app, campaign, per_week=3, seed=4, weeks=WEEKS[:1])  # 3 responses: under k = 5
    cut(5)
    f = selection(app, e)
    hidden = analyse(app, f)
    assert hidden.suppressed and hidden.drivers is None and hidden.responses is None
    generate(app, campaign, per_week=6, seed=5, weeks=WEEKS[2:3])  # one cohort of 6
    cut(5)
    few = analyse(app, f)
    assert not few.suppressed and few.too_few and few.drivers is None
    assert few.responses == 6


def test_cohorts_without_complete_responses_leave_nothing_to_weigh(app, make_establishment,
                                                                   make_campaign, cut):
    """Cohorts whose responses carry items but no recommend score: nothing to analyse."""
    e = make_establishment()
    campaign = make_campaign(e)
    with app.app_context():
        for n in range(8):
            db.session.add(SurveyResponse(
                campaign_id=campaign.id, establishment_id=e.id, role=WriterRole.NURSE,
                phase=1, submitted_on=WEEKS[0], recommend=None, submission_token=f"none-{n}",
                answers=[SurveyAnswer(item=c, theme_code=c, value=3) for c in ITEMS]))
        db.session.commit()
    cut(5)
    analysis = analyse(app, selection(app, e))
    assert analysis.too_few and analysis.responses == 0


def test_incomplete_responses_and_small_cohorts_do_not_count(app, make_establishment,
                                                             make_campaign, cut):
    """A cohort where fewer than k responses carry a recommend score adds nothing."""
    e = make_establishment()
    campaign = make_campaign(e)
    generate(app, campaign, per_week=20, seed=6, weeks=WEEKS[:3])
    with app.app_context():
        for n in range(8):  # a cohort of its own (physicians), only 2 with a recommend score
            db.session.add(SurveyResponse(
                campaign_id=campaign.id, establishment_id=e.id, role=WriterRole.PHYSICIAN,
                phase=2, submitted_on=WEEKS[4], recommend=9 if n < 2 else None,
                submission_token=f"inc-{n}",
                answers=[SurveyAnswer(item=c, theme_code=c, value=3) for c in ITEMS]))
        db.session.commit()
    cut(5)
    analysis = analyse(app, selection(app, e))
    assert analysis.responses == 60


def test_by_phase_follows_the_cohorts(app, make_establishment, make_campaign, cut):
    e = make_establishment()
    generate(app, make_campaign(e), per_week=40, seed=7)
    cut(5)
    f = selection(app, e)
    with app.app_context():
        phases = drivers.drivers_by_phase(f)
    assert [p.key for p in phases] == [1, 2, 3]
    assert phases[1].drivers[0].item == "workflow"
    assert phases[0].drivers is None and phases[2].drivers is None
    assert analyse(app, replace(f, phase=2)).responses == 240


def test_the_drivers_page(app, client, auth, make_establishment, make_user, make_campaign, cut):
    e = make_establishment()
    other = make_establishment()
    generate(app, make_campaign(e), per_week=40, seed=8)
    cut(5)
    manager = make_user(establishment=e)
    auth.login(manager.email)
    args = {"start": WEEKS[0].isoformat(), "end": (WEEKS[-1] + timedelta(days=6)).isoformat()}
    page = client.get("/dashboard/drivers", query_string=args)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Le DSN soutient ma façon de travailler." in text or "workflow" in text
    assert "<svg" in text and "Priorit" in text or "Force" in text
    summary = client.get("/dashboard/summary", query_string=args).get_data(as_text=True)
    assert "/dashboard/drivers" in summary
    assert client.get("/dashboard/drivers", query_string={
        "establishment": other.id}).status_code == 404
