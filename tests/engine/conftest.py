"""Shared fixtures for the engine tests."""

from __future__ import annotations

import pytest

from decision import default_model


@pytest.fixture(scope="session")
def model():
    return default_model()
