"""Progress and status of a sub-target: the method of ``indicators.progress``, exact cases."""

from decimal import Decimal

import pytest

from indicators.models import SubTarget
from indicators.progress import Status, compute_progress, linear_trend, summarise

D = Decimal
HUNDRED = D(100)


def progress(points, *, baseline=None, target=HUNDRED, target_year=2030):
    return compute_progress(
        points=[(year, D(str(value))) for year, value in points],
        baseline=None if baseline is None else D(str(baseline)),
        target=target,
        target_year=target_year,
    )


def test_least_squares_trend_of_points_on_a_line_is_that_line():
    trend = linear_trend([(2018, D(10)), (2020, D(20)), (2022, D(30))])
    assert trend.slope == pytest.approx(5.0)
    assert trend.at(2030) == pytest.approx(70.0)


def test_least_squares_trend_of_scattered_points():
    # x̄ = 2019, ȳ = 4; Sxy = (−1)(−3) + 0 + 1·2 = 5, Sxx = 2 → slope 2.5; 2030: 4 + 11 × 2.5.
    trend = linear_trend([(2018, D(1)), (2019, D(5)), (2020, D(6))])
    assert trend.slope == pytest.approx(2.5)
    assert trend.at(2019) == pytest.approx(4.0)
    assert trend.at(2030) == pytest.approx(31.5)


def test_rising_trend_too_slow_is_off_track():
    result = progress([(2018, 10), (2020, 20)], baseline=0)  # 5 a year → 2030: 70
    assert result.projected == D("70.00")
    assert result.status == Status.OFF_TRACK  # 70 < 90 % of 100


def test_rising_trend_that_reaches_the_target_is_on_track():
    result = progress([(2018, 40), (2020, 50)], baseline=0)
    assert result.projected == D("100.00")
    assert result.status == Status.ON_TRACK
    assert result.share_of_way == D("0.500")
    assert result.share_of_way_percent == D(50)


def test_projection_within_ten_percent_of_the_target_is_at_risk():
    result = progress([(2018, 34), (2020, 44)])  # 5 a year → 2030: 94
    assert result.projected == D("94.00")
    assert result.status == Status.AT_RISK


def test_projection_exactly_ninety_percent_is_at_risk_just_below_is_off_track():
    assert progress([(2020, 40), (2030, 90)]).status == Status.AT_RISK
    assert progress([(2020, 40), (2030, D("89.99"))]).status == Status.OFF_TRACK


def test_falling_value_is_off_track():
    result = progress([(2018, 60), (2019, 55), (2020, 50)], baseline=60)
    assert result.trend.slope == pytest.approx(-5.0)
    assert result.status == Status.OFF_TRACK
    # Below the baseline the share of the way is negative, and is not hidden.
    assert result.share_of_way == D("-0.250")


def test_flat_value_below_target_is_off_track():
    assert progress([(2018, 50), (2020, 50)]).status == Status.OFF_TRACK


def test_target_already_reached_is_on_track_even_with_one_value():
    result = progress([(2021, 100)], baseline=20)
    assert result.status == Status.ON_TRACK
    assert result.target_reached
    assert result.share_of_way == D("1.000")


def test_target_reached_then_falling_back_is_judged_by_the_trend():
    result = progress([(2020, 100), (2022, 80)])
    assert not result.target_reached
    assert result.status == Status.OFF_TRACK


def test_single_value_below_target_is_not_enough_data():
    result = progress([(2020, 50)], baseline=0)
    assert result.status == Status.NOT_ENOUGH_DATA
    assert result.trend is None
    assert result.latest_value == D(50)
    assert result.share_of_way == D("0.500")


def test_no_measurement_is_not_enough_data():
    result = progress([])
    assert result.status == Status.NOT_ENOUGH_DATA
    assert result.latest_value is None


def test_no_baseline_gives_status_but_no_share_of_the_way():
    result = progress([(2018, 40), (2020, 50)])
    assert result.status == Status.ON_TRACK
    assert result.share_of_way is None
    assert result.share_of_way_percent is None


def test_unordered_points_are_sorted_by_year():
    result = progress([(2020, 50), (2018, 40)])
    assert (result.latest_year, result.latest_value) == (2020, D(50))


@pytest.mark.django_db
def test_multiple_of_baseline_targets_baseline_times_factor(sub_target, measure):
    sub_target.kind = SubTarget.Kind.MULTIPLE
    sub_target.target_value = D(2)
    sub_target.baseline_value = D(12)
    sub_target.baseline_year = 2017
    sub_target.save()
    measure(sub_target, 2018, 14)
    measure(sub_target, 2020, 16)  # 1 a year → 2030: 26 ≥ 24
    result = SubTarget.objects.get(pk=sub_target.pk).progress
    assert result.target == D(24)
    assert result.status == Status.ON_TRACK
    assert result.share_of_way == D("0.333")  # (16 − 12) / (24 − 12)


@pytest.mark.django_db
def test_multiple_of_baseline_without_baseline_is_not_enough_data(sub_target, measure):
    sub_target.kind = SubTarget.Kind.MULTIPLE
    sub_target.target_value = D(2)
    sub_target.save()
    measure(sub_target, 2018, 14)
    measure(sub_target, 2020, 16)
    result = SubTarget.objects.get(pk=sub_target.pk).progress
    assert result.target is None
    assert result.status == Status.NOT_ENOUGH_DATA


@pytest.mark.django_db
def test_only_published_measurements_count(sub_target, measure):
    measure(sub_target, 2018, 4000)
    measure(sub_target, 2020, 9000, published=False)
    result = SubTarget.objects.with_published_measurements().get(pk=sub_target.pk).progress
    assert result.status == Status.NOT_ENOUGH_DATA
    assert result.latest_value == D(4000)


def test_goal_summary_takes_the_worst_status_with_data():
    summary = summarise([Status.ON_TRACK, Status.AT_RISK, Status.NOT_ENOUGH_DATA])
    assert summary.status == Status.AT_RISK
    assert summary.total == 3
    assert summary.with_data == 2
    assert summary.counts == {
        "on_track": 1,
        "at_risk": 1,
        "off_track": 0,
        "not_enough_data": 1,
    }
    assert summarise([Status.ON_TRACK, Status.OFF_TRACK]).status == Status.OFF_TRACK
    assert summarise([Status.ON_TRACK, Status.ON_TRACK]).status == Status.ON_TRACK


def test_goal_summary_without_any_data_is_not_enough_data():
    summary = summarise([Status.NOT_ENOUGH_DATA, Status.NOT_ENOUGH_DATA])
    assert summary.status == Status.NOT_ENOUGH_DATA
    assert summary.with_data == 0
    assert summarise([]).status == Status.NOT_ENOUGH_DATA
