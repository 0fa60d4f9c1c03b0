# `make` installs what is missing and builds every example letter; `make test` runs the tests.
VENV        := .venv
PYTHON      ?= python3
BIN         := $(VENV)/bin
APT_PACKAGES := libreoffice-writer-nogui fonts-liberation2 fonts-dejavu-core poppler-utils hunspell hunspell-nl python3-venv python3-uno

.PHONY: all build test deps apt venv golden bench clean

all: build

build: deps
	$(BIN)/briefgen build

test: deps
	$(BIN)/python -m pytest

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
