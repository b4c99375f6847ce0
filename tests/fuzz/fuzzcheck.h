// SPDX-License-Identifier: MIT
// What the fuzz targets share: a check that stops the fuzzer (or fails the corpus replay) with
// the broken invariant, and the model checks of the two trace readers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace interleave::core {
class TraceModel;
struct TraceData;
} // namespace interleave::core

namespace interleave::fuzz {

/// The corpus file being replayed (set by test_fuzz_replay), so a failed check names it.
inline const char *g_currentInput = nullptr;

[[noreturn]] inline void checkFailed(const char *condition, const char *what, const char *file, int line)
{
    std::fprintf(stderr, "%s:%d: fuzz invariant broken: %s (%s)%s%s\n", file, line, what, condition,
                 g_currentInput ? " on input " : "", g_currentInput ? g_currentInput : "");
    std::abort(); // libFuzzer keeps the input as a crash; the replay test fails
}

/// Queries every part of a loaded model and the analyses the views and summaries run on it, and
/// checks what the model promises (tiled states, intervals inside the trace, indexes in range).
void checkModel(const core::TraceModel &model);
/// Events index the thread table and have known types: what views index without checks.
void checkIndexes(const core::TraceData &data);

} // namespace interleave::fuzz

#define FUZZ_CHECK(condition, what)                                                                                    \
    do {                                                                                                               \
        if (!(condition))                                                                                              \
            ::interleave::fuzz::checkFailed(#condition, what, __FILE__, __LINE__);                                     \
    } while (0)
