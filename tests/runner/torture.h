// SPDX-License-Identifier: MIT
#pragma once
// Test-only scenarios that try to break the engine on purpose: process storms, processes that
// refuse to die, a runner that crashes mid-write, a flood into a tiny log. They are built only into
// the test programs, never into `interleave`: the tests that use them call registerTestScenarios(),
// and their runs go through `interleave-test-runner` (app/main.cpp with these registered).

#include <initializer_list>
#include <memory>

namespace interleave::core {

class Scenario;
struct ParamSpec;

/// Makes "torture-storm", "torture-stubborn", "torture-crash" and "torture-flood" findable (never
/// listed) in this process, once; unless $INTERLEAVE_RUNNER says otherwise, sets it to the
/// `interleave-test-runner` beside this program, so that runs started from here find them too.
void registerTestScenarios();

/// Parameters of the test-only scenarios, untranslated on purpose: they are never shown.
/// An integer `name` in [min, max]; its label and help are its name.
ParamSpec testIntParam(const char *name, int def, int min, int max);
/// A choice `name` among `choices`, the first being the default.
ParamSpec testChoiceParam(const char *name, std::initializer_list<const char *> choices, const char *help);

/// The fault cases (torturefaults.cpp): a runner that segfaults while threads write, and a flood.
std::unique_ptr<Scenario> makeTortureCrashScenario();
std::unique_ptr<Scenario> makeTortureFloodScenario();

} // namespace interleave::core
