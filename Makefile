# Thin wrapper: every target calls the venv's own tools or the `wpskit` command.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
COURSE ?= course
PORT   ?= 8888
PROXY  := node_modules/.bin/configurable-http-proxy

.PHONY: install course lab lab-vi hub test test-quick screenshots bench-first-widget bench-autograde bench-gradebook bench-room clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[test]'
	# An editable install leaves out pyproject's data-files (a wheel carries them): link wpskit's
	# Jupyter pieces into the environment, as `jupyter labextension develop` does for an extension.
	mkdir -p $(VENV)/share/jupyter/voila/templates $(VENV)/share/jupyter/lab/settings/overrides.d
	ln -sfn $(CURDIR)/share/jupyter/voila/templates/wpskit $(VENV)/share/jupyter/voila/templates/wpskit
	ln -sf $(CURDIR)/share/jupyter/lab/settings/overrides.d/wpskit.json $(VENV)/share/jupyter/lab/settings/overrides.d/wpskit.json
	touch $(STAMP)

install: $(STAMP)

course: install
	$(BIN)/wpskit course build --dir $(COURSE)

lab: course
	$(BIN)/wpskit lab --dir $(COURSE) --port $(PORT)

# The same, with JupyterLab's menus in Vietnamese (the language pack; kept for later starts).
lab-vi: course
	$(BIN)/wpskit lab --dir $(COURSE) --port $(PORT) --lang vi

# JupyterHub's proxy, from npm (package.json pins it); the hub and its tests use it from here.
$(PROXY): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $(PROXY)

# The workshop room: JupyterHub for participants and facilitators (run as root: one Unix user
# each). Settings: hub/settings.yaml. Logins first: `sudo .venv/bin/wpskit hub users roster.csv`.
hub: install $(PROXY)
	$(BIN)/wpskit hub start

test: install
	$(BIN)/python -m pytest -n 2 --dist loadgroup --ignore=tests/test_hub_room.py; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; rc=0; fi; \
	$(BIN)/python -m pytest tests/test_hub_room.py; hub=$$?; if [ $$hub -eq 5 ]; then hub=0; fi; \
	[ $$rc -eq 0 ] && [ $$hub -eq 0 ]

test-quick: install
	$(BIN)/python -m pytest -m "not slow and not browser"; rc=$$?; [ $$rc -eq 5 ] && rc=0; exit $$rc

# docs/screenshots/<module>.<en|vi>.png: each module's first screen as a page (needs chromium).
screenshots: install
	$(BIN)/python tools/screenshots.py

# Time to the first widget, page and JupyterLab, against stock Voilà / JupyterLab (needs chromium).
bench-first-widget: install
	$(BIN)/python bench/bench_first_widget.py

# Stock `nbgrader autograde` against `wpskit autograde` on simulated submissions (PARTICIPANTS=300 for a conference).
PARTICIPANTS ?= 40
bench-autograde: install
	$(BIN)/python bench/bench_autograde.py --participants $(PARTICIPANTS)

# `wpskit export` on a simulated gradebook of 10,000 participants x pre and post x 40 items (target < 3 s).
bench-gradebook: install
	$(BIN)/python bench/bench_gradebook.py

# The room at full size (as root): PARTICIPANTS log in to the real hub within one minute and answer a
# Day 2 page; ROOM=--prestart starts their servers first, as `wpskit hub start-servers` does.
ROOM ?=
bench-room: install $(PROXY)
	$(BIN)/python bench/bench_room.py --participants $(PARTICIPANTS) $(ROOM)

clean:
	rm -rf $(VENV) $(COURSE) .pytest_cache
