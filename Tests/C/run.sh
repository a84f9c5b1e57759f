#!/usr/bin/env bash
# The C test suites (`make test-c` runs this after `make lib`):
#   header (C99 and C++, strict), exported symbols == header, pkg-config, self-containment,
#   the API suite with the conformance fixtures, threads, the example, the documentation's
#   examples, install (PREFIX/DESTDIR), and valgrind over the API suite (no definite leaks).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
LIBDIR=$ROOT/.build/capi/lib
OUT=$ROOT/.build/capi/tests
mkdir -p "$OUT"
CC=${CC:-cc}
CXX=${CXX:-c++}
VALGRIND=${VALGRIND-valgrind}
STRICT="-Wall -Wextra -pedantic -Werror"
LINK="-L$LIBDIR -leventrouter -Wl,-rpath,$LIBDIR"
JANSSON="$(pkg-config --cflags --libs jansson 2>/dev/null || echo -ljansson)"
passed=0
failed=0
step() { echo "== $*"; }
ok() { echo "ok   $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }

[ -f "$LIBDIR/libeventrouter.so" ] || { echo "run 'make lib' first" >&2; exit 2; }

step "header: C99 and C++, -Wall -Wextra -pedantic -Werror"
if $CC -std=c99 $STRICT -Iinclude Tests/C/header_test.c -o "$OUT/header_c" $LINK && "$OUT/header_c"; then ok header-c99; else fail header-c99; fi
if $CXX -std=c++11 $STRICT -x c++ -Iinclude Tests/C/header_test.c -o "$OUT/header_cxx" $LINK && "$OUT/header_cxx"; then ok header-c++11; else fail header-c++11; fi
if $CXX -std=c++17 $STRICT -x c++ -Iinclude -fsyntax-only Tests/C/header_test.c; then ok header-c++17; else fail header-c++17; fi

step "exported symbols == the header's declarations"
# Function declarations: `evr_name(` outside comments, not the function-pointer typedefs.
sed -e 's://.*$::' include/eventrouter.h | tr '\n' ' ' | sed -e 's:/\*[^*]*\*\+\([^/*][^*]*\*\+\)*/: :g' \
    | grep -o '[a-z_]*evr_[a-z0-9_]* *(' | grep -v '(\*' | tr -d ' (' | sort -u > "$OUT/declared.txt"
nm -D --defined-only "$LIBDIR/libeventrouter.so" | awk '$2 ~ /^[A-Z]$/ {print $3}' | sort -u > "$OUT/exported.txt"
if diff -u "$OUT/declared.txt" "$OUT/exported.txt"; then
    ok "symbols ($(wc -l < "$OUT/exported.txt") functions, nothing else exported)"
else
    fail symbols
fi
# The header and the library agree on the version.
hv=$(sed -n 's/^#define EVR_VERSION_STRING "\(.*\)"/\1/p' include/eventrouter.h)
if grep -q "static let string: StaticString = \"$hv\"" Sources/EventRouterC/Version.swift; then ok "version $hv"; else fail version; fi

step "self-contained: no Swift runtime needed at run time"
needed=$(readelf -d "$LIBDIR/libeventrouter.so" | sed -n 's/.*NEEDED.*\[\(.*\)\]/\1/p' | sort | tr '\n' ' ')
echo "     NEEDED: $needed"
if readelf -d "$LIBDIR/libeventrouter.so" | grep NEEDED | grep -q -i swift; then fail self-contained; else
    if ldd "$LIBDIR/libeventrouter.so" | grep -q -e swift -e 'not found'; then fail self-contained-ldd; else ok self-contained; fi
fi
echo "     size: $(stat -c %s "$LIBDIR/libeventrouter.so") bytes"

step "pkg-config"
if PKG_CONFIG_PATH=$LIBDIR pkg-config --exists eventrouter && \
   [ "$(PKG_CONFIG_PATH=$LIBDIR pkg-config --modversion eventrouter)" = "$hv" ]; then ok pkg-config; else fail pkg-config; fi

step "the C API suite (with the conformance fixtures)"
$CC -std=c99 $STRICT -O1 -g -Iinclude -DFIXTURES="\"$ROOT/Tests/Fixtures/conformance\"" Tests/C/test_api.c -o "$OUT/test_api" $LINK $JANSSON
if "$OUT/test_api"; then ok api-suite; else fail api-suite; fi

step "without the Swift toolchain: the API suite with /opt/swift hidden (root only)"
swift_dir=$(dirname "$(dirname "$(dirname "$(command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)")")")
empty=$(mktemp -d)
if [ "$(id -u)" -eq 0 ] && [ -d "$swift_dir" ] && [ "$swift_dir" != / ] && [ "$swift_dir" != /usr ] && unshare -m true 2>/dev/null; then
    if unshare -m sh -c "mount --bind '$empty' '$swift_dir' && [ -z \"\$(ls '$swift_dir')\" ] && '$OUT/test_api' > '$OUT/no-toolchain.out'"; then
        ok "no-toolchain ($swift_dir hidden)"
    else
        fail no-toolchain
    fi
else
    echo "     skipped (needs root and unshare)"
fi
rmdir "$empty"

step "threads: two matching, one changing rules"
$CC -std=c99 $STRICT -O1 -g -pthread -Iinclude Tests/C/test_threads.c -o "$OUT/test_threads" $LINK
if "$OUT/test_threads"; then ok threads; else fail threads; fi

step "Examples/c: built with pkg-config, run, output compared"
if PKG_CONFIG_PATH="$LIBDIR" make -s -C Examples/c clean all >/dev/null && \
   LD_LIBRARY_PATH=$LIBDIR Examples/c/route_events > "$OUT/example.out" && \
   diff -u Examples/c/route_events.expected "$OUT/example.out"; then ok example; else fail example; fi
make -s -C Examples/c clean >/dev/null

step "Documentation/C-API.md: every complete C example compiles and runs"
rm -rf "$OUT/doc" && mkdir -p "$OUT/doc"
awk -v dir="$OUT/doc" '
    /^```c$/ { n++; file = sprintf("%s/example%02d.c", dir, n); inside = 1; next }
    /^```/ { inside = 0; next }
    inside { print > file }' Documentation/C-API.md
doc_examples=0
for source in "$OUT"/doc/example*.c; do
    [ -e "$source" ] || continue
    grep -q 'int main' "$source" || continue
    doc_examples=$((doc_examples + 1))
    name=$(basename "$source" .c)
    if $CC -std=c99 $STRICT -Iinclude "$source" -o "$OUT/doc/$name" $LINK $JANSSON -pthread && \
       (cd "$ROOT" && "$OUT/doc/$name" > "$OUT/doc/$name.out"); then
        ok "doc-$name"
    else
        fail "doc-$name"
    fi
done
[ "$doc_examples" -ge 3 ] || fail "doc-examples (found $doc_examples)"

step "install: PREFIX and DESTDIR"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
make -s install PREFIX=/opt/evr DESTDIR="$stage" >/dev/null
if [ -f "$stage/opt/evr/lib/libeventrouter.so.$hv" ] && [ -L "$stage/opt/evr/lib/libeventrouter.so" ] && \
   [ -f "$stage/opt/evr/include/eventrouter.h" ] && grep -q '^prefix=/opt/evr$' "$stage/opt/evr/lib/pkgconfig/eventrouter.pc"; then
    ok install-destdir
else
    fail install-destdir
fi
make -s install PREFIX="$stage/prefix" >/dev/null
cat > "$stage/use.c" <<'C'
#include <eventrouter.h>
#include <stdio.h>
int main(void) { int m = 0; evr_status s = evr_pattern_test(&m, "{\"a\":[1]}", EVR_NTS, "{\"a\":1}", EVR_NTS, NULL); printf("%d %d\n", s, m); return s; }
C
if $CC -std=c99 $STRICT "$stage/use.c" -o "$stage/use" $(PKG_CONFIG_PATH="$stage/prefix/lib/pkgconfig" pkg-config --cflags --libs eventrouter) && \
   [ "$(env -u LD_LIBRARY_PATH LD_LIBRARY_PATH="$stage/prefix/lib" "$stage/use")" = "0 1" ]; then
    ok install-prefix-pkg-config
else
    fail install-prefix-pkg-config
fi

step "valgrind: the API suite, no definite leaks, no memory errors"
if [ -n "$VALGRIND" ] && command -v "$VALGRIND" >/dev/null; then
    if "$VALGRIND" -q --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite --error-exitcode=99 \
        "$OUT/test_api" > "$OUT/valgrind.out" 2> "$OUT/valgrind.err"; then
        ok valgrind
    else
        tail -40 "$OUT/valgrind.err"
        fail valgrind
    fi
    # No allocation per event: the heap allocation count is the same for 100 and 10,100 events.
    $CC -std=c99 $STRICT -O1 -Iinclude Tests/C/test_allocs.c -o "$OUT/test_allocs" $LINK
    allocs() { "$VALGRIND" "$OUT/test_allocs" "$1" 2>&1 >/dev/null | sed -n 's/.*total heap usage: \([0-9,]*\) allocs.*/\1/p' | tr -d ,; }
    few=$(allocs 100)
    many=$(allocs 10100)
    echo "     heap allocations: $few for 100 events, $many for 10,100 events"
    if [ -n "$few" ] && [ "$few" = "$many" ]; then ok no-allocation-per-event; else fail no-allocation-per-event; fi
else
    echo "     valgrind not installed: skipped (CI installs it)"
fi

echo "c: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
