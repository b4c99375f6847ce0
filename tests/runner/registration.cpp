// SPDX-License-Identifier: MIT
// interleave-test-runner is app/main.cpp with this object linked beside it: the test-only
// scenarios are registered before main() runs, so `run torture-…`, the window's INTERLEAVE_TEST_RUN
// and the runner processes it starts (itself, see registerTestScenarios) all find them.
#include "torture.h"

namespace {

[[maybe_unused]] const bool registered = (interleave::core::registerTestScenarios(), true);

} // namespace
