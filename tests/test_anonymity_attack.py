"""An attacker with a manager's account compares every pair of selections Écho lets them ask for.

The world: one establishment, five weeks of survey responses (recommend score optional) and
anonymous comments (survey and imported) spread at random over roles, sectors and phases, with
signed observations among them. Its threshold is 5. The attacker asks the API (summary, feedback
list) and the summary export for every filter value of every dimension (and none, and pairs of
them), over every period of whole weeks, then compares each answer with every other:

- two selections of which one contains the other (a shorter period, a narrower filter): the
  difference of their counts of responses, comments, recommend answers and answers to each item
  never lands in 1..4 (k − 1);
- any two comment listings: the anonymous comments one shows and the other does not are never
  1 to 4.

The guarantee under test does not depend on this world: any two selections count whole cohorts
of at least k answers (see feedback/insights/anonymity.py).
"""

import csv
import html
import io
import itertools
import random
import re
from datetime import date, timedelta

import pytest

from feedback.accounts import tokens
from feedback.clock import utcnow
from feedback.extensions import db
from feedback.models import Role, Sector, Site, User

K = 5
WEEKS = [date(2026, 5, 4) + timedelta(weeks=n) for n in range(5)]
ROLES = ("physician", "nurse", "professional", "clerk", "manager", "other")
SECTORS = ("urgence", "oncologie", None)
ITEMS = ("access", "training", "workflow")


@pytest.fixture
def uncut_world(app, make_establishment, make_campaign, add_feedback, add_response, make_user):
    """The attacked establishment, its weeks not yet cut into cohorts."""
    rng = random.Random(14)
    e = make_establishment("ATK", go_live=WEEKS[0])
    campaigns = [make_campaign(e), make_campaign(e)]
    for week in WEEKS:
        for _ in range(rng.randint(10, 34)):
            add_response(rng.choice(campaigns), role=rng.choices(ROLES, [2, 6, 2, 2, 1, 1])[0],
                         sector=rng.choice(SECTORS), phase=rng.choice((1, 2, 3)),
                         day=week + timedelta(days=rng.randrange(7)),
                         recommend=rng.choice((None, None, *range(11))),
                         answers={item: rng.randint(1, 5) for item in ITEMS})
        for n in range(rng.randint(8, 30)):
            add_feedback(e, kind=rng.choices(("survey", "import"), [4, 1])[0],
                         role=rng.choices(ROLES, [2, 6, 2, 2, 1, 1])[0],
                         sector=rng.choice(SECTORS), phase=rng.choice((1, 2, 3)),
                         day=week + timedelta(days=rng.randrange(7)),
                         sentiment=rng.choice(("negative", "neutral", "positive")),
                         themes=tuple(rng.sample(("access", "training", "safety"), 1)),
                         text=f"ANON-{week.isoformat()}-{n}")
        for n in range(rng.randint(0, 3)):
            add_feedback(e, kind="observation", role="super_user", sector=rng.choice(SECTORS),
                         phase=rng.choice((1, 2, 3)), day=week + timedelta(days=2),
                         text=f"OBS-{week.isoformat()}-{n}")
    manager = make_user(Role.MANAGER, e)
    with app.app_context():
        _token, secret = tokens.issue_token(db.session.get(User, manager.id), "attack",
                                                now=utcnow())
        db.session.commit()
        sectors = {code: ident for code, ident in db.session.execute(
            db.select(Sector.code, Sector.id).join(Site).where(Site.establishment_id == e.id))}
    app.config["API_RATE_LIMIT"] = "100000 per minute"  # the attacker is patient
    return e, manager, secret, sectors


@pytest.fixture
def world(uncut_world, cut):
    cut()  # the queue's task cuts the finished weeks; pages never do
    return uncut_world


def selections(sectors):
    """Every filter value of each dimension (and none), and every role × sector pair."""
    one = [{}]
    one += [{"role": role} for role in ROLES]
    one += [{"sector": ident} for ident in sectors.values()]
    one += [{"phase": phase} for phase in (1, 2, 3)]
    one += [{"kind": kind} for kind in ("survey", "import", "observation")]
    pairs = [{"role": role, "sector": ident} for role in ("nurse", "physician", "clerk")
             for ident in sectors.values()]
    return one + pairs


