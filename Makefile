# Thin wrapper: every target calls the venv's own tools or the `wpskit` command.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
COURSE ?= course
PORT   ?= 8888

.PHONY: install course lab test test-quick clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

course: install
	$(BIN)/wpskit course build --dir $(COURSE)

lab: course
	$(BIN)/wpskit lab --dir $(COURSE) --port $(PORT)

test: install
	$(BIN)/python -m pytest -n 2 --dist loadgroup; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; rc=0; fi; exit $$rc

test-quick: install
	$(BIN)/python -m pytest -m "not slow and not browser"; rc=$$?; [ $$rc -eq 5 ] && rc=0; exit $$rc

clean:
	rm -rf $(VENV) $(COURSE) .pytest_cache
