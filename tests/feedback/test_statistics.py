"""Survey metrics against values computed by hand (domain rules §4.1 and §6.2).

z = 1.959964 (two-sided 95 %); z² = 3.841459.
"""

from __future__ import annotations

import pytest

from amiable.feedback.statistics import (
    ces,
    check_yes,
    csat,
    estimate,
    nps,
    response_rate,
    t_quantile_975,
    wilson,
)

# Ten NPS answers: promoters 10, 9, 9, 10, 10 (P = 5); passives 8, 7;
# detractors 6, 3, 0 (D = 3).
NPS_TEN = [10, 9, 9, 8, 7, 6, 3, 0, 10, 10]


def test_nps_worked_example_of_the_domain_rules() -> None:
    # N = 100, P = 50, passives 30, D = 20: p = 0.5, d = 0.2
    # NPS = 100 × (0.5 − 0.2) = 30
    # SE = 100 × √((0.5 + 0.2 − 0.3²) / 100) = 100 × √(0.0061) = 7.8102
    # CI = 30 ± 1.959964 × 7.8102 = 30 ± 15.3078 = [14.69, 45.31]
    result = nps([10] * 50 + [7] * 30 + [0] * 20)

    assert result.value == pytest.approx(30.0)
    assert result.low == pytest.approx(14.69, abs=0.005)
    assert result.high == pytest.approx(45.31, abs=0.005)
    assert result.answers == 100
    assert result.is_enough is True


def test_nps_on_ten_answers() -> None:
    # p = 5/10 = 0.5, d = 3/10 = 0.3 → NPS = 100 × 0.2 = 20
    # SE = 100 × √((0.5 + 0.3 − 0.2²)/10) = 100 × √0.076 = 27.5681
    # CI = 20 ± 1.959964 × 27.5681 = 20 ± 54.0325 = [−34.03, 74.03]
    result = nps(NPS_TEN)

    assert result.value == pytest.approx(20.0)
    assert result.low == pytest.approx(-34.03, abs=0.005)
    assert result.high == pytest.approx(74.03, abs=0.005)
    assert result.is_enough is False


def test_nps_interval_is_clipped_to_the_scale() -> None:
    # p = 2/3, d = 0 → NPS 66.67, SE = 100 × √((2/3 − 4/9)/3) = 27.2166,
    # upper end 66.67 + 53.34 = 120.01 → clipped at 100.
    result = nps([9, 10, 7])

    assert result.value == pytest.approx(66.667, abs=0.001)
    assert result.low == pytest.approx(13.32, abs=0.005)
    assert result.high == 100.0


def test_csat_top_two_box_with_wilson_interval_of_the_domain_rules() -> None:
    # 80 of 100 answer 4 or 5 → 80 %, Wilson [71.12 %, 86.66 %]
    result = csat([5] * 80 + [3] * 20)

    assert result.value == pytest.approx(80.0)
    assert result.low == pytest.approx(71.12, abs=0.005)
    assert result.high == pytest.approx(86.66, abs=0.005)


def test_csat_on_eight_answers() -> None:
    # [5, 4, 4, 3, 2, 5, 1, 4]: 4–5 = five answers → p̂ = 5/8 = 0.625
    # denominator = 1 + 3.841459/8 = 1.480182
    # centre = (0.625 + 3.841459/16) / 1.480182 = 0.865091 / 1.480182 = 0.584449
    # half = 1.959964 × √(0.625 × 0.375/8 + 3.841459/256) / 1.480182
    #      = 1.959964 × √(0.029297 + 0.015006) / 1.480182 = 0.278706
    # → [30.57 %, 86.32 %]
    result = csat([5, 4, 4, 3, 2, 5, 1, 4])

    assert result.value == pytest.approx(62.5)
    assert result.low == pytest.approx(30.57, abs=0.005)
    assert result.high == pytest.approx(86.32, abs=0.005)


def test_ces_mean_with_t_interval_of_the_domain_rules() -> None:
    # mean = 59/10 = 5.9; Σ(x − 5.9)² = 8.9; s = √(8.9/9) = 0.99443
    # t(0.975, 9) = 2.262157; half = 2.262157 × 0.99443/√10 = 0.71137
    # → [5.189, 6.611]
    result = ces([7, 6, 6, 5, 7, 4, 6, 7, 5, 6])

    assert result.value == pytest.approx(5.9)
    assert result.low == pytest.approx(5.189, abs=0.0005)
    assert result.high == pytest.approx(6.611, abs=0.0005)


def test_check_share_of_yes() -> None:
    # 9 yes of 10: p̂ = 0.9, denominator = 1.384146
    # centre = (0.9 + 0.192073)/1.384146 = 0.788987
    # half = 1.959964 × √(0.009 + 0.009604)/1.384146 = 0.193137 → [59.58 %, 98.21 %]
    result = check_yes([1] * 9 + [0])

    assert result.value == pytest.approx(90.0)
    assert result.low == pytest.approx(59.58, abs=0.005)
    assert result.high == pytest.approx(98.21, abs=0.005)


@pytest.mark.parametrize(
    ("df", "expected"),
    [
        (1, 12.7062),
        (9, 2.2622),
        (30, 2.0423),
        (31, 2.0395),
        (40, 2.0211),
        (120, 1.9799),
    ],
)
def test_t_quantile(df: int, expected: float) -> None:
    assert t_quantile_975(df) == pytest.approx(expected, abs=0.0001)


@pytest.mark.parametrize("kind", ["nps", "csat", "ces", "check"])
def test_no_answer_gives_no_value(kind: str) -> None:
    result = estimate(kind, [])

    assert (result.value, result.low, result.high, result.answers) == (
        None,
        None,
        None,
        0,
    )


def test_single_ces_answer_has_no_interval() -> None:
    assert (ces([6]).value, ces([6]).low) == (6.0, None)


def test_wilson_of_all_positive_stays_below_100() -> None:
    # p̂ = 1, n = 10: upper end = 100 %, lower = 10/(10 + 3.841459) = 72.25 %
    result = wilson(10, 10)

    assert result.low == pytest.approx(72.25, abs=0.005)
    assert result.high == pytest.approx(100.0)


@pytest.mark.parametrize(
    ("answered", "sent", "expected"), [(3, 12, 25.0), (0, 5, 0.0), (0, 0, None)]
)
def test_response_rate(answered: int, sent: int, expected: float | None) -> None:
    assert response_rate(answered, sent) == expected
