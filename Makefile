# The two commands a new user needs: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint format sync clean bench-weights bench-pdf bench-pages bench-load bench-faults preview check i18n-extract i18n-update i18n-compile

# Re-install only when pyproject.toml changes, so a second `make run` starts at once.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: $(VENV)/.installed i18n-compile
	$(BIN)/academy db upgrade
	$(BIN)/academy sync
	$(BIN)/academy run --host $(HOST) --port $(PORT)

test: $(VENV)/.installed i18n-compile
	$(BIN)/ruff check academy tests bench examples wsgi.py
	$(BIN)/ruff format --check academy tests bench examples wsgi.py
	$(BIN)/pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check academy tests bench examples wsgi.py

format: $(VENV)/.installed
	$(BIN)/ruff format academy tests bench examples wsgi.py
	$(BIN)/ruff check --fix academy tests bench examples wsgi.py

sync: $(VENV)/.installed
	$(BIN)/academy db upgrade
	$(BIN)/academy sync

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache

# Bytes on the wire for every trainee page of the real courses (figures for the README).
bench-weights: $(VENV)/.installed
	$(BIN)/python -m bench.weights

bench-pdf: $(VENV)/.installed i18n-compile
	$(BIN)/python -m bench.pdf

# Needs Debian's Chromium (apt-get install chromium); Playwright never downloads a browser here.
bench-pages: $(VENV)/.installed i18n-compile
	$(BIN)/python -m bench.pages

# 200 simulated trainees for 30 s against 4 gunicorn workers, on SQLite and on PostgreSQL.
BENCH_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
bench-load: $(VENV)/.installed i18n-compile
	ACADEMY_BENCH_POSTGRES_URL=$(BENCH_POSTGRES_URL) $(BIN)/python -m bench.load

# Kills a worker and restarts the local PostgreSQL server mid-run: not on a shared database.
bench-faults: $(VENV)/.installed i18n-compile
	ACADEMY_BENCH_POSTGRES_URL=$(BENCH_POSTGRES_URL) $(BIN)/python -m bench.faults

# Interface translations: extract the strings, merge them into each catalogue, compile.
i18n-extract: $(VENV)/.installed
	$(BIN)/pybabel extract -F translations/babel.cfg -k _l --no-location --omit-header \
		-o translations/messages.pot .

i18n-update: i18n-extract
	$(BIN)/pybabel update -i translations/messages.pot -d translations \
		--ignore-obsolete --width 100

i18n-compile: $(VENV)/.installed
	$(BIN)/pybabel compile -d translations --statistics

# For course authors: the site as trainees will see it, following edits to courses/.
preview: $(VENV)/.installed
	$(BIN)/academy preview --host $(HOST) --port $(PORT)

# The checker over the course repository, as CI runs it on pull requests.
check: $(VENV)/.installed
	$(BIN)/academy check --strict
