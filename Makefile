# coffer: see README.md. `make` builds ./coffer; `make check` runs every test.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/coffer
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
DESTDIR ?=

CC ?= cc
# libgit2: headers only; lib/git2dyn.c loads it when a command needs git
PKGS = gpgme libgcrypt yaml-0.1 jansson
GIT2_CFLAGS = $(shell pkg-config --cflags libgit2 2>/dev/null)
CFLAGS ?= -O2 -g
WARN = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wvla -Wwrite-strings
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

%.o: %.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

tests/unit/%: tests/unit/%.c tests/unit/tap.h lib/libcoffer.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< lib/libcoffer.a $(LIBS)

deps:
	@scripts/deps.sh

unit: $(UNIT_BIN)

check: deps
	@$(MAKE) --no-print-directory all unit
	@scripts/check.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh

bench: deps
	@$(MAKE) --no-print-directory all
	@bench/run.sh
	@bench/members.sh

lint: coffer
	mandoc -Tlint -W warning man/*.[0-9]

completions: coffer
	completions/gen.sh

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 755 coffer $(DESTDIR)$(BINDIR)/coffer
	install -m 644 man/coffer.1 $(DESTDIR)$(MANDIR)/man1/coffer.1
	for f in man/*.5; do [ -f "$$f" ] && \
		install -m 644 "$$f" $(DESTDIR)$(MANDIR)/man5/ || true; done
	[ ! -f completions/coffer.bash ] || install -m 644 \
		completions/coffer.bash $(DESTDIR)$(BASHCOMPDIR)/coffer
	[ ! -f completions/_coffer ] || install -m 644 \
		completions/_coffer $(DESTDIR)$(ZSHCOMPDIR)/_coffer
	[ ! -f completions/coffer.fish ] || install -m 644 \
		completions/coffer.fish $(DESTDIR)$(FISHCOMPDIR)/coffer.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/coffer $(DESTDIR)$(MANDIR)/man1/coffer.1 \
		$(DESTDIR)$(MANDIR)/man5/coffer-*.5 \
		$(DESTDIR)$(BASHCOMPDIR)/coffer $(DESTDIR)$(ZSHCOMPDIR)/_coffer \
		$(DESTDIR)$(FISHCOMPDIR)/coffer.fish

clean:
	rm -f coffer lib/libcoffer.a lib/eff_wordlist.inc lib/*.o cli/*.o lib/*.d cli/*.d \
		$(UNIT_BIN) tests/unit/*.d

.PHONY: all check demo bench lint completions install uninstall clean deps unit

-include $(LIB_SRC:.c=.d) $(CLI_SRC:.c=.d)
