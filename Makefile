# The few commands a person types. Everything installs into .venv; only python3 and make are needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app courseware
PORT ?= 5000
N ?= 5000
# Tests that start no server or browser run on every core; the rest run one at a time, as
# their servers and browsers would otherwise share the cores with each other.
FAST := not browser and not load and not html

.PHONY: run test setup translations translate lint load bench capacity audit clean

run: setup ## Set up, load the demo data and serve at http://127.0.0.1:$(PORT)
	$(FLASK) demo
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

test: setup ## Set up and run the complete test suite (lint, security scan, unit, browser)
	$(BIN)/ruff check .
	$(BIN)/bandit --quiet --recursive courseware
	$(BIN)/python -m pytest -n auto -m "$(FAST)"
	$(BIN)/python -m pytest -m "not ($(FAST))"

setup: $(VENV)/.installed translations
	$(FLASK) content check

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

translations: $(VENV)/.installed ## Compile the interface translations
	$(BIN)/pybabel --quiet compile -d courseware/translations

translate: $(VENV)/.installed ## Extract new interface strings into the catalogs
	$(FLASK) translate update

lint: $(VENV)/.installed
	$(BIN)/ruff check .

load: setup ## 100 trainees at once under gunicorn, then again with a worker killed (also in make test)
	$(BIN)/python -m bench.load

.PHONY: live-load
live-load: setup ## One live session: 300 phones polling and answering 10 questions under gunicorn
	$(BIN)/python -m bench.live

bench: setup ## Throughput ratios against a bare Flask "Hello, World!" (needs wrk: apt-get install wrk)
	$(BIN)/python -m bench.speed

capacity: setup ## N trainees (default 5000) take the quiz as in Moodle 4.5's load test: about 35 minutes
	$(BIN)/python -m bench.capacity --trainees $(N)

audit: $(VENV)/.installed ## Known vulnerabilities in the installed dependencies (needs PyPI's JSON API)
	$(BIN)/pip-audit --strict --local --progress-spinner off

clean:
	rm -rf $(VENV) instance/courseware.sqlite* .pytest_cache
