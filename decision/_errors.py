"""The two kinds of error the engine raises for bad input: a user's answers, or a broken data file."""

from __future__ import annotations


class AnswerError(ValueError):
    """A user-supplied answer or input is not acceptable. `field` names what was wrong."""

    def __init__(self, field: str, problem: str):
        super().__init__(f"{field}: {problem}")
        self.field, self.problem = field, problem


class ModelError(ValueError):
    """A data file (the model, the cases, the cost example) is malformed."""

    def __init__(self, source: str, key: str, problem: str):
        super().__init__(f"{source}: {key}: {problem}")
        self.source, self.key, self.problem = source, key, problem
