# EventRouter: the Swift package, the C library and the Python package.
#
#   make test              everything: swift test, the C suites (with valgrind), the Python suite and the server suite
#   make lib               .build/capi/lib/libeventrouter.so (release, static Swift runtime, only evr_* exported)
#   make test-swift        swift test
#   make test-c            header, symbols, C API suite, threads, example, documentation examples, valgrind
#   make test-python       pip install ./bindings/python into a fresh venv, then pytest
#   make test-server       eventrouter-server (Server/, release): its Swift tests, then boto3 + aws CLI tests (pytest, fresh venv)
#   make bench-c           match throughput through the C API
#   make install           PREFIX=/usr/local DESTDIR= : the library, eventrouter.h, eventrouter.pc
#
# Variables: SWIFT, CC, CXX, PYTHON, VALGRIND (set VALGRIND= to skip the valgrind run), PREFIX, DESTDIR.

SWIFT    ?= swift
CC       ?= cc
CXX      ?= c++
PYTHON   ?= python3
VALGRIND ?= valgrind
PREFIX   ?= /usr/local
LIBDIR   ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include

VERSION  := $(shell sed -n 's/^\#define EVR_VERSION_STRING "\(.*\)"/\1/p' include/eventrouter.h)
SOVERSION := $(firstword $(subst ., ,$(VERSION)))

OUT      := .build/capi
LIB      := $(OUT)/lib/libeventrouter.so
SWIFT_RELEASE_LIB := .build/release/libEventRouterC.so
JANSSON_CFLAGS = $(shell pkg-config --cflags jansson 2>/dev/null)
JANSSON_LIBS   = $(shell pkg-config --libs jansson 2>/dev/null || echo -ljansson)
CWARN    := -Wall -Wextra -pedantic -Werror
LINK_LIB := -L$(OUT)/lib -leventrouter -Wl,-rpath,$(CURDIR)/$(OUT)/lib

.PHONY: all lib test test-swift test-c test-python test-server bench-c install uninstall clean-capi FORCE

all: lib

# ---------------------------------------------------------------------------- the library

# SwiftPM decides what is stale; this rule always asks it (a no-op build takes a few seconds).
$(SWIFT_RELEASE_LIB): FORCE
	$(SWIFT) build -c release --product EventRouterC -Xswiftc -static-stdlib \
	    -Xlinker --version-script=$(CURDIR)/include/eventrouter.map \
	    -Xlinker -soname=libeventrouter.so.$(SOVERSION)

$(LIB): $(SWIFT_RELEASE_LIB)
	@mkdir -p $(OUT)/lib
	strip --strip-unneeded -o $@.tmp $(SWIFT_RELEASE_LIB)
	@# No RUNPATH into the toolchain: the library must stand alone.
	@if readelf -d $@.tmp | grep -q 'RUNPATH\|RPATH'; then \
	    if command -v patchelf >/dev/null; then patchelf --remove-rpath $@.tmp; fi; fi
	mv -f $@.tmp $@
	ln -sf libeventrouter.so $(OUT)/lib/libeventrouter.so.$(SOVERSION)
	sed -e 's|@PREFIX@|$(CURDIR)/$(OUT)|; s|@LIBDIR@|$(CURDIR)/$(OUT)/lib|; s|@INCLUDEDIR@|$(CURDIR)/include|; s|@VERSION@|$(VERSION)|' \
	    include/eventrouter.pc.in > $(OUT)/lib/eventrouter.pc

lib: $(LIB)

# ---------------------------------------------------------------------------- tests

test: test-swift test-c test-python test-server

test-swift:
	$(SWIFT) test

test-c: lib
	bash Tests/C/run.sh

test-python: lib
	PYTHON=$(PYTHON) bash bindings/python/run-tests.sh

# The HTTP server (its own package, Server/): Swift tests, then pytest with boto3 and the aws CLI.
test-server:
	SWIFT=$(SWIFT) PYTHON=$(PYTHON) bash Server/run-tests.sh

# Match throughput through the C API (release library), one JSON line per configuration.
bench-c: lib
	@mkdir -p $(OUT)/bench
	$(CC) -std=c99 $(CWARN) -O2 -pthread -Iinclude Benchmarks/c/match_bench.c -o $(OUT)/bench/match_bench $(LINK_LIB)
	$(OUT)/bench/match_bench

# ---------------------------------------------------------------------------- install

install: lib
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)
	install -m 0755 $(LIB) $(DESTDIR)$(LIBDIR)/libeventrouter.so.$(VERSION)
	ln -sf libeventrouter.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libeventrouter.so.$(SOVERSION)
	ln -sf libeventrouter.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libeventrouter.so
	install -m 0644 include/eventrouter.h $(DESTDIR)$(INCLUDEDIR)/eventrouter.h
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCLUDEDIR@|$(INCLUDEDIR)|; s|@VERSION@|$(VERSION)|' \
	    include/eventrouter.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/eventrouter.pc

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/libeventrouter.so $(DESTDIR)$(LIBDIR)/libeventrouter.so.$(SOVERSION) \
	    $(DESTDIR)$(LIBDIR)/libeventrouter.so.$(VERSION) $(DESTDIR)$(INCLUDEDIR)/eventrouter.h \
	    $(DESTDIR)$(LIBDIR)/pkgconfig/eventrouter.pc

clean-capi:
	rm -rf $(OUT)
