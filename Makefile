# The two commands in the README are the contract: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format integration e2e ci-test bench clean worker beat messages check-messages

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP)
	DJANGO_DEBUG=1 LMS_REQUIRE_MFA=$${LMS_REQUIRE_MFA:-0} $(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py seed_demo
	DJANGO_DEBUG=1 LMS_REQUIRE_MFA=$${LMS_REQUIRE_MFA:-0} $(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	$(BIN)/python -m pytest tests --ignore=tests/integration --ignore=tests/e2e -q

integration: $(STAMP)
	$(BIN)/python -m pytest tests/integration -q

# axe-core for the accessibility checks, at the version package-lock.json pins.
AXE_DIR := tests/e2e/axe
AXE := $(AXE_DIR)/node_modules/axe-core/axe.min.js

$(AXE): $(AXE_DIR)/package.json $(AXE_DIR)/package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the browser tier (Debian: apt-get install npm)"; exit 1; }
	cd $(AXE_DIR) && npm ci --no-audit --no-fund
	touch $(AXE)

e2e: $(STAMP) $(AXE)
	$(BIN)/python -m pytest tests/e2e -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

worker: $(STAMP)
	$(BIN)/celery -A lms worker -Q default,certificates,notifications,reports --loglevel=info

beat: $(STAMP)
	$(BIN)/celery -A lms beat --loglevel=info

# Extract strings (needs GNU gettext), write sr_Latn from sr, compile every .mo (docs/translation.md).
messages: $(STAMP)
	$(BIN)/python scripts/messages.py update

check-messages: $(STAMP)
	$(BIN)/python scripts/messages.py check

bench: $(STAMP)
	$(BIN)/python bench/run_bench.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
