# Two entry points (see README): `make site` and `make test`. Everything else is set-up they share.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup site test screenshots chromium lock clean

$(STAMP): pyproject.toml requirements.lock package.json package-lock.json
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(STAMP)

# NEWSGEN_ARGS passes options through, e.g. make site NEWSGEN_ARGS="--base-url https://u.github.io/r/"
site: setup
	$(VENV)/bin/newsgen build $(NEWSGEN_ARGS)

# Browser tests drive Debian's chromium, and read Chinese pages drawn in Noto CJK (a test
# fails on the empty boxes of a machine without CJK fonts): install either where it is
# missing (needs root, as on CI).
chromium:
	@{ command -v chromium >/dev/null && dpkg-query -W -f='$${Status}' fonts-noto-cjk 2>/dev/null | grep -q "ok installed"; } \
	|| { apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

# pytest exits 5 when it collected no test: that fails the target like any other failure.
test: setup chromium
	@$(PY) -m pytest -q; status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: no test ran" >&2; fi; exit $$status

# The calendar, an issue, a page and an article at 1280 and 360 px, light and dark, for a
# person to look at before a change to the views is merged.
screenshots: setup chromium
	NEWSGEN_SCREENSHOTS=$(CURDIR)/screenshots $(PY) -m pytest -q -m screenshots
	@echo "screenshots in $(CURDIR)/screenshots/"

# Re-pin requirements.lock from pyproject.toml (run after changing dependencies).
lock:
	rm -rf .lockenv && python3 -m venv .lockenv
	.lockenv/bin/pip install -q --disable-pip-version-check -e '.[test]'
	.lockenv/bin/pip freeze --exclude-editable | grep -v '^newsgen' > requirements.lock
	rm -rf .lockenv

clean:
	rm -rf site .newsgen-cache
