"""The geometry of the server-drawn SVG charts."""

import pytest

from feedback.insights import charts


@pytest.mark.parametrize(("value", "ceiling"), [(0, 1), (0.3, 1), (7, 10), (12, 20), (180, 200),
                                                (230, 250), (420, 500), (1_000, 1_000)])
def test_axes_end_on_round_numbers(value, ceiling):
    assert charts.nice_ceiling(value) == ceiling


def test_stacked_columns_add_up_and_mark_hidden_values():
    chart = charts.column_chart(["a", "b"], [
        charts.Series("Sondage", "kind-survey", [30, None]),
        charts.Series("Observations", "kind-observation", [10, 20]),
    ], height=240)
    plot = 240 - 16 - 40  # top and bottom margins
    survey, observed_a, hidden, observed_b = chart.rects
    assert survey.height == pytest.approx(plot * 30 / 50)  # axis up to 50
    assert observed_a.y + observed_a.height == pytest.approx(survey.y)  # stacked on top
    assert hidden.css == "hidden" and "b" in hidden.title
    assert observed_b.height == pytest.approx(plot * 20 / 50)
    assert [t.text for t in chart.texts if t.css == "label"] == ["a", "b"]


def test_bars_share_one_scale():
    chart = charts.bar_chart([
        charts.BarRow("Accès", [charts.Segment(0.2, "sentiment-negative"),
                                charts.Segment(0.1, "sentiment-positive")], "30 %"),
        charts.BarRow("Soutien", [charts.Segment(0.15, "sentiment-positive")], "15 %"),
    ], width=720, label_width=220, maximum=0.5)
    negative, positive, support = chart.rects
    assert negative.width == pytest.approx(2 * positive.width)
    assert negative.width + positive.width == pytest.approx(2 * support.width)
    assert positive.x == pytest.approx(negative.x + negative.width)


def test_a_sparkline_breaks_where_weeks_are_hidden():
    chart = charts.sparkline([0.1, 0.2, None, 0.3, 0.4])
    assert len(chart.polylines) == 2
    assert len(charts.sparkline([None, 0.5, None]).rects) == 1  # a lone point: a dot
