# `make` installs what is missing and builds every example letter; `make test` runs the tests.
VENV        := .venv
PYTHON      ?= python3
BIN         := $(VENV)/bin
APT_PACKAGES := libreoffice-writer-nogui fonts-liberation2 fonts-dejavu-core poppler-utils hunspell hunspell-nl python3-venv
# The tests of the HTML edition run axe-core (npm, pinned in tests/a11y/package-lock.json) in headless Chromium.
TEST_APT_PACKAGES := chromium nodejs
AXE         := .cache/axe/node_modules/axe-core/axe.min.js

.PHONY: all build test deps apt venv golden bench clean axe

all: build

build: deps
	$(BIN)/briefgen build

test: APT_PACKAGES += $(TEST_APT_PACKAGES)
test: deps axe
	$(BIN)/python -m pytest

axe: $(AXE)

$(AXE): tests/a11y/package.json tests/a11y/package-lock.json
	command -v npm >/dev/null 2>&1 || $(MAKE) apt APT_PACKAGES=npm
	mkdir -p .cache/axe
	cp tests/a11y/package.json tests/a11y/package-lock.json .cache/axe/
	npm ci --prefix .cache/axe --no-audit --no-fund --loglevel=error
	touch $@

golden: deps
	$(BIN)/python -m tests.golden.regenerate

bench: deps
	$(BIN)/python bench/run.py

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

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

clean:
	rm -rf build
