# itaku — top-level build. `make` builds bin/itakud and bin/itaku;
# `make demo` and `make check` first install the Debian packages they need.

PREFIX ?= /usr/local
DESTDIR ?=

# Debian packages: build and run (DEB_BUILD), tests (DEB_TEST), lint.
DEB_BUILD = build-essential pkg-config libmicrohttpd-dev libgnutls28-dev libssl-dev \
            libxml2-dev libsqlite3-dev libpq-dev libzip-dev zlib1g-dev libdeflate-dev libjansson-dev libinih-dev libcurl4-openssl-dev \
            xxd openssl curl tzdata
# postgresql: the server binaries of the throwaway test clusters (tests/pg/);
# nginx and its stream module: the TCP balancer of tests/pg/twonode.sh
DEB_TEST = libcmocka-dev zip unzip sqlite3 python3 python3-aiosmtpd msmtp jq procps systemd e2fsprogs \
           poppler-utils postgresql nginx libnginx-mod-stream
DEB_LINT = cppcheck clang-tidy clang-format
# the real-browser tests (tests/browser/): Debian's chromium, NSS's certutil
# and pk12util, a Japanese font for the screenshots; node >= 20.19 comes
# from tests/browser/node.sh
DEB_BROWSER = chromium libnss3-tools fonts-ipafont-gothic
# libFuzzer (clang's runtime) and minizip, the second ZIP reader of the
# differential target
DEB_FUZZ = clang libclang-rt-14-dev libminizip-dev
# the benchmarks' references (tests/bench/): nginx over the same mutual TLS,
# ApacheBench (ab) as the load generator for both, xmllint for the shell
# pipeline an upload is compared with
DEB_BENCH = nginx apache2-utils libxml2-utils

PKGS = libmicrohttpd gnutls openssl libxml-2.0 sqlite3 libpq libzip jansson inih libcurl zlib libdeflate
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm

CC ?= cc
WARN = -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wvla -Wstrict-prototypes -Wmissing-prototypes \
       -Wcast-qual -Wwrite-strings
BASE_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=700 $(WARN) $(PKG_CFLAGS) -I. -Ibuild/gen
REL_CFLAGS = $(BASE_CFLAGS) -O2 -g -D_FORTIFY_SOURCE=2 -fstack-protector-strong \
             -fstack-clash-protection -fPIE
REL_LDFLAGS = -pie -Wl,-z,relro -Wl,-z,now
SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
ASAN_CFLAGS = $(BASE_CFLAGS) -O1 -g $(SAN)
ASAN_LDFLAGS = $(SAN)

