# coffer: see README.md. `make` builds ./coffer; `make check` runs every test.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/coffer
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
DESTDIR ?=

# CC is make's own default (cc); `make CC=clang` overrides it.
# libgit2: headers only; lib/git2dyn.c loads it when a command needs git.
# A package pkg-config cannot find stops the build (target pkgs) before
# any compiler runs.
PKGS = gpgme libgcrypt yaml-0.1 jansson
GIT2_CFLAGS = $(shell pkg-config --cflags libgit2 2>/dev/null)
# the soname to dlopen, as the installed libgit2.so records it (or
# libgit2.so.MAJOR.MINOR, libgit2 1.x's rule, without objdump); its .pc
# file changes when libgit2 is upgraded, and git2dyn.o is rebuilt
GIT2_PC = $(shell pkg-config --variable=pcfiledir libgit2 2>/dev/null)/libgit2.pc
GIT2_SONAME := $(shell objdump -p \
	"$$(pkg-config --variable=libdir libgit2 2>/dev/null)/libgit2.so" \
	2>/dev/null | awk '$$1 == "SONAME" { print $$2 }')
ifeq ($(GIT2_SONAME),)
GIT2_SONAME := libgit2.so.$(shell pkg-config --modversion libgit2 2>/dev/null | cut -d. -f1,2)
endif
CFLAGS ?= -O2 -g
WARN = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wvla -Wwrite-strings -Wcast-qual
HARDEN = -D_FORTIFY_SOURCE=3 -fstack-protector-strong -fPIE
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -pthread \
	$(WARN) $(HARDEN) $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(GIT2_CFLAGS) \
	$(CFLAGS) -MMD -MP
ALL_LDFLAGS = -pie -pthread -Wl,-z,relro,-z,now $(LDFLAGS)
LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lzxcvbn -lm

ifeq ($(DEVELOPER),1)
ALL_CFLAGS += -Werror
endif
ifneq ($(SANITIZE),)
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-sanitize-recover=$(SANITIZE) \
	-fno-omit-frame-pointer
ALL_LDFLAGS += -fsanitize=$(SANITIZE)
endif

