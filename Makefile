# Two commands on a fresh machine: `make run` (app on SQLite with demo data) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := wsgi

.PHONY: install system-deps run test test-sqlite test-postgres lint bench translations clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	$(BIN)/pip install -q --disable-pip-version-check -e '.[test]'
	$(BIN)/pybabel compile -d hue_literacy/translations

system-deps:
	bash scripts/install-system-deps.sh

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask content check --strict
	$(BIN)/flask demo seed
	$(BIN)/flask dashboard rebuild
	$(BIN)/flask certificates keys generate --if-missing
	@echo "Open http://$(HOST):$(PORT)/ (on a ward LAN: make run HOST=0.0.0.0)"
	@if [ "$(HOST)" != "127.0.0.1" ] && [ "$(HOST)" != "localhost" ]; then \
	  echo "WARNING: phones reaching this PC at http://<its LAN address>:$(PORT)/ get NO offline use"; \
	  echo "  and no install: browsers allow service workers only on https (or 127.0.0.1)."; \
	  echo "  For a class in a ward hall put Caddy in front with its local certificate authority"; \
	  echo "  and trust it on each phone, or use the city's https server: see docs/deploy.md."; \
	fi
	HUE_SESSION_COOKIE_SECURE=false HUE_REMEMBER_COOKIE_SECURE=false \
	  $(BIN)/gunicorn --config gunicorn.conf.py --bind $(HOST):$(PORT) --access-logfile - wsgi:app

# The two databases' runs share the machine's two cores; each run's output is printed whole
# when it ends (--output-sync), and `make test` fails if either fails. The SQLite run, which
# has the browser tests (they wait on Chromium as much as they compute), is split over two
# pytest-xdist workers so both cores stay busy after the PostgreSQL run ends.
test: install system-deps lint
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

test-sqlite:
	mkdir -p .pytest-tmp
	$(BIN)/pytest -n 2 --basetemp=.pytest-tmp/sqlite

# The PostgreSQL server started for the run is stopped again, also when tests fail.
test-postgres:
	mkdir -p .pytest-tmp
	bash scripts/with-test-postgres.sh $(BIN)/pytest -m "not browser" --basetemp=.pytest-tmp/postgres

lint: node_modules/.package-lock.json
	$(BIN)/ruff check hue_literacy tests bench
	$(BIN)/lint-imports
	node_modules/.bin/eslint

# ESLint and its rules, exactly as package-lock.json pins them (npm registry); again when it changes.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci

bench: install
	bash scripts/install-system-deps.sh espeak-ng
	$(BIN)/pip install -q --disable-pip-version-check -e '.[test,bench]'
	$(BIN)/python bench/run_all.py

translations:
	$(BIN)/pybabel extract -F babel.cfg -k _l --no-location --sort-output -w 100 -o hue_literacy/translations/messages.pot .
	$(BIN)/pybabel update -i hue_literacy/translations/messages.pot -d hue_literacy/translations --no-fuzzy-matching -w 100

clean:
	rm -rf $(VENV) node_modules instance *.egg-info .pytest_cache .pytest-tmp
