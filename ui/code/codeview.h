// SPDX-License-Identifier: MIT
#pragma once

#include "ui/code/codeeditor.h"
#include "ui/code/codemap.h"
#include "ui/traceview.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <map>
#include <set>
#include <vector>

class QLabel;
class QSplitter;
class QTabWidget;

namespace interleave::ui {

/// The code panel: the scenario's C++ that runs and the chapter's Python it re-enacts, side by
/// side, with each thread's current line marked in the thread's colour at the playhead.
///
/// C++: a thread is at the call site of its last recorded event that has one (primitives and the
/// lessons' lock guards record the lesson line that called them, by its path from the repository
/// root). A call site in another embedded scenario file (balance.cpp) opens that file in a tab;
/// the note under the code names every marked thread with its file:line, and says which are in
/// code not embedded (a library header). A traced program (scenario "trace") has no lesson: the
/// panel shows its own source files from disk instead, as its call sites name them. Python: a thread is at the line its
/// C++ line re-enacts (the lesson's `// py:` markers, core::LessonMap); where there is none, at the print statement
/// whose text matches the last line it printed.
class CodeView : public TraceView
{
    Q_OBJECT
public:
    explicit CodeView(QWidget *parent = nullptr);
    ~CodeView() override;

    QString title() const override;
    QString viewName() const override { return QStringLiteral("code"); }
    std::vector<LegendEntry> legend() const override;
    /// A deadlocked run's export shows where the threads are stuck: the moment it was detected
    /// (at the end every thread has been killed and nothing is marked).
    int64_t exportPlayhead() const override;
    /// Draws both sources around the marked lines, as vector text.
    void renderContent(QPainter &painter, const QSize &size) override;

    /// Where each thread is at the playhead.
    const std::vector<CodeMark> &marks() const { return m_marks; }
    /// The editor of an open C++ file (by its path, "core/scenarios/threads.cpp", or its name), or nullptr.
    CodeEditor *cppEditor(const QString &file) const;
    /// The file shown in the C++ pane now, by its path from the repository root.
    QString currentCppFile() const;
    CodeEditor *pythonEditor() const { return m_python; }
    /// The note under the code (threads in code not shown), "" when none.
    QString note() const;
    /// Reads every source file the trace names now, also while hidden: a traced program's files
    /// may go from disk when its run ends (Run the Original Python writes its script to a
    /// temporary folder), and the panel keeps what it read.
    void keepSources();
    /// The files shown, in tab order (a traced program's: most call sites first).
    QStringList files() const;
    /// The threads the scheduler holds in a paused run: at the end of the trace each is marked at
    /// its next step's line, with its key. Empty when nobody is held.
    void setHeldSteps(std::vector<HeldStep> held);

public Q_SLOTS:
    void refresh() override;

protected:
    void modelChanged() override;
    void playheadChanged() override;
    void themeChanged() override;
    void runInfoChanged() override;
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    struct CppFile
    {
        QString path; ///< from the repository root
        CodeEditor *editor = nullptr;
    };

    void sync();
    QString scenarioId() const;
    void loadSources();
    CodeEditor *openCpp(const QString &file);
    /// A traced program: opens the files its call sites name, most call sites first.
    void openProgramFiles();
    bool tracedProgram() const;
    void updateMarks();
    void retranslate();
    QString threadName(uint32_t thread) const;
    /// The heading of the exported left pane: what it is and which file.
    QString cppHeading() const;

    QSplitter *m_splitter = nullptr;
    QLabel *m_cppHeader = nullptr;
    QTabWidget *m_cppTabs = nullptr;
    QLabel *m_pythonHeader = nullptr;
    QLabel *m_pythonHow = nullptr;
    CodeEditor *m_python = nullptr;
    QLabel *m_note = nullptr;

    QString m_loadedScenario;
    bool m_loaded = false;
    std::vector<CppFile> m_files;
    std::set<QString> m_notEmbedded;
    std::map<QString, QString> m_unreadable; ///< a traced program's files that cannot be shown: why
    QString m_programFolder;                 ///< a traced program's working folder
    QJsonObject m_programParams;             ///< a traced program's run parameters (its argv and folder)
    bool m_userPickedTab = false;

    CodeLocator m_locator;
    PythonPrints m_prints;
    LessonLink m_lesson;
    std::vector<CodeMark> m_marks;
    std::vector<HeldStep> m_held;
    std::vector<QString> m_where;   ///< "Thread-1 core/scenarios/deadlock.cpp:62"
    std::vector<QString> m_outside; ///< the same, for threads in code not embedded
    bool m_dirty = true;
};

} // namespace interleave::ui
