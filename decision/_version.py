"""The engine's version and the version of its JSON contracts, in one place below every other module."""

__version__ = "0.1.0"

# Bump when the shape of a JSON contract changes (evaluate and cost JSON, the web responses).
# 2: `schema_version` added to every contract; the web response lists similar cases by id and title only.
# 3: the cost contract prices prompt caching, batch work and GPU routes (inputs, per-call costs with and
#    without caching, the side of the break-even the fine-tune wins on, notes); a cost request with only
#    the first fifteen inputs is still read, as it was meant then.
SCHEMA_VERSION = 3