def periods():
    return [(first, last) for first, last in itertools.combinations_with_replacement(WEEKS, 2)]


def contains(wide, narrow) -> bool:
    """Whether selection `wide` holds everything selection `narrow` holds."""
    (wide_filter, (w_first, w_last)), (narrow_filter, (n_first, n_last)) = wide, narrow
    return (w_first <= n_first and n_last <= w_last
            and all(wide_filter.get(name) in (None, value)
                    for name, value in narrow_filter.items())
            and set(wide_filter) <= set(narrow_filter))


def summary_counts(body: dict) -> dict:
    """What a summary gives away about anonymous answers: every count it rests on."""
    (overall,) = body["themes"]["groups"]
    (survey,) = body["survey"]
    counts = {"comments": overall["responses"] or 0, "responses": survey["responses"] or 0,
              "recommend": (survey["recommend"] or {}).get("answers") or 0}
    for item in survey["items"] or []:
        counts[f"item:{item['item']}"] = item["answers"] or 0
    return counts


def api_query(filters: dict, first: date, last: date) -> dict:
    return {**filters, "since": first.isoformat(), "until": (last + timedelta(days=6)).isoformat()}


def test_no_pair_of_api_summaries_differs_by_fewer_than_k(app, client, world):
    e, _manager, secret, sectors = world
    headers = {"Authorization": f"Bearer {secret}"}
    results = {}
    for filters in selections(sectors):
        for period in periods():
            response = client.get(f"/api/v1/establishments/{e.code}/summary",
                                  query_string=api_query(filters, *period), headers=headers)
            assert response.status_code == 200, response.text
            results[(tuple(sorted(filters.items())), period)] = summary_counts(
                response.get_json())
    assert _compare(results) > 10_000  # the attack really compared something
    # And the figures are useful: the whole period counts most of what was said.
    everything = results[((), (WEEKS[0], WEEKS[-1]))]
    assert everything["responses"] > 60 and everything["comments"] > 40


def _compare(results: dict) -> int:
    """Nested pairs of (filters, period) keyed results, as assert_no_small_difference does."""
    compared = 0
    for (wide_f, wide_p), (narrow_f, narrow_p) in itertools.permutations(results, 2):
        if not contains((dict(wide_f), wide_p), (dict(narrow_f), narrow_p)):
            continue
        for name, value in results[(narrow_f, narrow_p)].items():
            difference = results[(wide_f, wide_p)].get(name, 0) - value
            compared += 1
            assert not 0 < difference < K, (
                f"{name} differs by {difference} between {dict(wide_f)} {wide_p} and "
                f"{dict(narrow_f)} {narrow_p}")
    return compared


def test_no_two_api_listings_differ_by_fewer_than_k_comments(app, client, world):
    e, _manager, secret, sectors = world
    headers = {"Authorization": f"Bearer {secret}"}
    listings = {}
    for filters in selections(sectors):
        for period in periods():
            query = {**api_query(filters, *period), "limit": 100}
            refs: set[str] = set()
            url = "/api/v1/feedback"
            while url:
                response = client.get(url, query_string=query, headers=headers)
                assert response.status_code == 200, response.text
                body = response.get_json()
                refs |= {item["ref"] for item in body["items"]
                         if item["kind"] != "observation"}
                url, query = (body["next"], None) if body["next"] else (None, None)
            listings[(tuple(sorted(filters.items())), period)] = frozenset(refs)
    for (a, b) in itertools.permutations(listings.values(), 2):
        assert not 0 < len(a - b) < K
    assert max(len(refs) for refs in listings.values()) > 40


def test_no_pair_of_summary_exports_differs_by_fewer_than_k(app, client, auth, world):
    """The summary export (CSV): its volume and response counts, over every period."""
    e, manager, _secret, sectors = world
    auth.login(manager.email)
    results = {}
    for filters in [{}, *({"role": role} for role in ROLES),
                    *({"sector": ident} for ident in sectors.values())]:
        for first, last in periods():
            query = {**filters, "start": first.isoformat(),
                     "end": (last + timedelta(days=6)).isoformat()}
            body = client.get("/dashboard/export/summary.csv", query_string=query)
            assert body.status_code == 200
            results[(tuple(sorted(filters.items())), (first, last))] = export_counts(
                body.get_data(as_text=True))
    assert _compare(results) > 1000


