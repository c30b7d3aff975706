# The README's two commands: `make run` and `make test`. Everything else here serves them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app feedback

.PHONY: run test catalogues chromium translations bench clean

# Stamps: reinstall only when pyproject.toml changes.
$(VENV)/.run-deps: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Écho needs Python 3.11 or newer (found: $$($(PYTHON) --version))"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test-deps: $(VENV)/.run-deps
	$(BIN)/python -m pip install --quiet -e '.[test,postgres]'
	touch $@

catalogues: $(VENV)/.run-deps
	$(BIN)/pybabel compile --statistics -d translations 2>&1 | grep -v '^compiling' || true

# The web app and one consumer of the job queue, together. Ctrl-C reaches both (one process
# group): the web app stops, the consumer finishes its task first, and the shell waits for it.
run: catalogues
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	$(FLASK) consumer & consumer=$$!; \
	trap 'wait $$consumer' INT; \
	trap 'kill -INT $$consumer; wait $$consumer' TERM HUP; \
	$(FLASK) run --host 127.0.0.1 --port 5000; \
	kill -INT $$consumer 2>/dev/null; wait $$consumer

# The browser journeys and the PDF report need Debian's Chromium (Playwright's own browser
# download cannot work offline). Installed when missing and the machine lets us; otherwise the
# journeys are skipped with that reason.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo -n)
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	{ echo "== Installing Debian's Chromium for the browser tests"; \
	  { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    $(SUDO) apt-get install -y -qq chromium >/dev/null; } || \
	  echo "Chromium could not be installed: the browser journeys will be skipped."; }

# The suite runs on every core (four at most); the tests reading the demo share one worker.
PYTEST_ARGS ?= -n auto --maxprocesses 4 --dist loadgroup

test: $(VENV)/.test-deps catalogues chromium
	$(BIN)/ruff check feedback tests bench scripts gunicorn.conf.py
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# For developers: extract new strings and merge them into the catalogues.
translations: $(VENV)/.run-deps
	$(BIN)/pybabel extract --add-location=file --sort-output -F babel.cfg -k _l -k lazy_gettext \
		-o translations/messages.pot . 2>&1 | grep -v '^extracting' || true
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i translations/messages.pot -d translations

bench: $(VENV)/.test-deps catalogues
	for script in bench/*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
