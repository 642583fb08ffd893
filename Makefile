# SIREN - one GNU Makefile.
#   make run      install what is missing, build, make the demo workspace, serve it
#   make check    install what is missing, build, run every test (plain and
#                 under ASan+UBSan), end with "N passed, N failed"
#   make asan     the sanitizer build only (build/asan/siren)
#   make fuzz     libFuzzer targets, FUZZ_SECONDS each (default 60)
#   make bench    the long benchmarks (bench/*)
#   make mutants  apply each one-line break of tools/mutants.txt to a copy of
#                 the tree in /tmp, run its tests: KILLED or SURVIVED
#   JOBS=N        compile steps and tests at a time in make check (default 2)
#   make lint     format drift, banned calls, stray html_raw, SQL outside *_sql[]
# SPDX-License-Identifier: AGPL-3.0-or-later

O        ?= build
CC       ?= gcc
CXX      ?= g++
PKGS     := sqlite3 libpq libsodium libmicrohttpd jansson gsl libutf8proc liboath libqrencode
VERSION  := 0.1.0

WARN     := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2 -Wvla -Wwrite-strings -Werror
HARDEN   := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
OPT      ?= -O2 -g
CFLAGS_ALL = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
             -DSIREN_VERSION='"$(VERSION)"' $(OPT) $(WARN) $(HARDEN) \
             $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -Isrc -I$(O)/gen \
             $(EXTRA_CFLAGS)
LDFLAGS_ALL = -pie -Wl,-z,relro,-z,now $(EXTRA_LDFLAGS)
LIBS     = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lglpk -lxlsxwriter -lzxcvbn -lkeyutils \
           -lphonenumber -lstdc++ -lm -lpthread
# the C++ of src/core/phone.cc (libphonenumber's interface is C++ only);
# vptr checks need the sanitizers' C++ runtime, which a C link leaves out
CXXFLAGS_ALL = -std=c++17 $(OPT) -Wall -Wextra -Wshadow -Werror $(HARDEN) -Isrc \
               $(if $(findstring undefined,$(OPT)),-fno-sanitize=vptr) $(EXTRA_CFLAGS)

SRC_DIRS := core base hotline referral cases justice stats stats/num render cli web demo
LIB_SRC  := $(foreach d,$(SRC_DIRS),$(wildcard src/$(d)/*.c))
LIB_CXX  := $(foreach d,$(SRC_DIRS),$(wildcard src/$(d)/*.cc))
LIB_OBJ  := $(LIB_SRC:%.c=$(O)/%.o) $(LIB_CXX:%.cc=$(O)/%.o) $(O)/gen/embedded.o $(O)/gen/lists.o
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(O)/tests/%)
FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)
REPLAY_BIN := $(FUZZ_SRC:fuzz/fuzz_%.c=$(O)/fuzz/replay_%)
EMBED_IN := $(sort $(wildcard db/migrations/*.sql db/pg/*.sql po/*.po po/*/*.po web/*.css web/*.js \
              web/*.svg data/*.txt data/*.tsv docs/api.md))
# the value lists, one file per module that owns lists (tools/lists-gen)
LISTS_IN := $(sort $(wildcard data/lists/*/*.tsv))

.PHONY: all run demo check check-bins test unit asan asan-bins fuzz fuzz-bins \
        bench lint fmt deps deps-test clean mutants print-libs
all: siren

siren: $(O)/siren
	@if [ "$(O)" = build ]; then cp $(O)/siren siren.tmp && mv -f siren.tmp siren; fi

$(O)/siren: $(O)/src/main.o $(O)/libsiren.a
	$(CC) $(CFLAGS_ALL) $(LDFLAGS_ALL) -o $@ $^ $(LIBS)

$(O)/libsiren.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# lists.h is order-only: the first build needs it before any compile,
# later ones learn which objects include it from their .d files
$(O)/%.o: %.c $(O)/gen/embedded.h | $(O)/gen/lists.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

