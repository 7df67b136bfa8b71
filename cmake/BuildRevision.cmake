# The source revision, captured when CMake configures (not on every build):
# `git describe`, or "unknown" when building from a tarball without .git. It
# goes into one small generated file (build_revision.cc), so a new revision
# recompiles that file and relinks, never the whole tree. configure_file
# rewrites it only when its text changes. Re-run cmake to pick up a new HEAD.
set(COUNCIL_SOURCE_REVISION "unknown")
find_package(Git QUIET)
if(GIT_FOUND AND EXISTS "${PROJECT_SOURCE_DIR}/.git")
  execute_process(
    COMMAND "${GIT_EXECUTABLE}" describe --tags --always --abbrev=12
    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
    OUTPUT_VARIABLE described
    OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE described_result
    ERROR_QUIET)
  if(described_result EQUAL 0 AND NOT described STREQUAL "")
    set(COUNCIL_SOURCE_REVISION "${described}")
  endif()
endif()
# A packager may pass the revision of the tarball it builds from.
if(DEFINED COUNCIL_REVISION_OVERRIDE AND NOT COUNCIL_REVISION_OVERRIDE STREQUAL "")
  set(COUNCIL_SOURCE_REVISION "${COUNCIL_REVISION_OVERRIDE}")
endif()
set(COUNCIL_BUILD_REVISION_CC "${PROJECT_BINARY_DIR}/generated/build_revision.cc")
configure_file("${PROJECT_SOURCE_DIR}/common/build_info/build_revision.cc.in"
               "${COUNCIL_BUILD_REVISION_CC}" @ONLY)
