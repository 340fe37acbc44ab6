# The two commands a new user needs (see README.md):
#   make test   build everything and run every test (both backends, sanitizers, models)
#   make bench  build in release mode and compare fuss with the system's pthreads
# Everything else is CMake; this file only picks build directories.

.DEFAULT_GOAL := all

JOBS      ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE     ?= cmake
CTEST     ?= ctest
BUILD     ?= build
GEN       := -DCMAKE_EXPORT_COMPILE_COMMANDS=ON

# check-glibc: glibc's NPTL tests (Debian glibc-source) plainly and under the
# drop-in (preload/glibc-tests/run.sh); test-glibc, part of make test: the
# same where glibc-source is installed, else one line saying it was skipped;
# check-openposix: the Open POSIX Test Suite's conformance tests of the same
# objects (Debian source package posixtestsuite, unpacked by apt-get source
# into /usr/src/openposix or OPENPOSIX_SRC) plainly and under the drop-in
# (preload/openposix-tests/run.sh); not part of make test, as it needs a
# deb-src entry.
# bench-preload: bench/preload.sh.
.PHONY: check-glibc test-glibc check-openposix bench-preload
check-glibc: all
	preload/glibc-tests/run.sh $(BUILD)/glibc-tests $(BUILD)/preload/libfuss-pthread.so

check-openposix: all
	preload/openposix-tests/run.sh $(BUILD)/openposix-tests $(BUILD)/preload/libfuss-pthread.so $(OPENPOSIX_SRC)

test-glibc: all
	@if ls /usr/src/glibc/glibc-*.tar.xz >/dev/null 2>&1; then \
	    preload/glibc-tests/run.sh $(BUILD)/glibc-tests $(BUILD)/preload/libfuss-pthread.so; \
	else echo "test-glibc: skipped: glibc-source not installed"; fi

bench-preload:
	$(CMAKE) -S . -B $(BUILD)-release -DCMAKE_BUILD_TYPE=Release $(GEN)
	$(CMAKE) --build $(BUILD)-release -j$(JOBS) --target fuss_pthread
	bench/preload.sh $(BUILD)-release/preload/libfuss-pthread.so

.PHONY: all test test-default test-tsan test-asan test-models bench soak fuzz install clean

all:
	$(CMAKE) -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(GEN)
	$(CMAKE) --build $(BUILD) -j$(JOBS)

test: test-default test-glibc test-tsan test-asan test-models
	@echo "make test: all suites passed"

test-default: all
	cd $(BUILD) && $(CTEST) --output-on-failure -j$(JOBS) --timeout 300

test-tsan:
	$(CMAKE) -S . -B $(BUILD)-tsan -DCMAKE_BUILD_TYPE=Debug -DFUSS_SANITIZE=thread $(GEN)
	$(CMAKE) --build $(BUILD)-tsan -j$(JOBS)
	cd $(BUILD)-tsan && $(CTEST) --output-on-failure -j$(JOBS) --timeout 300 -LE no-sanitizer

test-asan:
	$(CMAKE) -S . -B $(BUILD)-asan -DCMAKE_BUILD_TYPE=Debug -DFUSS_SANITIZE=address,undefined $(GEN)
	$(CMAKE) --build $(BUILD)-asan -j$(JOBS)
	cd $(BUILD)-asan && $(CTEST) --output-on-failure -j$(JOBS) --timeout 300 -LE no-sanitizer

test-models:
	@if [ -f models/Makefile ]; then $(MAKE) -C models; else echo "models: none yet"; fi

bench:
	$(CMAKE) -S . -B $(BUILD)-release -DCMAKE_BUILD_TYPE=Release $(GEN)
	$(CMAKE) --build $(BUILD)-release -j$(JOBS) --target fuss-bench
	$(BUILD)-release/bench/fuss-bench $(BENCH_ARGS)

# Each libFuzzer target for FUZZ_SECONDS (fuzz/README.md); crashes are left
# as crash-*/timeout-* files in $(BUILD)/fuzz.
FUZZ_SECONDS ?= 60
fuzz: all
	cd $(BUILD) && FUSS_FUZZ_SECONDS=$(FUZZ_SECONDS) $(CTEST) --output-on-failure -L fuzz \
	    --timeout $$(( $(FUZZ_SECONDS) + 120 ))

soak: all
	cd $(BUILD) && FUSS_TEST_SECONDS=60 FUSS_TEST_KILLS=10000 $(CTEST) --output-on-failure -L "stress|process" --timeout 3600

install: all
	$(CMAKE) --install $(BUILD) $(if $(PREFIX),--prefix $(PREFIX))

clean:
	rm -rf $(BUILD) $(BUILD)-tsan $(BUILD)-asan $(BUILD)-release
