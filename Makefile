# `make` installs what is missing and builds every example letter; `make test` runs ruff, mypy and
# the tests (with veraPDF); `make valideer` validates whatever is in build/ (or in MAP=folder: a werkmap or its
# build/) against PDF/A-2B and PDF/UA-1. The .venv gets the versions pinned in requirements.lock; `make lock` regenerates that
# file after a change to the dependencies in pyproject.toml (`make lock LOCK_FLAGS=--upgrade` moves
# every pin to the newest version the bounds allow).
VENV        := .venv
PYTHON      ?= python3
BIN         := $(VENV)/bin
APT_PACKAGES := libreoffice-writer-nogui fonts-liberation2 fonts-dejavu-core fonts-crosextra-carlito fonts-crosextra-caladea poppler-utils libenchant-2-2 hunspell-nl python3-venv python3-uno
# veraPDF's greenfield validator (pinned in tools/verapdf/pom.xml) from Maven Central, as jars.
VERAPDF_LIB := .cache/verapdf/lib
# The tests of the HTML edition run axe-core (npm, pinned in tests/a11y/package-lock.json) in headless Chromium.
TEST_APT_PACKAGES := chromium nodejs
AXE         := .cache/axe/node_modules/axe-core/axe.min.js
# bench/batch.py compares briefgen with Carbone (npm, pinned in bench/carbone/package-lock.json).
CARBONE     := .cache/carbone/node_modules/carbone/package.json
LOCK        := requirements.lock
LOCK_FLAGS  ?=

.PHONY: all build test lint lock deps apt venv golden bench clean verapdf java valideer axe docs carbone

all: build

build: deps
	$(BIN)/briefgen build

test: APT_PACKAGES += $(TEST_APT_PACKAGES)
test: deps verapdf axe lint
	$(BIN)/python -m pytest

lint: deps
	$(BIN)/ruff check .
	$(BIN)/mypy

MAP         ?= build

valideer: deps verapdf
	$(BIN)/python -m tests.verapdf.valideer "$(MAP)"

axe: $(AXE)

$(AXE): tests/a11y/package.json tests/a11y/package-lock.json
	command -v npm >/dev/null 2>&1 || $(MAKE) apt APT_PACKAGES=npm
	mkdir -p .cache/axe
	cp tests/a11y/package.json tests/a11y/package-lock.json .cache/axe/
	npm ci --prefix .cache/axe --no-audit --no-fund --loglevel=error
	touch $@

carbone: $(CARBONE)

$(CARBONE): bench/carbone/package.json bench/carbone/package-lock.json
	command -v npm >/dev/null 2>&1 || $(MAKE) apt APT_PACKAGES="nodejs npm"
	mkdir -p .cache/carbone
	cp bench/carbone/package.json bench/carbone/package-lock.json .cache/carbone/
	npm ci --prefix .cache/carbone --no-audit --no-fund --loglevel=error
	touch $@

golden: deps
	$(BIN)/python -m tests.golden.regenerate

# One run of the benchmarks of issue 16 into bench/RESULTS.md: bench/run.py first (it rewrites the
# report, keeping the other sections), then each of the others replaces its own section.
bench: deps carbone
	$(BIN)/pip install -q -r bench/requirements.txt
	$(BIN)/python bench/run.py
	$(BIN)/python bench/batch.py --letters 100 --repeat 5 --out bench/RESULTS.md
	$(BIN)/python bench/watch.py --out bench/RESULTS.md
	$(BIN)/python bench/check_scale.py --n 2000 --out bench/RESULTS.md

# The list of template fields in docs/huisstijl.md, from their one definition (briefgen/templatefields.py).
docs: venv
	$(BIN)/python -m briefgen.templatefields --schrijf docs/huisstijl.md

deps: apt venv

# Installs only the Debian packages that are missing (as root, or through sudo).
apt:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "apt-get install:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# A JRE and Maven, only when `java` or `mvn` is missing (as root, or through sudo).
java:
	@missing=""; command -v java >/dev/null || missing="default-jre-headless"; \
	command -v mvn >/dev/null || missing="$$missing maven"; \
	if [ -n "$$missing" ]; then \
	  echo "apt-get install: $$missing"; \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
	fi

verapdf: java $(VERAPDF_LIB)/.installed

$(VERAPDF_LIB)/.installed: tools/verapdf/pom.xml
	rm -rf $(VERAPDF_LIB)
	mvn -q -B -f tools/verapdf/pom.xml dependency:copy-dependencies -DincludeScope=runtime \
	  -DoutputDirectory=$(CURDIR)/$(VERAPDF_LIB)
	touch $@

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r $(LOCK)
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $@

# The dependencies of pyproject.toml with the dev extra, resolved for CPython 3.11 on Linux.
lock: venv
	$(BIN)/uv pip compile --quiet pyproject.toml --extra dev --python-version 3.11 \
	  --python-platform x86_64-unknown-linux-gnu --custom-compile-command 'make lock' \
	  $(LOCK_FLAGS) -o $(LOCK)

clean:
	rm -rf build
