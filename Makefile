# Everything a newcomer or CI needs. `make serve` and `make test` run set-up first.
.PHONY: setup serve site test lint test-engine bench clean

VENV := .venv/bin
PORT ?= 8000

setup:
	@bash scripts/setup.sh

site: setup
	$(VENV)/python scripts/build_site.py

serve: site
	$(VENV)/python scripts/serve.py --root site --port $(PORT)

lint: setup
	$(VENV)/ruff check .
	$(VENV)/ruff format --check .

test: setup lint
	$(VENV)/python -m pytest

bench: setup
	$(VENV)/python bench/engine.py

clean:
	rm -rf site build dist .pytest_cache .ruff_cache
