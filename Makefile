# Loa Studio. `make run` installs what is missing, builds, loads the demo data
# and opens the app; `make test` runs every test. See README.md.

CARGO_TARGET_DIR ?= $(CURDIR)/target
export CARGO_TARGET_DIR
BIN := $(CARGO_TARGET_DIR)/debug
XVFB := xvfb-run -a -s "-screen 0 1366x768x24"

.PHONY: run test setup setup-test ui build demo fmt clippy rust-test ui-check ui-test e2e bindings fuzz deb deb-test notices windows windows-test bench-hub bench-sharing

run: setup build demo
	$(BIN)/loa-studio

test: setup-test fmt ui build rust-test clippy ui-check ui-test e2e
	@echo "All Loa Studio tests passed."

setup:
	@scripts/setup.sh run

setup-test:
	@scripts/setup.sh test

# The desktop binary embeds ui/dist, so the UI is built first.
ui:
	cd ui && npm run build

build: ui
	cargo build --workspace

demo:
	$(BIN)/loa init --demo
	scripts/fetch-model.sh install

fmt:
	cargo fmt --all --check

clippy: ui
	cargo clippy --workspace --all-targets -- -D warnings

rust-test: ui
	LOA_WHISPER_CT2="$$(scripts/fetch-model.sh ct2)" LOA_SPEECH_CLIPS="$$(scripts/fetch-speech-clips.sh)" \
		scripts/with-pulse.sh scripts/with-postgres.sh cargo test --workspace

ui-check:
	cd ui && npm run check && npm run lint

ui-test:
	cd ui && npm test

e2e: build
	export LOA_WHISPER_CT2="$$(scripts/fetch-model.sh ct2)" LOA_SPEECH_CLIPS="$$(scripts/fetch-speech-clips.sh)" && cd tests/e2e && ../../scripts/with-pulse.sh ../../scripts/with-postgres.sh $(XVFB) npm test

# Regenerate ui/src/lib/bindings.ts after changing a command or a DTO.
bindings:
	UPDATE_BINDINGS=1 cargo test -p loa-studio bindings

# libFuzzer on every reader of outside files, FUZZ_SECONDS each (default 60).
FUZZ_SECONDS ?= 60
fuzz:
	scripts/fuzz.sh $(FUZZ_SECONDS)

# The Debian package (release build, offline) and its install test.
deb: setup
	scripts/build-deb.sh

deb-test: setup-test
	scripts/test-deb.sh

# The hub under a province's load, beside nginx (about 12 minutes).
bench-hub: setup-test
	scripts/bench-hub.sh

# Shared terminology through a hub on loopback (issue 18's figures, about a minute).
bench-sharing: setup-test
	cargo build --release -p loa-hub
	scripts/with-postgres.sh sh -c '$(CARGO_TARGET_DIR)/release/loa-hub --database-url "$$LOA_HUB_DATABASE_URL" bench-sharing'

# Third-party notices from the lock files (after changing a dependency).
notices:
	python3 scripts/notices.py

# `loa.exe` for Windows x64, cross-built with MinGW, and its test under Wine.
windows:
	scripts/setup.sh windows
	scripts/build-windows.sh

windows-test:
	scripts/setup.sh windows
	scripts/test-windows.sh
