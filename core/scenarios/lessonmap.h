// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <functional>
#include <string_view>
#include <vector>

namespace interleave::core {

class Scenario;

/// Which line of the chapter's Python each line of a lesson's C++ re-enacts. A lesson line says
/// so with a trailing marker, `// py: with second:`, naming the Python line by its code (its
/// text without comment and indentation); the first Python line with that code is the match. A
/// marker ending in "..." names the first line that starts with the text before it.
/// The one map behind the --json deadlock cycle, the code panel and the code export.
class LessonMap
{
public:
    struct Marker
    {
        int cppLine = 0;    ///< 1-based
        QString code;       ///< the Python code the marker names
        int pythonLine = 0; ///< 1-based; 0 when no Python line has that code (a typo)
    };

    static LessonMap build(const QString &cpp, const QString &python);
    /// The map of a scenario's lesson (its embedded C++ and Python); empty if either is missing.
    static LessonMap of(const Scenario &scenario);

    /// The Python line that C++ line `cppLine` re-enacts, 0 if none.
    int pythonLine(int cppLine) const;
    const std::vector<Marker> &markers() const { return m_markers; }

private:
    std::vector<Marker> m_markers; ///< by cppLine
};

/// Whether a recorded call-site path names `repoPath` ("core/scenarios/deadlock.cpp"): the same
/// path, or a base name alone as traces recorded before paths were kept (`deadlock.cpp`).
bool sameSourceFile(std::string_view recorded, std::string_view repoPath);

/// The Python line of a call site in the lesson of scenario `id` (0 elsewhere, or for an unknown
/// id), for deadlockToJson.
std::function<int(std::string_view file, int line)> pythonLineOf(std::string_view id);

} // namespace interleave::core
