// SPDX-License-Identifier: MIT
#pragma once
// The code panel's sources for a traced program (`interleave trace`, File > Trace a Program…):
// there is no lesson built in, so the panel shows the program's own files, read from disk as its
// call sites name them.

#include "scenarios/traceprogram.h"
#include "ui/code/codesyntax.h"

#include <QCoreApplication>
#include <QString>

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

class QTabWidget;
class QWidget;

namespace interleave::ui {

/// The hidden scenario that runs a program of the user's under the preloaded recorder.
using core::kTraceScenarioId;

/// One source file of the program as read from disk: its text, or why there is none.
struct ProgramFile
{
    QString path; ///< absolute
    QString text;
    QString error; ///< one line for the user; empty when `text` is the file
    CodeLanguage language = CodeLanguage::Cpp;
};

/// Plain functions of the traced program's sources (no widgets but the tab order), unit-tested.
struct ProgramSources
{
    Q_DECLARE_TR_FUNCTIONS(interleave::ui::ProgramSources)
public:
    /// Larger files are not shown: no program's own source is that big, and reading one would stall the window.
    static constexpr qint64 kMaxBytes = 4 << 20;

    /// A recorded call-site path as a file on disk: absolute as it is, relative to the run's folder.
    static QString resolve(const QString &recorded, const QString &cwd);
    /// Python for .py/.pyw files, C/C++ for everything else.
    static CodeLanguage languageOf(const QString &path);
    /// Reads `path` (absolute); a file that cannot be read gets one line saying why.
    static ProgramFile read(const QString &path);
    /// The files named by call sites, the one with most call sites first (ties by name).
    static std::vector<std::pair<std::string, size_t>> byCallSites(const std::map<std::string, size_t> &sites);
    /// Moves the tabs of `pages` to the front of `tabs` in that order (pages not in `tabs` are skipped).
    static void orderTabs(QTabWidget *tabs, const std::vector<QWidget *> &pages);
};

} // namespace interleave::ui