LIB_SRC = $(wildcard lib/*.c)
CLI_SRC = $(wildcard cli/*.c)
LIB_OBJ = $(LIB_SRC:.c=.o)
CLI_OBJ = $(CLI_SRC:.c=.o)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:.c=)

all: coffer

# a missing -dev package is named here, not as a missing header later
pkgs:
	@pkg-config --print-errors --exists $(PKGS) libgit2 || { \
		echo "coffer: missing libraries (above); scripts/deps.sh installs them" >&2; \
		exit 1; }

$(LIB_OBJ) $(CLI_OBJ) $(UNIT_BIN): | pkgs

coffer: $(CLI_OBJ) lib/libcoffer.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) lib/libcoffer.a $(LIBS)

lib/libcoffer.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $(LIB_OBJ)

# the passphrase words, compiled in: one C string per line
lib/eff_wordlist.inc: data/eff_large_wordlist.txt
	LC_ALL=C awk '$$2 !~ /^[a-z-]+$$/ { exit 1 } { printf "\"%s\",\n", $$2 }' \
		$< > $@.tmp && mv $@.tmp $@
lib/gen.o: lib/eff_wordlist.inc

lib/git2dyn.o: ALL_CFLAGS += -DGIT2DYN_SONAME='"$(GIT2_SONAME)"'
lib/git2dyn.o: $(wildcard $(GIT2_PC))

%.o: %.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# coffer with its fault points (lib/fault.h), for the crash tests only
FAULT_OBJ = $(addprefix tests/fault/,$(LIB_SRC:.c=.o) $(CLI_SRC:.c=.o))
tests/fault/%.o: %.c | pkgs
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -DCF_FAULTS -c -o $@ $<
tests/fault/lib/gen.o: lib/eff_wordlist.inc
tests/fault/lib/git2dyn.o: ALL_CFLAGS += -DGIT2DYN_SONAME='"$(GIT2_SONAME)"'
tests/fault/lib/git2dyn.o: $(wildcard $(GIT2_PC))
tests/coffer-faults: $(FAULT_OBJ)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(FAULT_OBJ) $(LIBS)

tests/unit/%: tests/unit/%.c tests/unit/tap.h lib/libcoffer.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< lib/libcoffer.a $(LIBS)

# deps: what building and the tests need; bench-deps adds hyperfine and
# pass, which only make bench uses
deps:
	@scripts/deps.sh

bench-deps:
	@scripts/deps.sh bench

unit: $(UNIT_BIN) tests/coffer-faults

# libFuzzer targets (tests/fuzz/README.md): the lib is built again with
# clang and the sanitizers into tests/fuzz/build/, apart from the normal
# build; `make fuzz` runs each target FUZZ_TIME seconds over its corpus
FUZZ_CC = clang
FUZZ_TIME ?= 10
FUZZ_DIR = tests/fuzz/build
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -pthread \
	$(WARN) $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(GIT2_CFLAGS) \
	-g -O1 -fno-omit-frame-pointer $(FUZZ_SAN) -MMD -MP
FUZZ_SRC = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN = $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_DIR)/%)
FUZZ_LIB_OBJ = $(LIB_SRC:lib/%.c=$(FUZZ_DIR)/lib/%.o)

$(FUZZ_DIR)/lib/%.o: lib/%.c | pkgs
	@mkdir -p $(FUZZ_DIR)/lib
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<
$(FUZZ_DIR)/lib/gen.o: lib/eff_wordlist.inc
$(FUZZ_DIR)/lib/git2dyn.o: FUZZ_CFLAGS += -DGIT2DYN_SONAME='"$(GIT2_SONAME)"'

$(FUZZ_DIR)/libcoffer.a: $(FUZZ_LIB_OBJ)
	rm -f $@
	ar rcs $@ $(FUZZ_LIB_OBJ)

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_DIR)/libcoffer.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< \
		$(FUZZ_DIR)/libcoffer.a $(LIBS)

fuzz-build: $(FUZZ_BIN)

fuzz: fuzz-build
	@tests/fuzz/run.sh $(FUZZ_TIME)

# in this order: what is missing, lint, build, tests
check:
	@scripts/deps.sh
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory all unit
	@scripts/check.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh

bench: bench-deps
	@$(MAKE) --no-print-directory all
	@bench/run.sh
	@bench/members.sh

lint:
	mandoc -Tlint -W warning man/*.[0-9]
	shellcheck -s bats tests/cli/*.bats tests/cli/helpers.bash
	shellcheck scripts/*.sh completions/gen.sh bench/*.sh .ci/run tests/fuzz/run.sh

completions: coffer
	completions/gen.sh

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 755 coffer $(DESTDIR)$(BINDIR)/coffer
	install -m 644 man/coffer.1 $(DESTDIR)$(MANDIR)/man1/coffer.1
	install -m 644 man/*.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 644 completions/coffer.bash $(DESTDIR)$(BASHCOMPDIR)/coffer
	install -m 644 completions/_coffer $(DESTDIR)$(ZSHCOMPDIR)/_coffer
	install -m 644 completions/coffer.fish \
		$(DESTDIR)$(FISHCOMPDIR)/coffer.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/coffer $(DESTDIR)$(MANDIR)/man1/coffer.1 \
		$(DESTDIR)$(MANDIR)/man5/coffer-*.5 \
		$(DESTDIR)$(BASHCOMPDIR)/coffer $(DESTDIR)$(ZSHCOMPDIR)/_coffer \
		$(DESTDIR)$(FISHCOMPDIR)/coffer.fish

clean:
	rm -f coffer lib/libcoffer.a lib/eff_wordlist.inc lib/*.o cli/*.o lib/*.d cli/*.d \
		$(UNIT_BIN) tests/unit/*.d tests/coffer-faults
	rm -rf tests/fault $(FUZZ_DIR)

.PHONY: all check demo bench lint completions install uninstall clean deps \
	bench-deps unit pkgs fuzz fuzz-build

-include $(LIB_SRC:.c=.d) $(CLI_SRC:.c=.d) $(UNIT_SRC:.c=.d) $(FAULT_OBJ:.o=.d)
-include $(FUZZ_LIB_OBJ:.o=.d) $(FUZZ_BIN:=.d)