def export_counts(text: str) -> dict:
    """The anonymous counts of a summary CSV: survey and imported comments, responses."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    counts = {"survey": 0, "import": 0, "responses": 0, "recommend": 0}
    section = None
    for row in rows:
        if not row:
            section = None
            continue
        if len(row) == 1 or not any(row[1:]):
            section = row[0]
            continue
        if section in ("Volumes par semaine", "Volumes by week") and row[0][:2] == "20":
            counts["survey"] += int(row[2] or 0)
            counts["import"] += int(row[3] or 0)
        if section in ("Réponses par campagne", "Responses by campaign") and row[3].isdigit():
            counts["responses"] += int(row[3])
        if section in ("Indice de recommandation", "Recommend score") and row[1].isdigit():
            counts["recommend"] += int(row[1]) if row[0] in ("Tous", "All") else 0
    return counts


def drivers_counts(text: str) -> dict:
    """The responses each driver analysis of a page rests on (0 when it is hidden)."""
    counts = {}
    for block, body in re.findall(r'<div class="drivers-block" id="([^"]+)-block">(.*?)'
                                  r"<!-- /drivers -->", html.unescape(text), re.S):
        found = re.search(r"\(n = (\d+) réponses|pondérer les leviers \((\d+);", body)
        counts[f"drivers:{block}"] = int(next(g for g in found.groups() if g)) if found else 0
    assert counts, "no driver analysis on the page"
    return counts


def perception_counts(text: str) -> dict:
    """The survey comments each week of a perception table counts (0 when hidden)."""
    text = html.unescape(text)
    weeks = re.search(r'<table class="data compact perception-table"[^>]*>.*?<thead><tr>(.*?)'
                      r"</tr>", text, re.S).group(1)
    labels = re.findall(r'<th scope="col" class="num">([^<]+)</th>', weeks)
    row = re.search(r'<tr><th scope="row">Commentaires de sondage</th>(.*?)</tr>', text,
                    re.S).group(1)
    cells = re.findall(r'<td class="num">(.*?)</td>', row, re.S)
    assert len(cells) == len(labels)
    return {f"comments:{label}": int(cell) if cell.strip().isdigit() else 0
            for label, cell in zip(labels, cells, strict=True)}


def test_no_pair_of_driver_and_perception_pages_differs_by_fewer_than_k(app, client, auth,
                                                                        world):
    """The drivers (and their phases) and the perception view's weekly comment counts, for
    every role, sector and period: each rests on whole cohorts."""
    e, manager, _secret, sectors = world
    auth.login(manager.email)
    results, shown = {}, 0
    for filters in [{}, *({"role": role} for role in ROLES),
                    *({"sector": ident} for ident in sectors.values())]:
        for first, last in periods():
            query = {**filters, "start": first.isoformat(),
                     "end": (last + timedelta(days=6)).isoformat()}
            drivers = client.get("/dashboard/drivers", query_string=query)
            seen = client.get("/dashboard/perception", query_string=query)
            assert drivers.status_code == seen.status_code == 200
            counts = {**drivers_counts(drivers.get_data(as_text=True)),
                      **perception_counts(seen.get_data(as_text=True))}
            shown += counts["drivers:drivers-all"] > 0
            results[(tuple(sorted(filters.items())), (first, last))] = counts
    assert _compare(results) > 5000
    assert shown > 10  # the analysis is not simply hidden everywhere


def test_no_pair_of_one_month_updates_differs_by_fewer_than_k(app, client, auth, world):
    """The update's drivers and perception sections, over every period of whole weeks."""
    e, manager, _secret, _sectors = world
    auth.login(manager.email)
    results = {}
    for first, last in periods():
        page = client.get("/dashboard/report", query_string={
            "start": first.isoformat(), "end": (last + timedelta(days=6)).isoformat()})
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        results[((), (first, last))] = {**drivers_counts(text), **perception_counts(text)}
    assert _compare(results) > 100


