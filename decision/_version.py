"""The engine's version and the version of its JSON contracts, in one place below every other module."""

__version__ = "0.1.0"

# Bump when the shape of a JSON contract changes (evaluate and cost JSON, the web responses).
# 2: `schema_version` added to every contract; the web response lists similar cases by id and title only.
SCHEMA_VERSION = 2
