# mcbench - the two commands a newcomer needs: `make run` and `make test`.
# Both install missing Debian packages first (tools/install-deps.sh), then configure and
# build with CMake. `make test` runs the suite twice: a normal -Werror build and an
# AddressSanitizer + UndefinedBehaviorSanitizer build.

BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS ?=
SOURCES     = $(wildcard $(shell git ls-files --cached --others --exclude-standard '*.c' '*.h'))

.PHONY: all build run test test-asan deps deps-test docs bench format format-check install clean

all: build

deps:
	@tools/install-deps.sh build

deps-test:
	@tools/install-deps.sh test

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

test-asan:
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DMCB_WERROR=ON -DMCB_SANITIZE=ON $(CMAKE_ARGS)
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS)

# Benchmarks report numbers; they are not part of `make test`.
bench: build
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
	rm -rf $(BUILD) $(ASAN_BUILD)
