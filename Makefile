# `make demo` and `make test` are the two commands a new user needs (README, top).
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test lock clean vendor basemap

install: $(STAMP)

# Everything pinned in requirements*.lock; the package itself is installed without resolving again.
$(STAMP): requirements.lock requirements-dev.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

demo: install
	$(BIN)/sitrep analyze --samples -o out/situation.json
	$(BIN)/sitrep show out/situation.json

# Browser tests drive Debian's chromium; the script installs it with apt where it can and
# otherwise says why (those tests then skip with that reason).
test: install
	scripts/ensure_chromium.sh
	$(BIN)/python -m pytest

# Re-fetch the vendored JS libraries from the npm registry (pinned, integrity-checked).
vendor:
	scripts/vendor.sh

# Rebuild the report's Natural Earth basemap from ../shared/reference/natural_earth.
basemap: install
	$(BIN)/python scripts/build_basemap.py

# Re-resolve the pins from pyproject.toml in a throw-away venv (needs the package registry).
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --disable-pip-version-check .
	echo "# Runtime pins: every package sitrep needs, resolved from pyproject.toml on Python 3.11 (make lock)." > requirements.lock
	.lock-venv/bin/python -m pip freeze --disable-pip-version-check | grep -v '^sitrep' >> requirements.lock
	.lock-venv/bin/python -m pip install --quiet --disable-pip-version-check '.[test]'
	printf '# Test pins: runtime plus the test tools (make lock).\n-r requirements.lock\n' > requirements-dev.lock
	.lock-venv/bin/python -m pip freeze --disable-pip-version-check | grep -v '^sitrep' | grep -vxFf requirements.lock >> requirements-dev.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) out build dist src/*.egg-info .pytest_cache
