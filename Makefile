# Two commands: `make demo` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test setup bench vocab clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

# Publish the bundled examples into var/store, write var/dumps, serve on http://127.0.0.1:8000/
demo: $(STAMP)
	$(BIN)/lodpub demo

# Everything the tests need beyond Python packages (chromium, nginx) is installed by .ci/run.
test: $(STAMP)
	$(BIN)/python -m pytest

# Regenerate vocab/vdp.ttl from the DSpace XML it is made from.
vocab: $(STAMP)
	$(BIN)/lodpub vocab import-dspace vocab/sources/dspace-nsi-nb.xml vocab/sources/dspace-pr2441-unit-brage-nsi_no-nb.xml vocab/sources/dspace-pr2441-unit-brage-nsi-en.xml -o vocab/vdp.ttl

# Benchmarks (figures in bench/README.md); N records, default 100,000.
N ?= 100000
bench: $(STAMP)
	$(BIN)/python bench/languages.py
	$(BIN)/python bench/convert.py $(N)
	$(BIN)/python bench/validate.py $(N)
	$(BIN)/python bench/publish.py $(N)
	$(BIN)/python bench/serve.py $(N)

clean:
	rm -rf $(VENV) var build dist *.egg-info
