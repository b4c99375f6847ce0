// SPDX-License-Identifier: MIT
// Linked into every test program: before main() the program's environment is made the same on
// every machine, so what a test reads (the program's messages, strerror) does not depend on the
// machine's locale. The interleave processes a test starts inherit it; a test that wants another
// language (tests/app/cli_test.cpp) gives its own child one.
#include <cstdlib>

namespace {

const bool g_pinned = [] {
    ::setenv("LC_ALL", "C.UTF-8", 1);
    ::unsetenv("LANGUAGE");
    ::unsetenv("LC_MESSAGES");
#ifdef INTERLEAVE_TEST_OFFSCREEN
    ::setenv("QT_QPA_PLATFORM", "offscreen", 0); // the UI tests draw without a display
#endif
    return true;
}();

} // namespace
