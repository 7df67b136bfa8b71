# Sanitizer builds (issue 16, "make the build prove it"), selected with
#   -DCOUNCIL_SANITIZE=address   AddressSanitizer + UndefinedBehaviorSanitizer,
#                                plus libFuzzer coverage so the same build
#                                directory also builds the fuzz targets (fuzz/)
#   -DCOUNCIL_SANITIZE=thread    ThreadSanitizer
# and Debian's clang (-DCMAKE_CXX_COMPILER=clang++): libFuzzer and the
# sanitizer runtimes come with clang (package libclang-rt-14-dev).
# scripts/run-sanitizers.sh configures, builds and runs both.
#
# Only our code is instrumented: Debian's gRPC, protobuf and Abseil are not.
# ASan and UBSan need nothing more; TSan is told about those libraries' locks
# and completion queues by sanitizers/tsan_library_sync.cc, linked below.
set(COUNCIL_SANITIZE "" CACHE STRING "Build with sanitizers: address (ASan+UBSan+fuzzer coverage) or thread (TSan); empty for none")
set_property(CACHE COUNCIL_SANITIZE PROPERTY STRINGS "" address thread)

if(COUNCIL_SANITIZE)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "COUNCIL_SANITIZE needs clang (libFuzzer is clang's): configure with -DCMAKE_CXX_COMPILER=clang++")
  endif()
  if(COUNCIL_SANITIZE STREQUAL "address")
    # -fno-sanitize-recover: every report stops the process, so a test or a
    # fuzz run cannot pass with a report in its log.
    set(COUNCIL_SANITIZER_FLAGS
      -fsanitize=address,undefined -fno-sanitize-recover=all
      -fsanitize=fuzzer-no-link)
  elseif(COUNCIL_SANITIZE STREQUAL "thread")
    set(COUNCIL_SANITIZER_FLAGS -fsanitize=thread)
  else()
    message(FATAL_ERROR "COUNCIL_SANITIZE must be address or thread, not '${COUNCIL_SANITIZE}'")
  endif()
  # -O1 keeps the tests fast enough while leaving stack traces readable.
  add_compile_options(${COUNCIL_SANITIZER_FLAGS} -fno-omit-frame-pointer -O1 -g)
  add_link_options(${COUNCIL_SANITIZER_FLAGS})
  # Keeps the gcc build's warnings as the gate: clang warns about other things
  # in files that are not this build's to change.
  if(COUNCIL_WERROR)
    message(STATUS "COUNCIL_SANITIZE: -Werror stays with the gcc build; off here")
    set(COUNCIL_WERROR OFF CACHE BOOL "" FORCE)
  endif()
endif()

if(COUNCIL_SANITIZE STREQUAL "thread")
  # Linked first into every target made after this point, so that its
  # definitions come before Abseil's and gRPC's in every process (see the
  # file for why).
  add_library(council_tsan_library_sync SHARED ${PROJECT_SOURCE_DIR}/sanitizers/tsan_library_sync.cc)
  link_libraries(council_tsan_library_sync)
endif()
