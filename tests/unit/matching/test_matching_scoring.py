"""Soft preferences: each factor, the explanation of a pair, and the vectorised scorer's fidelity."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matching_pools import candidate, pools

import app.domain.matching.features as features_module
from app.domain.matching import FACTOR_NAMES, MatchingSettings, Weights, score_pair
from app.domain.matching.features import PoolFeatures
from app.domain.matching.scoring import (
    coverage,
    department_value,
    diversity_value,
    gap_value,
    location_value,
    overlap,
)

REVERSE = MatchingSettings(kind="reverse")
RECIPROCAL = MatchingSettings(kind="reciprocal")


def test_skill_coverage_is_the_share_of_wanted_skills_the_partner_offers() -> None:
    assert coverage(frozenset({"python", "tiktok", "sql"}), frozenset({"python", "tiktok"})) == 1.0
    assert coverage(frozenset({"python"}), frozenset({"python", "tiktok"})) == 0.5
    assert coverage(frozenset({"python"}), frozenset()) == 0.0


def test_overlap_is_one_for_equal_sets_and_zero_when_disjoint_or_empty() -> None:
    assert overlap(frozenset({"a", "b"}), frozenset({"a", "b"})) == 1.0
    assert overlap(frozenset({"a"}), frozenset({"b"})) == 0.0
    assert overlap(frozenset(), frozenset({"b"})) == 0.0
    assert overlap(frozenset({"a", "b"}), frozenset({"a"})) == pytest.approx(1 / math.sqrt(2))


def test_department_follows_the_programs_preference_and_unknown_never_scores() -> None:
    assert department_value("IT", "Sales", "cross") == 1.0
    assert department_value("IT", "IT", "cross") == 0.0
    assert department_value("IT", "IT", "same") == 1.0
    assert department_value("IT", "Sales", "same") == 0.0
    assert department_value("IT", "Sales", "none") == 0.0
    assert department_value(None, "Sales", "cross") == 0.0


def test_location_counts_only_when_both_accept_meeting_in_person() -> None:
    both = frozenset({"in_person", "video"})
    assert (
        location_value(
            candidate(1, location="Lyon", meeting_modes=both), candidate(2, location="Lyon", meeting_modes=both)
        )
        == 1.0
    )
    video = frozenset({"video"})
    assert (
        location_value(
            candidate(1, location="Lyon", meeting_modes=video), candidate(2, location="Lyon", meeting_modes=both)
        )
        == 0.0
    )
    assert (
        location_value(
            candidate(1, location="Lyon", meeting_modes=both), candidate(2, location="Paris", meeting_modes=both)
        )
        == 0.0
    )


def test_seniority_gap_grows_to_the_ideal_gap_or_a_different_generation() -> None:
    assert gap_value(2, None, 5, None, 3) == 1.0
    assert gap_value(2, None, 3, None, 3) == pytest.approx(1 / 3)
    assert gap_value(9, None, 2, None, 3) == 1.0
    assert gap_value(3, "Gen Z", 3, "Gen X", 3) == 1.0
    assert gap_value(3, "Gen Z", 3, "Gen Z", 3) == 0.0


def test_diversity_uses_only_attributes_both_people_consented_to() -> None:
    assert diversity_value({"gender": "a"}, {"gender": "b"}) == 1.0
    assert diversity_value({"gender": "a"}, {"gender": "a", "ethnicity": "x"}) == 0.0
    assert diversity_value({"gender": "a"}, {}) == 0.0
    assert diversity_value({"gender": "a", "ethnicity": "x"}, {"gender": "b", "ethnicity": "x"}) == 0.5


def test_meeting_modes_without_overlap_are_allowed_but_score_zero() -> None:
    a = candidate(1, role="mentor", seniority=1, meeting_modes=frozenset({"video"}))
    b = candidate(2, role="mentee", seniority=5, meeting_modes=frozenset({"chat"}))
    scored = score_pair(a, b, REVERSE)
    assert "meeting_modes" not in {f.name for f in scored.factors}


def test_reverse_skills_count_only_what_the_mentor_offers_the_mentee() -> None:
    mentor = candidate(
        1,
        role="mentor",
        seniority=1,
        skills_offered=frozenset({"python", "tiktok"}),
        skills_wanted=frozenset({"strategy"}),
    )
    mentee = candidate(
        2,
        role="mentee",
        seniority=6,
        skills_offered=frozenset({"strategy"}),
        skills_wanted=frozenset({"python", "tiktok"}),
    )
    scored = score_pair(mentee, mentor, REVERSE)  # order does not matter: the mentor is found by role
    skills = next(f for f in scored.factors if f.name == "skills")
    assert skills.contribution == REVERSE.weights.skills
    assert skills.detail == "covers python, tiktok for the mentee"
    assert score_pair(mentor, mentee, REVERSE) == scored


def test_reciprocal_skills_average_both_directions() -> None:
    a = candidate(1, skills_offered=frozenset({"python"}), skills_wanted=frozenset({"strategy", "sql"}))
    b = candidate(2, skills_offered=frozenset({"strategy"}), skills_wanted=frozenset({"python"}))
    skills = next(f for f in score_pair(a, b, RECIPROCAL).factors if f.name == "skills")
    assert skills.contribution == pytest.approx(RECIPROCAL.weights.skills * (1.0 + 0.5) / 2)
    assert "the first covers python for the second" in skills.detail
    assert "the second covers strategy for the first" in skills.detail


def test_diversity_detail_names_no_attribute_and_no_value() -> None:
    config = MatchingSettings(kind="reciprocal", weights=Weights(diversity=1.0))
    a = candidate(1, consented_attributes={"gender": "woman"})
    b = candidate(2, consented_attributes={"gender": "man"})
    factor = next(f for f in score_pair(a, b, config).factors if f.name == "diversity")
    assert "gender" not in factor.detail
    assert "woman" not in factor.detail
    assert factor.detail == "different on 1 of 1 attributes both chose to share"


def test_a_pair_without_any_scoring_factor_says_so() -> None:
    scored = score_pair(candidate(1), candidate(2), RECIPROCAL)
    assert scored.score == 0.0
    assert scored.factors == ()
    assert "no soft preference scored" in scored.summary


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_explanations_list_exactly_the_scoring_factors_and_add_up(data: st.DataObject) -> None:
    kind = data.draw(st.sampled_from(["reverse", "reciprocal"]))
    pool = data.draw(pools(kind))
    config = MatchingSettings(kind=kind, weights=Weights(diversity=data.draw(st.sampled_from([0.0, 0.7]))))  # type: ignore[arg-type]
    for a in pool.candidates:
        for b in pool.candidates:
            if a is b:
                continue
            scored = score_pair(a, b, config)
            assert all(f.contribution > 0 for f in scored.factors)
            assert sum(f.contribution for f in scored.factors) == pytest.approx(scored.score)
            assert [f.contribution for f in scored.factors] == sorted(
                (f.contribution for f in scored.factors), reverse=True
            )
            assert {f.name for f in scored.factors} <= set(FACTOR_NAMES)
            assert 0.0 <= scored.score <= config.weights.total() + 1e-12
            for factor in scored.factors:
                assert factor.contribution <= config.weights.of(factor.name) + 1e-12
                assert factor.detail


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_vectorised_scores_are_bit_identical_and_blocks_stay_within_their_margin(data: st.DataObject) -> None:
    kind = data.draw(st.sampled_from(["reverse", "reciprocal"]))
    pool = data.draw(pools(kind))
    config = MatchingSettings(
        kind=kind,  # type: ignore[arg-type]
        department_preference=data.draw(st.sampled_from(["cross", "same", "none"])),
        weights=Weights(diversity=0.5, location=0.7),
    )
    people = pool.candidates
    features = PoolFeatures(people, config)
    n = len(people)
    first, second = (np.asarray(x, dtype=np.int64).ravel() for x in np.meshgrid(np.arange(n), np.arange(n)))
    if kind == "reverse":
        keep = np.asarray(
            [people[i].role == "mentor" and people[j].role == "mentee" for i, j in zip(first, second, strict=True)],
            dtype=bool,
        )
    else:
        keep = first != second
    first, second = first[keep], second[keep]
    exact = features.scores(first, second)
    for e in range(first.size):
        assert exact[e] == score_pair(people[first[e]], people[second[e]], config).score  # bit-identical
    embedding = features.embedding()
    block = (
        embedding.dense_first @ embedding.dense_second.T
        + (embedding.sparse_first @ embedding.sparse_second_t).toarray()
    )
    assert np.all(np.abs(block[first, second] - exact) <= embedding.margin)


@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_many_categories_fall_back_to_exact_scores_and_an_upper_bounding_block(data: st.DataObject) -> None:
    # Above _MAX_TABLE seniority/generation or consent categories, tables give way to a direct
    # computation (exact scores) and a constant (block scores stay upper bounds).
    pool = data.draw(pools("reciprocal"))
    config = MatchingSettings(kind="reciprocal", weights=Weights(diversity=0.5))
    people = pool.candidates
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(features_module, "_MAX_TABLE", 1)
        features = PoolFeatures(people, config)
        embedding = features.embedding()
    n = len(people)
    first, second = (np.asarray(x, dtype=np.int64).ravel() for x in np.meshgrid(np.arange(n), np.arange(n)))
    keep = first != second
    first, second = first[keep], second[keep]
    exact = features.scores(first, second)
    for e in range(first.size):
        assert exact[e] == score_pair(people[first[e]], people[second[e]], config).score
    block = (
        embedding.dense_first @ embedding.dense_second.T
        + (embedding.sparse_first @ embedding.sparse_second_t).toarray()
    )
    assert np.all(block[first, second] + embedding.margin >= exact)
