"""Shared fixtures for the engine tests: the model and the whole answer space."""

from __future__ import annotations

import itertools

import pytest

from decision import default_model, evaluate


def answer_space(model):
    """Every combination of answers, with None meaning 'left open'."""
    choices = [(*q.values, None) for q in model.questions]
    for combo in itertools.product(*choices):
        yield {q.id: v for q, v in zip(model.questions, combo) if v is not None}


def key(answers: dict) -> tuple:
    return tuple(sorted(answers.items()))


@pytest.fixture(scope="session")
def model():
    return default_model()


@pytest.fixture(scope="session")
def sweep(model):
    """(answers, result) for every point of the answer space, evaluated once per session."""
    return [(answers, evaluate(answers)) for answers in answer_space(model)]


@pytest.fixture(scope="session")
def approach_at(sweep):
    table = {key(answers): result.approach for answers, result in sweep}
    return lambda answers: table[key(answers)]
