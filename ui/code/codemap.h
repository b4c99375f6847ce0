// SPDX-License-Identifier: MIT
#pragma once
// Where each thread is in the code at a time, as plain data (no widgets): the call site of its
// last located event, and the line of the chapter's Python that this line re-enacts (the lesson's
// `// py:` markers), or else the print statement its last printed line came from.

#include "analysis/callsites.h"
#include "scenarios/lessonmap.h"
#include "trace/tracemodel.h"

#include <QRegularExpression>
#include <QString>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace interleave::ui {

/// A call site as core::SourceLocation reads it, with the file as the panel shows it.
struct SourceLocation
{
    QString file;
    int line = 0; ///< 1-based

    /// nullopt unless `text` ends in ":<positive number>" after a non-empty file name.
    static std::optional<SourceLocation> parse(const std::string &text);
};

/// Per thread, the call sites and printed lines, kept up to date with a growing model.
using CodeLocator = core::CallSiteIndex;

/// The print statements of the chapter's Python, as patterns that the lines they print match:
/// '%s' / '%d' / '{...}' placeholders and non-literal arguments match anything, the rest literally.
/// This is the only honest link from a C++ run to its Python: the same text printed.
class PythonPrints
{
public:
    struct Print
    {
        int line = 0;            ///< 1-based
        bool inFunction = false; ///< inside a def: not module-level code
        QRegularExpression pattern;
    };

    static PythonPrints parse(const QString &python);
    const std::vector<Print> &prints() const { return m_prints; }

    /// Lines of the prints that can have printed `text`. When several can, module-level code
    /// (which Python runs on the main thread) is preferred for a main thread and code in functions
    /// for any other thread; what is still tied is returned whole.
    std::vector<int> match(const QString &text, bool mainThread) const;

private:
    std::vector<Print> m_prints;
};

/// Where one thread is at a time.
struct CodeMark
{
    uint32_t thread = 0;
    uint32_t event = core::kNoEvent; ///< its last located event
    QString file;                    ///< as in the call site ("core/scenarios/balance.cpp")
    int line = 0;                    ///< 1-based, in `file`
    std::vector<int> pythonLines;    ///< the Python line(s) it is at (empty: none known)
    bool pythonAmbiguous = false;    ///< more than one print could have printed it
    bool pythonMapped = false;       ///< pythonLines come from the lesson map, not from a print
    QString next;                    ///< held by the scheduler: what it does when chosen ("load balance")
    QString key;                     ///< and the key that chooses it ("1"; "" past 9)
};

/// A thread the scheduler holds, as the code panel marks it: at the line of its next step (the
/// call it waits in), with the key that lets it go.
struct HeldStep
{
    uint32_t thread = 0;
    QString key;  ///< "1": the key that lets it go ("" past 9)
    QString next; ///< "load balance": its next step
    QString site; ///< that step's call site ("core/scenarios/lessons/race.cpp:21"), "" if unknown

    bool operator==(const HeldStep &) const = default;
};

/// The lesson map of the scenario shown, and the file it maps.
struct LessonLink
{
    core::LessonMap map;
    std::string file; ///< "core/scenarios/deadlock.cpp"
};

/// The marks of every thread alive at `t` (started, not ended) that has a located event by then.
/// Python: the line the lesson map gives for the thread's C++ line; failing that, the print that
/// produced the last line the thread printed.
std::vector<CodeMark> codeMarksAt(const core::TraceModel &model, const CodeLocator &locator, const PythonPrints &python,
                                  int64_t t, const LessonLink *lesson = nullptr);

/// Moves each held thread's mark to the line its next step is called from, where it waits (a
/// thread with no mark yet gets one), and says what that step is.
void placeHeldSteps(std::vector<CodeMark> &marks, const std::vector<HeldStep> &held, const LessonLink *lesson);

} // namespace interleave::ui
