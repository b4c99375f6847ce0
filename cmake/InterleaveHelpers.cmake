# SPDX-License-Identifier: MIT
include_guard(GLOBAL)

# interleave_add_test(NAME name SOURCES a.cpp b.cpp LIBS lib... [UI])
# One GoogleTest executable, discovered test by test; UI tests run offscreen.
function(interleave_add_test)
    cmake_parse_arguments(T "UI" "NAME" "SOURCES;LIBS" ${ARGN})
    add_executable(${T_NAME} ${T_SOURCES})
    target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main)
    target_include_directories(${T_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/tests/support)
    # __FILE__ is repo-relative (see -fmacro-prefix-map), so tests find their data files from here.
    target_compile_definitions(${T_NAME} PRIVATE INTERLEAVE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
    # Every test program starts in the C locale whatever the machine's is, and the UI tests draw
    # offscreen (tests/support/testenvironment.cpp). Not through ENVIRONMENT: gtest_discover_tests
    # splits a list of variables into separate words, so only the first would be set.
    target_sources(${T_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/tests/support/testenvironment.cpp)
    if(T_UI)
        target_compile_definitions(${T_NAME} PRIVATE INTERLEAVE_TEST_OFFSCREEN=1)
    endif()
    gtest_discover_tests(${T_NAME} DISCOVERY_TIMEOUT 60 PROPERTIES ENVIRONMENT "INTERLEAVE_BIN=$<TARGET_FILE_DIR:${T_NAME}>"
                         TIMEOUT 300)
endfunction()
