# The two commands of the README: `make demo` and `make test`.
# Both create .venv with the pinned dependencies on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint release clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/autograder demo

test: $(STAMP)
	$(BIN)/python -m pytest -q
	$(BIN)/ruff check lrcourse autograder tests benchmarks demo_cohort

lint: $(STAMP)
	$(BIN)/ruff check lrcourse autograder tests benchmarks demo_cohort

# Regenerate release/ from source/ with nbgrader (from the repo root).
release: $(STAMP)
	for a in ps1_update_rule ps2_schedules ps3_momentum ps4_diagnosis ps5_adaptive; do \
	  $(BIN)/nbgrader generate_assignment $$a --force || exit 1; done

clean:
	rm -rf $(VENV) submitted autograded feedback gradebook.db grades.csv
