"""Numbers in words for the cost model: money, volumes, inputs as typed, durations.

One place for every figure the cost surfaces print, so the CLI, the site and the browser agree digit for digit.
"""

from __future__ import annotations

import math
from decimal import Decimal


def money(value: float) -> str:
    """$1,234.50 for amounts from a dollar up; three significant digits below ($0.00042)."""
    sign, value = ("-" if value < 0 else ""), abs(value)
    if 0 < value < 1:
        return f"{sign}${format(Decimal(f'{value:.3g}'), 'f')}"
    return f"{sign}${value:,.2f}"


def count(value: float) -> str:
    """A volume in words: whole numbers with thousands separators."""
    return f"{value:,.0f}" if value >= 100 or value == int(value) else f"{value:,.2f}"


def number(value: float) -> str:
    """An input as typed: 1,000,000 or 0.15."""
    return f"{int(value):,}" if value == int(value) else format(Decimal(repr(value)), ",f")


def plain(value: float) -> str:
    """An input as a form or a command line wants it: 1000000 or 0.15."""
    return str(int(value)) if value == int(value) else repr(value)


def duration(months: float) -> str:
    days = math.ceil(months * 365 / 12)
    return f"{days} day{'s' * (days > 1)}" if months < 1 else f"{months:,.1f} months"
