// SPDX-License-Identifier: MIT
#pragma once
// Test-only scenarios that try to break the engine on purpose: process storms, processes that
// refuse to die, a runner that crashes mid-write, a flood into a tiny log. They are never listed
// (no texts, nothing for students): ScenarioRegistry::find() returns them only when the
// environment says INTERLEAVE_TEST_SCENARIOS=1, which the runner inherits from its session.

#include <initializer_list>
#include <memory>
#include <vector>

namespace interleave::core {

class Scenario;
struct ParamSpec;

/// The environment variable that makes the test-only scenarios findable.
inline constexpr char kTestScenariosEnv[] = "INTERLEAVE_TEST_SCENARIOS";

/// "torture-storm", "torture-stubborn", "torture-crash" and "torture-flood".
std::vector<std::unique_ptr<Scenario>> makeTestScenarios();

/// Parameters of the test-only scenarios, untranslated on purpose: they are never shown.
/// An integer `name` in [min, max]; its label and help are its name.
ParamSpec testIntParam(const char *name, int def, int min, int max);
/// A choice `name` among `choices`, the first being the default.
ParamSpec testChoiceParam(const char *name, std::initializer_list<const char *> choices, const char *help);

/// The fault cases (torturefaults.cpp): a runner that segfaults while threads write, and a flood.
std::unique_ptr<Scenario> makeTortureCrashScenario();
std::unique_ptr<Scenario> makeTortureFloodScenario();

} // namespace interleave::core
