# Every check CI runs, one command each; `make check` runs them all.
.PHONY: check format-check format lint types test

check: format-check lint types test

format-check:
	ruff format --check .

format:
	ruff format .

lint:
	ruff check .

types:
	mypy

test:
	python -m pytest