def _cells(page: str, row_label_pattern: str) -> list[str]:
    """The figures of the table rows whose header matches, as shown (tags dropped)."""
    import html as html_module
    import re

    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</th>(.*?)</tr>", page, re.S)
    return [(html_module.unescape(label).strip(),
             [html_module.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
              for cell in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)])
            for label, cells in rows if re.search(row_label_pattern, label)]


def test_participation_and_pulses_count_whole_cohorts_only(app, client, auth, uncut_world,
                                                           add_response, cut):
    """Per sector, a campaign's responses are whole cohorts: each figure is 0 or at least k, and
    the campaigns' figures add up to the summary's for that sector, so no difference between
    them rests on fewer than k. The pulse comparison's responses likewise."""
    from feedback.models import Campaign

    e, manager, secret, sectors = uncut_world
    with app.app_context():
        campaign_ids = list(db.session.scalars(
            db.select(Campaign.id).where(Campaign.establishment_id == e.id).order_by(Campaign.id)))
        for day, ident in zip((7, 30), campaign_ids, strict=True):
            db.session.get(Campaign, ident).pulse_day = day
        db.session.commit()
        first, second = (db.session.get(Campaign, ident) for ident in campaign_ids)
        db.session.expunge_all()
    # A unit that answered together: groups large enough to keep their sector once cut.
    for campaign, sector, week, n in ((first, "urgence", WEEKS[2], 6),
                                      (second, "oncologie", WEEKS[3], 7),
                                      (second, "urgence", WEEKS[1], 5)):
        for _ in range(n):
            add_response(campaign, role="nurse", sector=sector, phase=2,
                         day=week + timedelta(days=1), recommend=8,
                         answers={item: 4 for item in ITEMS})
    cut()
    headers = {"Authorization": f"Bearer {secret}"}
    auth.login(manager.email)
    shown: dict[int, int] = {}
    for ident in campaign_ids:
        page = client.get(f"/campaigns/{ident}/participation").get_data(as_text=True)
        rows = _cells(page, r"—")
        assert len(rows) == 2  # urgence, oncologie
        for label, (_staff, responses, _rate) in rows:
            sector = sectors["urgence" if label.startswith("Urgence") else "oncologie"]
            count = 0 if responses.startswith("<") else int(responses)
            assert count == 0 or count >= K, (label, responses)
            shown[sector] = shown.get(sector, 0) + count
    for sector, total in shown.items():
        body = client.get(f"/api/v1/establishments/{e.code}/summary", headers=headers,
                          query_string=api_query({"sector": sector}, WEEKS[0], WEEKS[-1]))
        assert summary_counts(body.get_json())["responses"] == total
    assert sum(shown.values()) > 0  # some sector's figure was shown at all

    pulses = client.get("/dashboard/pulses").get_data(as_text=True)
    (_, cells), = _cells(pulses, r"^Réponses$")
    counts = [int(cell) if cell.isdigit() else 0 for cell in cells]
    assert all(count == 0 or count >= K for count in counts)
    body = client.get(f"/api/v1/establishments/{e.code}/summary", headers=headers,
                      query_string=api_query({}, WEEKS[0], WEEKS[-1]))
    pooled = summary_counts(body.get_json())["responses"] - sum(counts)
    assert not 0 < pooled < K
    assert sum(counts) > 60


def test_theme_digests_quote_only_what_the_listing_may_show(app, client, auth, world):
    """A digest's comments are among those the feedback list shows for the same period (whole
    cohorts), so a digest reveals no comment a list would not."""
    import re

    e, manager, secret, _sectors = world
    headers = {"Authorization": f"Bearer {secret}"}
    listed: set[str] = set()
    query = {**api_query({}, WEEKS[0], WEEKS[-1]), "limit": 100}
    url = "/api/v1/feedback"
    while url:
        body = client.get(url, query_string=query, headers=headers).get_json()
        listed |= {item["ref"] for item in body["items"]}
        url, query = (body["next"], None) if body["next"] else (None, None)
    auth.login(manager.email)
    quoted: set[str] = set()
    for code in ("access", "training", "safety"):
        page = client.get(f"/dashboard/themes/{code}").get_data(as_text=True)
        quoted |= set(re.findall(r'<p class="meta">#([0-9a-z]{12})</p>', page))
    assert quoted and quoted <= listed
