# mcbench - the two commands a newcomer needs: `make run` and `make test`.
# Both install missing Debian packages first (tools/install-deps.sh), then configure and
# build with CMake. `make test` runs the suite twice: a normal -Werror build and an
# AddressSanitizer + UndefinedBehaviorSanitizer build, then runs each libFuzzer target
# for a few seconds (`make fuzz` runs them for longer).

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= compile values escape decode
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS ?=
SOURCES     = $(wildcard $(shell git ls-files --cached --others --exclude-standard '*.c' '*.h'))

.PHONY: all build run test test-asan test-fuzz fuzz fuzz-build deps deps-test deps-fuzz docs bench format format-check install clean

all: build

deps:
	@tools/install-deps.sh build

deps-test:
	@tools/install-deps.sh test

deps-fuzz:
	@tools/install-deps.sh fuzz

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_ARGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/app/mcbench play --private scenarios/examples/tour.mcb

test: deps-test
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMCB_WERROR=ON $(CMAKE_ARGS)
	cmake --build $(BUILD) -j $(JOBS)
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	$(MAKE) --no-print-directory test-asan
	$(MAKE) --no-print-directory test-fuzz

test-asan:
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DMCB_WERROR=ON -DMCB_SANITIZE=ON $(CMAKE_ARGS)
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS)

# The fuzz targets (tests/fuzz) are built by clang with libFuzzer, ASan and UBSan in their
# own build directory. No clang or libFuzzer runtime is an error, never a silent skip.
fuzz-build: deps-fuzz
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang -DMCB_FUZZ=ON $(CMAKE_ARGS)
	cmake --build $(FUZZ_BUILD) -j $(JOBS)

# A few seconds per target on its committed corpus (ctest in the fuzz build).
test-fuzz: fuzz-build
	cd $(FUZZ_BUILD) && ctest --output-on-failure -j $(JOBS)

# FUZZ_SECONDS per target (default 60), one after another; new inputs go to
# $(FUZZ_BUILD)/fuzz-<target>/new, a crash to $(FUZZ_BUILD)/fuzz-<target>/crash-*.
fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	  tests/fuzz/run.sh $(FUZZ_BUILD)/tests/fuzz/fuzz-$$t $(FUZZ_SECONDS) \
	    $(CURDIR)/$(FUZZ_BUILD)/fuzz-$$t || exit 1; \
	done

# Benchmarks report numbers; they are not part of `make test`. recv-capacity runs iperf 2
# and Node.js beside the core, so the test dependencies come first.
bench: deps-test build
	$(BUILD)/benchmarks/recv-capacity
	$(BUILD)/benchmarks/recv-flood
	$(BUILD)/benchmarks/send-rate
	benchmarks/tui-keys.sh $(BUILD)/app/mcbench

# The language reference and man page are generated from the command table.
docs: build
	$(BUILD)/app/mcbench help --markdown > docs/scenario-language.md
	$(BUILD)/app/mcbench help --man > docs/mcbench.5

format:
	clang-format -i $(SOURCES)

format-check:
	@clang-format --dry-run -Werror $(SOURCES) && echo "formatting OK"

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