$(O)/%.o: %.cc
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS_ALL) -MMD -MP -c -o $@ $<

$(O)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_POSIX_C_SOURCE=200809L -O1 -Wall -Wextra -Werror -o $@ $<

$(O)/gen/embedded.h $(O)/gen/embedded.c &: $(O)/tools/embed $(EMBED_IN)
	@mkdir -p $(O)/gen
	$(O)/tools/embed $(O)/gen/embedded $(EMBED_IN)

$(O)/gen/embedded.o: $(O)/gen/embedded.c
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(O)/gen/lists.h $(O)/gen/lists.c &: tools/lists-gen $(LISTS_IN)
	@mkdir -p $(O)/gen
	tools/lists-gen $(O)/gen/lists $(LISTS_IN)

$(O)/gen/lists.o: $(O)/gen/lists.c $(O)/gen/lists.h
	$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

$(O)/tests/%: tests/%.c $(O)/libsiren.a $(wildcard tests/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests $(LDFLAGS_ALL) -o $@ $< $(O)/libsiren.a $(LIBS)

# a plain main() replaying a fuzz target's corpus and crash inputs
$(O)/fuzz/replay_%: fuzz/fuzz_%.c fuzz/replay.c $(O)/libsiren.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(LDFLAGS_ALL) -o $@ $< fuzz/replay.c $(O)/libsiren.a $(LIBS)

# a libFuzzer binary (O=build/fuzz, see the fuzz target)
$(O)/fuzz/fuzz_%: fuzz/fuzz_%.c $(O)/libsiren.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -fsanitize=fuzzer $(LDFLAGS_ALL) -o $@ $< $(O)/libsiren.a $(LIBS)

-include $(LIB_OBJ:.o=.d) $(O)/src/main.d

deps:
	@tools/install-deps build

deps-test:
	@tools/install-deps test

run: deps
	$(MAKE) -j$$(nproc) siren
	tools/run-demo

# Unit, CLI and HTTP tests against the binary in $(O).
unit: $(O)/siren $(TEST_BIN) $(REPLAY_BIN)
	@tools/run-tests $(O) unit

test: unit

# JOBS compile steps and tests at a time (the plain, ASan and fuzz builds
# share one job server)
JOBS ?= 2
check: deps-test
	$(MAKE) -j$(JOBS) check-bins
	@JOBS=$(JOBS) tools/run-tests build all build/asan

check-bins: siren $(TEST_BIN) $(REPLAY_BIN) asan-bins fuzz-bins

# one-line breaks of the code that the tests must catch (tools/mutants.txt);
# not part of make check
mutants:
	@tools/mutants

asan:
	$(MAKE) asan-bins

asan-bins:
	$(MAKE) O=build/asan CC=clang CXX=clang++ \
	  OPT="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  HARDEN="-fPIE" build/asan/siren $(TEST_SRC:tests/%.c=build/asan/tests/%) \
	  $(FUZZ_SRC:fuzz/fuzz_%.c=build/asan/fuzz/replay_%)

fuzz-bins:
	$(MAKE) O=build/fuzz CC=clang CXX=clang++ \
	  OPT="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  HARDEN="-fPIE" $(FUZZ_SRC:fuzz/fuzz_%.c=build/fuzz/fuzz/fuzz_%)

fuzz: fuzz-bins
	@tools/run-fuzz $${FUZZ_SECONDS:-60}

# the libraries a program linked against build/libsiren.a needs (the
# benchmarks' generators: bench/cases-gen.c, bench/audit-gen.c)
print-libs:
	@echo $(LIBS)

bench: siren
	@for b in bench/*; do [ -x "$$b" ] && [ ! -d "$$b" ] && "$$b"; done; true

lint:
	@tools/lint

fmt:
	clang-format -i src/*.c $(foreach d,$(SRC_DIRS),src/$(d)/*.c src/$(d)/*.h) $(LIB_CXX) tests/*.c tests/*.h

clean:
	rm -rf build siren
