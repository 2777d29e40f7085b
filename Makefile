# Toricy: `make run` starts the site, `make test` runs every test. Nothing else is needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format messages system-packages

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	$(PY) manage.py prepare
	$(PY) -m daphne -b $(HOST) -p $(PORT) toricy.asgi:application

# Chromium (browser tests), gettext (the translation check), ffmpeg and coturn (the TURN server
# the call tests relay through) come from Debian.
system-packages:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v xgettext >/dev/null || missing="$$missing gettext"; \
	command -v ffmpeg >/dev/null || missing="$$missing ffmpeg"; \
	command -v turnserver >/dev/null || missing="$$missing coturn"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else echo "Install with apt:$$missing (tests needing them are skipped)"; fi; \
	fi

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The suite runs on every core (pytest-xdist): each worker has its own test database, Redis
# database, ports and media folder (tests/isolation.py); TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
test: $(VENV)/.dev system-packages lint
	$(PY) manage.py compile_translations -v 0
	$(PY) -m pytest -n $(TEST_WORKERS) --durations=15 $(PYTEST_ARGS)

format: $(VENV)/.dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Refresh the catalogues after changing strings; then translate the new Russian entries.
messages: $(VENV)/.dev
	$(PY) manage.py makemessages -l ru -l en --no-obsolete --ignore 'static/vendor/*' --ignore 'tests/*' --ignore '*/tests/*'
