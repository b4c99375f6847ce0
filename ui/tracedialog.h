// SPDX-License-Identifier: MIT
#pragma once

#include "scenarios/scenario.h"

#include <QDialog>
#include <QString>
#include <QStringList>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSettings;

namespace interleave::ui {

/// What a trace run runs: a program's argv and the folder it runs in (empty: the current one).
struct TraceCommand
{
    QStringList argv;
    QString cwd;

    /// The command line as people read it: "python3 deadlock.py" (arguments inside the folder
    /// relative to it, the program by its name, double quotes around a word with a space).
    QString display() const;
    /// The "trace" scenario's parameters as typed values: argv as a JSON array of strings, cwd.
    QList<QPair<QString, QString>> params() const;
    /// The command a trace run's parameters hold (argv empty when they hold none).
    static TraceCommand fromParams(const core::ParamValues &params);
    bool operator==(const TraceCommand &) const = default;
};

/// What the dialog's fields say, checked: the command, or one message per field that is wrong.
struct TraceFields
{
    QString program;   ///< a program on PATH, or a path to an executable or a .py script
    QString arguments; ///< one line, split as QProcess::splitCommand splits it (double quotes group words)
    QString folder;    ///< empty: the script's folder (or the current one for a program on PATH)

    /// Empty when the program field is fine, else why not ("there is no file …").
    QString programError() const;
    QString folderError() const;
    /// The command the fields give (meaningful only when both errors are empty): a .py script
    /// runs with python3; a file given by path is made absolute.
    TraceCommand command() const;
};

/// File > Trace a Program…: asks for a program or script, its arguments and its folder, with the
/// last commands traced to pick from again. The fields are checked as they are typed; OK is
/// enabled only when the command can start.
class TraceDialog : public QDialog
{
    Q_OBJECT
public:
    /// How many commands the recent list keeps.
    static constexpr int kRecentCount = 8;

    /// `settings`: where the recent list lives (nullptr: the application's QSettings).
    explicit TraceDialog(QSettings *settings = nullptr, QWidget *parent = nullptr);
    ~TraceDialog() override;

    TraceFields fields() const;
    void setFields(const TraceFields &fields);
    TraceCommand command() const { return fields().command(); }
    /// The messages beside the fields ("" when the field is fine).
    QString programMessage() const;
    QString folderMessage() const;
    bool acceptable() const;

    /// The recent commands in `settings`, newest first.
    static QList<TraceFields> recent(QSettings &settings);
    /// Puts `fields` first in the recent list of `settings` (once; at most kRecentCount kept).
    static void remember(QSettings &settings, const TraceFields &fields);

    void accept() override;

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void validate();
    void fillRecent();
    void browseProgram();
    void browseFolder();

    QSettings *m_settings = nullptr;
    QLabel *m_programLabel = nullptr;
    QLineEdit *m_program = nullptr;
    QPushButton *m_browseProgram = nullptr;
    QLabel *m_programError = nullptr;
    QLabel *m_argumentsLabel = nullptr;
    QLineEdit *m_arguments = nullptr;
    QLabel *m_folderLabel = nullptr;
    QLineEdit *m_folder = nullptr;
    QPushButton *m_browseFolder = nullptr;
    QLabel *m_folderError = nullptr;
    QLabel *m_preview = nullptr;
    QLabel *m_recentLabel = nullptr;
    QListWidget *m_recent = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace interleave::ui