# core/ is grouped in rooms by the interface a file serves (README.md,
# "Source layout"); the two entry points are not part of the library.
CORE_ROOMS = core core/util core/db core/http core/api core/web core/cli core/server
ENTRY_SRCS = core/server/itakud.c core/cli/itaku.c
LIB_SRCS = $(wildcard crypto/*.c forms/*.c exchange/*.c) \
           $(filter-out $(ENTRY_SRCS),$(foreach d,$(CORE_ROOMS),$(wildcard $(d)/*.c)))
GEN_SRCS = build/gen/answers_xsd.c build/gen/questionnaire_xsd.c \
           build/gen/ipa-benchmark_xml.c build/gen/csmg-checklist_xml.c \
           build/gen/ipa-benchmark-2_xml.c build/gen/csmg-checklist-2_xml.c \
           build/gen/migrations.c build/gen/static_files.c build/gen/conf_example.c
REL_OBJS = $(patsubst %.c,build/rel/%.o,$(LIB_SRCS) $(GEN_SRCS))
ASAN_OBJS = $(patsubst %.c,build/asan/%.o,$(LIB_SRCS) $(GEN_SRCS))
UNIT_SRCS = $(shell find tests/unit -name 'test_*.c' | sort)
UNIT_BINS = $(patsubst tests/unit/%.c,build/asan/tests/%,$(UNIT_SRCS))

.PHONY: all deps deps-test deps-lint deps-fuzz deps-browser deps-bench check unit pgschema e2e browser \
        bundle demo install clean lint format lint-layout bench fuzz fuzz-smoke fuzz-build e2e-pg pg-nodes \
        e2e-backends
.DEFAULT_GOAL := all
# keep the entry-point objects between builds
.SECONDARY:

all: bin/itakud bin/itaku

# Installs what is missing, and nothing when all is there (idempotent).
define apt_install
	@missing=$$(for p in $(1); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q ' installed$$' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:" $$missing; \
	  SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  if [ -n "$$SUDO" ] && ! command -v sudo >/dev/null 2>&1; then \
	    echo "make: these Debian packages are missing and installing them needs root; there is no sudo here." >&2; \
	    echo "make: run as root:  apt-get update && apt-get install -y --no-install-recommends $$missing" >&2; \
	    echo "make: then run make again as $$(id -un)." >&2; \
	    exit 1; \
	  fi; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

deps:
	$(call apt_install,$(DEB_BUILD))
deps-test: deps
	$(call apt_install,$(DEB_TEST))
deps-lint:
	$(call apt_install,$(DEB_LINT))
deps-fuzz: deps-test
	$(call apt_install,$(DEB_FUZZ))
deps-bench: deps-test
	$(call apt_install,$(DEB_BENCH))
deps-browser: deps-test
	$(call apt_install,$(DEB_BROWSER))
	@tests/browser/node.sh >/dev/null

# XSDs are compiled into the binaries: no schema files to install or find
build/gen/%_xsd.c: forms/schema/%.xsd
	@mkdir -p $(dir $@)
	@cd forms/schema && xxd -i $*.xsd > $(CURDIR)/$@
# the schema migrations, applied in file-name order by core/db/db.c; each
# NUL-terminated for sqlite3_exec(). migrations/pg/NNN.sql are the same
# migrations for PostgreSQL (db_pg_migrations), numbered alike
# (tests/lint/migrations.py, part of `make lint`, checks the two sets agree)
MIGRATIONS = $(sort $(wildcard core/db/migrations/*.sql))
PG_MIGRATIONS = $(sort $(wildcard core/db/migrations/pg/*.sql))
build/gen/migrations.c: $(MIGRATIONS) $(PG_MIGRATIONS) Makefile
	@mkdir -p $(dir $@)
	@# a migration's version is its place in the list, so the files must be
	@# 001, 002, … without a gap: a gap (two branches merged) would apply a
	@# later file under an earlier number on instances already past it
	@i=0; for f in $(MIGRATIONS); do i=$$((i + 1)); n=$$(basename $$f .sql); \
	  [ "$$n" = "$$(printf '%03d' $$i)" ] || { echo "core/db/migrations: $$n.sql where $$(printf '%03d' $$i).sql belongs: number them without gaps" >&2; exit 1; }; done
	@i=0; for f in $(PG_MIGRATIONS); do i=$$((i + 1)); n=$$(basename $$f .sql); \
	  [ "$$n" = "$$(printf '%03d' $$i)" ] || { echo "core/db/migrations/pg: $$n.sql where $$(printf '%03d' $$i).sql belongs: number them without gaps" >&2; exit 1; }; done
	@{ echo '/* generated from core/db/migrations/NNN.sql and pg/NNN.sql: do not edit */'; \
	  for f in $(MIGRATIONS); do n=$$(basename $$f .sql); \
	    { cat $$f; printf '\0'; } | xxd -i -n migration_$$n | sed -e '/_len = /d' -e 's/^unsigned/static const unsigned/'; done; \
	  echo 'const char *const db_migrations[] = {'; \
	  for f in $(MIGRATIONS); do echo "  (const char *)migration_$$(basename $$f .sql),"; done; \
	  echo '};'; \
	  echo 'const int db_nmigrations = (int)(sizeof(db_migrations) / sizeof(db_migrations[0]));'; \
	  for f in $(PG_MIGRATIONS); do n=$$(basename $$f .sql); \
	    { cat $$f; printf '\0'; } | xxd -i -n pg_migration_$$n | sed -e '/_len = /d' -e 's/^unsigned/static const unsigned/'; done; \
	  echo 'const char *const db_pg_migrations[] = {'; \
	  for f in $(PG_MIGRATIONS); do echo "  (const char *)pg_migration_$$(basename $$f .sql),"; done; \
	  echo '  0};'; \
	  echo 'const int db_pg_nmigrations = (int)(sizeof(db_pg_migrations) / sizeof(db_pg_migrations[0])) - 1;'; \
	} > $@
# the portal's static files (core/web/static.h), each named with its hash:
# name, name without the hash, URL, bytes
STATIC_FILES = $(sort $(wildcard core/web/static/*))
build/gen/static_files.c: $(STATIC_FILES) Makefile
	@mkdir -p $(dir $@)
	@{ echo '/* generated from core/web/static/: do not edit */'; \
	  echo '#include "core/web/static.h"'; \
	  i=0; for f in $(STATIC_FILES); do xxd -i -n static_$$i <$$f | \
	    sed -e '/_len = /d' -e 's/^unsigned/static const unsigned/'; i=$$((i + 1)); done; \
	  echo 'const static_file static_files[] = {'; \
	  i=0; for f in $(STATIC_FILES); do n=$$(basename $$f); \
	    l=$$(echo "$$n" | sed -E 's/\.[0-9a-f]{12}(\.[a-z0-9]+)$$/\1/'); \
	    echo "  {\"$$n\", \"$$l\", \"/static/$$n\", static_$$i, sizeof(static_$$i)},"; \
	    i=$$((i + 1)); done; \
	  echo '};'; \
	  echo 'const size_t static_nfiles = sizeof(static_files) / sizeof(static_files[0]);'; \
	} > $@
# the documented configuration, which `itaku init` writes (NUL-terminated)
build/gen/conf_example.c: config/itaku.conf.example
	@mkdir -p $(dir $@)
	@{ echo '/* generated from config/itaku.conf.example: do not edit */'; \
	  { cat $<; printf '\0'; } | xxd -i -n conf_example | sed -e '/_len = /d' -e 's/^unsigned/const unsigned/'; \
	} > $@
# the shipped questionnaires, imported by `itaku init`
build/gen/%_xml.c: forms/questionnaires/%.xml
	@mkdir -p $(dir $@)
	@cd forms/questionnaires && xxd -i $*.xml > $(CURDIR)/$@

build/rel/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(REL_CFLAGS) -MMD -MP -c $< -o $@

build/asan/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC/SAN  $<"
	@$(CC) $(ASAN_CFLAGS) -MMD -MP -c $< -o $@

build/rel/libitaku.a: $(REL_OBJS)
	rm -f $@; ar rcs $@ $^
build/asan/libitaku.a: $(ASAN_OBJS)
	rm -f $@; ar rcs $@ $^

bin/itakud: build/rel/core/server/itakud.o build/rel/libitaku.a
bin/itaku: build/rel/core/cli/itaku.o build/rel/libitaku.a
bin/%:
	@mkdir -p bin
	$(CC) $(REL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

build/asan/bin/itakud: build/asan/core/server/itakud.o build/asan/libitaku.a
build/asan/bin/itaku: build/asan/core/cli/itaku.o build/asan/libitaku.a
build/asan/bin/%:
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_LDFLAGS) -o $@ $^ $(PKG_LIBS)

build/asan/tests/%: tests/unit/%.c tests/unit/testutil.h build/asan/libitaku.a
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) -o $@ $< build/asan/libitaku.a $(ASAN_LDFLAGS) $(PKG_LIBS) -lcmocka

# The test command of README.md: dependencies, build, unit tests under
# ASan+UBSan, then end-to-end tests against a real server (ASan build too).
check: deps-test deps-fuzz deps-browser
	@$(MAKE) --no-print-directory all unit pgschema e2e-backends pg-nodes browser fuzz-smoke

# the error table against the sources, the e2e cases and README.md, then
# the test binaries
unit: $(UNIT_BINS)
	@tests/lint/errors.py
	@tests/lint/config_keys.py
	@tests/lint/cli_flags.py
	@tests/unit/run.sh $(UNIT_BINS)

# the PostgreSQL migrations make sqlite's schema (tests/pg/test_schema.sh:
# a throwaway cluster, both built side by side and compared, ~20 s)
pgschema: deps-test
	@tests/pg/test_schema.sh

# The end-to-end suite on one backend: `make e2e` sqlite, `make e2e-pg`
# PostgreSQL (a throwaway cluster, tests/pg/cluster.sh); `make check` runs
# it on every backend of E2E_BACKENDS, one after the other.
E2E_BACKENDS ?= sqlite postgresql
e2e: all build/asan/bin/itakud build/asan/bin/itaku
	@ITAKU_E2E_BACKEND=sqlite ITAKUD=build/asan/bin/itakud ITAKU=build/asan/bin/itaku tests/e2e/run.sh

e2e-pg: all build/asan/bin/itakud build/asan/bin/itaku
	@ITAKU_E2E_BACKEND=postgresql ITAKUD=build/asan/bin/itakud ITAKU=build/asan/bin/itaku tests/e2e/run.sh

# two itakud on one PostgreSQL behind nginx's stream balancer (tests/pg/twonode.sh)
pg-nodes: deps-test build/asan/bin/itakud build/asan/bin/itaku
	@ITAKUD=build/asan/bin/itakud ITAKU=build/asan/bin/itaku tests/pg/twonode.sh

e2e-backends: all build/asan/bin/itakud build/asan/bin/itaku
	@rc=0; for b in $(E2E_BACKENDS); do \
		ITAKU_E2E_BACKEND=$$b ITAKUD=build/asan/bin/itakud ITAKU=build/asan/bin/itaku tests/e2e/run.sh || rc=1; \
	done; exit $$rc

# The browser parts' node packages, exactly as the lock files say (no
# registry URLs in them: npm resolves the pinned versions by name and
# integrity); again only when a lock file changes.
%/node_modules/.package-lock.json: %/package-lock.json
	cd $* && npm ci --no-audit --no-fund --prefer-offline --loglevel=error
	@touch $@
NPM_STAMPS = core/web/js/node_modules/.package-lock.json tests/browser/node_modules/.package-lock.json

# Real-browser tests against the ASan itakud (tests/browser/run.sh).
browser: deps-browser build/asan/bin/itakud build/asan/bin/itaku $(NPM_STAMPS)
	@NODE=$$(tests/browser/node.sh) tests/browser/run.sh

# Rebuild the committed bundle core/web/static/portal.<hash>.js from
# core/web/js/ (after changing it or its lock file; commit the result).
bundle: core/web/js/node_modules/.package-lock.json
	@$$(tests/browser/node.sh) core/web/js/build.mjs

demo: deps
	@$(MAKE) --no-print-directory all
	@[ -f demo/itaku.conf ] || bin/itaku init demo --demo
	@config/demo.sh demo
	exec bin/itakud --config demo/itaku.conf

# The benchmarks (tests/bench/run.sh): each figure a ratio against a
# reference measured in the same run, the table written to BENCHMARKS.md.
# QUICK=1 for a fast run, BENCH="small upload" for some of them.
bench: deps-bench all
	QUICK=$(QUICK) BENCH="$(BENCH)" tests/bench/run.sh

# Fuzzing (tests/fuzz/README.md): the library built with clang and
# libFuzzer's coverage into build/fuzz/, one binary per target. `make fuzz`
# runs each target FUZZ_SECONDS (default 10 minutes) on its corpus in
# build/fuzz/corpus/; `make fuzz-smoke` 10 s each plus every regression input.
FUZZ_TARGETS = package answers questionnaire csr api_json config router zip_diff
FUZZ_SECONDS ?= 600
FUZZ_SMOKE_SECONDS ?= 10
FUZZ_CC = clang
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS = $(BASE_CFLAGS) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link
FUZZ_LDFLAGS = $(FUZZ_SAN)
# recursive (=): pkg-config runs after deps-fuzz has installed minizip
MINIZIP_CFLAGS = $(shell pkg-config --cflags minizip)
MINIZIP_LIBS = $(shell pkg-config --libs minizip)
FUZZ_OBJS = $(patsubst %.c,build/fuzz/%.o,$(LIB_SRCS) $(GEN_SRCS))
FUZZ_BINS = $(addprefix build/fuzz/bin/fuzz_,$(FUZZ_TARGETS))

build/fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC/FUZZ $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@
build/fuzz/libitaku.a: $(FUZZ_OBJS)
	rm -f $@; ar rcs $@ $^
build/fuzz/tests/fuzz/fuzz_zip_diff.o: tests/fuzz/fuzz_zip_diff.c
	@mkdir -p $(dir $@)
	@echo "  CC/FUZZ $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) $(MINIZIP_CFLAGS) -MMD -MP -c $< -o $@
build/fuzz/bin/fuzz_%: build/fuzz/tests/fuzz/fuzz_%.o build/fuzz/tests/fuzz/fuzz_util.o \
                       build/fuzz/libitaku.a
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lz \
	  $(if $(findstring zip_diff,$@),$(MINIZIP_LIBS))
# the seed generator: no libFuzzer main, the same instrumented library
build/fuzz/bin/mkseeds: build/fuzz/tests/fuzz/mkseeds.o build/fuzz/tests/fuzz/fuzz_util.o \
                        build/fuzz/libitaku.a
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -fsanitize=fuzzer-no-link $(FUZZ_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lz

fuzz-build: $(FUZZ_BINS) build/fuzz/bin/mkseeds
	@tests/fuzz/seeds.py build/fuzz/bin/mkseeds build/fuzz/seeds

# -j2: the clang build is most of the smoke run's time (2 cores)
fuzz: deps-fuzz
	@$(MAKE) --no-print-directory -j2 fuzz-build
	@nice -n 10 tests/fuzz/run.sh fuzz $(FUZZ_SECONDS) build/fuzz $(FUZZ_TARGETS)

fuzz-smoke: deps-fuzz
	@$(MAKE) --no-print-directory -j2 fuzz-build
	@tests/fuzz/run.sh smoke $(FUZZ_SMOKE_SECONDS) build/fuzz $(FUZZ_TARGETS)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/itaku
	install -m 0755 bin/itakud bin/itaku $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 config/itaku.conf.example config/itakud.service \
	        config/itaku-remind.service config/itaku-remind.timer config/itaku-remind.cron $(DESTDIR)$(PREFIX)/share/itaku/

C_FILES = $(foreach d,$(CORE_ROOMS) crypto forms exchange tests/fuzz tests/bench,$(wildcard $(d)/*.c $(d)/*.h)) \
          $(shell find tests/unit -name '*.[ch]' | sort)

lint: deps-lint $(GEN_SRCS)
	cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,performance,portability \
	  --inline-suppr --suppress=missingIncludeSystem -I. -Ibuild/gen crypto forms exchange core
	clang-tidy --quiet --extra-arg=-Wno-unknown-warning-option $(filter %.c,$(LIB_SRCS) $(ENTRY_SRCS)) -- $(BASE_CFLAGS)
	clang-format --dry-run --Werror $(C_FILES)
	@$(MAKE) --no-print-directory lint-layout
	@tests/lint/test_migrations.sh
	@tests/lint/migrations.py

# The rooms of core/ and the libraries' places (tests/lint/layout.py): each
# violation as file:line, then the count.
lint-layout:
	@tests/lint/test_layout.sh
	@python3 tests/lint/layout.py

format:
	clang-format -i $(C_FILES)

clean:
	rm -rf build bin

-include $(shell find build -name '*.d' 2>/dev/null)
