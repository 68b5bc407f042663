# `make demo` and `make test` are the two commands a new user needs (README, top).
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test lock clean

install: $(STAMP)

# Everything pinned in requirements*.lock; the package itself is installed without resolving again.
$(STAMP): requirements.lock requirements-dev.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

demo: install
	$(BIN)/sitrep analyze --samples -o out/situation.json
	$(BIN)/sitrep show out/situation.json

test: install
	$(BIN)/python -m pytest

# Re-resolve the pins from pyproject.toml in a throw-away venv (needs the package registry).
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	.lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^sitrep' > requirements-dev.lock.tmp
	rm -rf .lock-venv
	@echo "review requirements-dev.lock.tmp, then split runtime pins into requirements.lock"

clean:
	rm -rf $(VENV) out build dist src/*.egg-info .pytest_cache
