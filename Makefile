.PHONY: run setup test test-postgres lint bench system-deps messages clean-demo

# The two commands of the README:
#   make run   sets everything up on a fresh machine and serves the demo county with its worker;
#   make test  runs the test suite (SQLite and an in-process Celery worker).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Benchmarks build their own data in a fresh SQLite file under var/bench/; SCALE=0.1 for a quick run.
SCALE ?= 1

$(PY): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(PY)

setup: $(PY)
	mkdir -p var media
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo

# The web server and one worker (with the periodic-job scheduler) on the embedded filesystem broker; Ctrl-C stops both.
run: setup
	@echo "Serving on http://$(HOST):$(PORT)/ (worker log: var/worker.log)"
	@trap 'kill 0' INT TERM EXIT; \
	$(VENV)/bin/celery -A lms worker -B --loglevel=INFO --concurrency=2 >var/worker.log 2>&1 & \
	$(PY) manage.py runserver $(HOST):$(PORT)

# Debian's Chromium (browser tests), poppler (PDF checks) and gettext (catalogue check),
# installed when missing and when this machine can (root with apt-get); otherwise those tests skip.
system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	command -v xgettext >/dev/null || missing="$$missing gettext"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) >/dev/null \
	      || echo "could not install:$$missing (their tests will skip)"; \
	  else echo "not installed:$$missing (their tests will skip)"; fi; \
	fi

test: $(PY) system-deps
	$(PY) -m pytest

# The same suite on PostgreSQL with Redis as broker and result store (CI runs this too).
test-postgres: $(PY) system-deps
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/lms_ci} \
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-redis://127.0.0.1:6379/14} \
	CELERY_RESULT_BACKEND=$${CELERY_RESULT_BACKEND:-redis://127.0.0.1:6379/14} \
	$(PY) -m pytest

lint: $(PY)
	$(PY) -m ruff check .
	$(PY) manage.py makemigrations --check --dry-run

# Refresh the Chinese catalogue from the code and templates, then compile it.
messages: $(PY)
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=var --ignore=staticfiles --ignore=media --ignore=lms/locale_wagtail
	$(PY) manage.py compilemessages -l zh_Hans --ignore=.venv

bench: $(PY)
	-$(PY) -m pip install --quiet -r requirements-bench.txt
	$(PY) manage.py bench --scale $(SCALE)
