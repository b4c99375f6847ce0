// SPDX-License-Identifier: MIT
// MainWindow's traced programs: File > Trace a Program…, and Run the Original Python, which traces
// the chapter's own script of the selected scenario beside its re-enactment.
#include "ui/mainwindow.h"
#include "ui/mainwindowimpl.h"

#include "scenarios/scenario.h"
#include "ui/code/codeview.h"
#include "ui/code/programsources.h"
#include "ui/parameterform.h"
#include "ui/tracedialog.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMessageBox>
#include <QProcess>
#include <QStyle>
#include <QTemporaryDir>

namespace interleave::ui {

using core::ScenarioRegistry;
using core::ScenarioTr;

namespace {

const core::Scenario *traceScenario()
{
    return ScenarioRegistry::instance().find(kTraceScenarioId);
}

/// The interpreter `python3` stands for. A version manager's shim (pyenv, asdf) is a shell script
/// that forks a dozen helpers before it execs Python: traced, they would fill the picture. The
/// interpreter is asked for its own path, so the script runs under the same Python, shim-free.
QString pythonInterpreter()
{
    const QString python = QStringLiteral("python3");
    QProcess ask;
    ask.start(python, {QStringLiteral("-c"), QStringLiteral("import sys; print(sys.executable)")});
    if (!ask.waitForFinished(5000) || ask.exitStatus() != QProcess::NormalExit || ask.exitCode() != 0) {
        ask.kill();
        ask.waitForFinished(1000);
        return python; // tracing it says what is wrong with it
    }
    const QString path = QString::fromLocal8Bit(ask.readAllStandardOutput()).trimmed();
    const QFileInfo info(path);
    return info.isAbsolute() && info.isExecutable() ? path : python;
}

bool isTraceRun(const core::RunRequest &request)
{
    return request.scenario && request.scenario->id() == std::string_view(kTraceScenarioId);
}

} // namespace

void MainWindow::createTraceActions()
{
    m_traceAction = new QAction(style()->standardIcon(QStyle::SP_FileDialogContentsView), QString(), this);
    m_traceAction->setObjectName(QStringLiteral("TraceProgramAction"));
    m_traceAction->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_T);
    connect(m_traceAction, &QAction::triggered, this, [this] {
        TraceDialog dialog(nullptr, this);
        if (dialog.exec() == QDialog::Accepted)
            traceProgram(dialog.command());
    });
    // Beside Run, with a look of its own: the same kind of start, of another program.
    m_pythonAction = new QAction(style()->standardIcon(QStyle::SP_MediaSeekForward), QString(), this);
    m_pythonAction->setObjectName(QStringLiteral("RunPythonAction"));
    connect(m_pythonAction, &QAction::triggered, this, [this] { runOriginalPython(); });
}

void MainWindow::retranslateTrace()
{
    m_traceAction->setText(tr("&Trace a Program..."));
    m_traceAction->setToolTip(
        tr("Run any program or Python script unchanged, with its processes, threads, locks and pipes recorded "
           "(Ctrl+Shift+T)"));
    m_pythonAction->setText(tr("Run the Original &Python"));
    m_pythonAction->setToolTip(
        tr("Trace the chapter's own Python script of this scenario with python3, so that its code and its threads "
           "show beside the C++ re-enactment (the GIL included)"));
}

void MainWindow::updateTraceControls(bool live)
{
    const core::Scenario *scenario = m_params->scenario();
    m_pythonAction->setEnabled(!live && scenario && !scenario->python().isEmpty());
    m_traceAction->setEnabled(!live); // as Run: Stop ends the run in progress first
    // The title says what runs: a traced program has no scenario title to show.
    const bool traced = m_session && isTraceRun(m_session->request());
    setWindowTitle(traced ? tr("%1 - Interleave").arg(runTitle(m_session->request()))
                          : tr("Interleave - processes and threads, seen at work"));
}

QString MainWindow::runTitle(const core::RunRequest &request)
{
    if (!request.scenario)
        return {};
    if (isTraceRun(request)) {
        const QString command = TraceCommand::fromParams(request.params).display();
        if (!command.isEmpty())
            return command;
    }
    return ScenarioTr::tr(request.scenario->title());
}

bool MainWindow::traceProgram(const TraceCommand &command)
{
    const core::Scenario *trace = traceScenario();
    if (!trace) {
        QMessageBox::warning(this, tr("Trace a Program"),
                             tr("Cannot trace %1: this build of Interleave has no \"trace\" scenario, which runs "
                                "programs under its recorder. Build the full project (or update it) and try again.")
                                 .arg(command.display()));
        return false;
    }
    core::ParamValues params;
    QString error;
    if (!ScenarioRegistry::resolveParams(*trace, command.params(), params, error)) {
        QMessageBox::warning(this, tr("Trace a Program"), tr("Cannot trace %1: %2").arg(command.display(), error));
        return false;
    }
    m_scriptScenario.clear();
    return startRun(*trace, params);
}

bool MainWindow::runOriginalPython()
{
    const core::Scenario *scenario = m_params->scenario();
    const QString python = scenario ? scenario->python() : QString();
    if (python.isEmpty())
        return false;
    const QString id = QLatin1String(scenario->id());
    // Not "<id>.py": queue.py or subprocess.py in the script's own folder would shadow the standard
    // module of that name, which the script imports (a hyphen makes a file no module can import).
    const QString name = QStringLiteral("chapter-") + id + QStringLiteral(".py");
    const core::Scenario *trace = traceScenario();
    if (!trace)
        return traceProgram({{QStringLiteral("python3"), name}, {}}); // says why not
    auto script = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/interleave-") + id +
                                                  QStringLiteral("-XXXXXX"));
    QFile file(script->filePath(name));
    if (!script->isValid() || !file.open(QIODevice::WriteOnly) || file.write(python.toUtf8()) < 0 || !file.flush()) {
        QMessageBox::warning(this, tr("Run the Original Python"),
                             tr("Cannot write the chapter's script to %1: %2")
                                 .arg(script->isValid() ? file.fileName() : QDir::tempPath(),
                                      script->isValid() ? file.errorString() : script->errorString()));
        return false;
    }
    file.close();
    const TraceCommand command{{pythonInterpreter(), file.fileName()}, script->path()};
    core::ParamValues params;
    QString error;
    if (!ScenarioRegistry::resolveParams(*trace, command.params(), params, error)) {
        QMessageBox::warning(this, tr("Run the Original Python"),
                             tr("Cannot trace %1: %2").arg(command.display(), error));
        return false;
    }
    if (!startRun(*trace, params, std::move(script)))
        return false;
    m_scriptScenario = id;
    return true;
}

QString MainWindow::originalPythonFolder() const
{
    return m_script ? m_script->path() : QString();
}

bool MainWindow::restartTrace()
{
    if (!m_session || !isTraceRun(m_session->request()))
        return false;
    if (!m_scriptScenario.isEmpty()) {
        // The chapter's script went with its run: write it again, for the scenario it came from.
        if (selectScenario(m_scriptScenario))
            runOriginalPython();
        return true;
    }
    const core::RunRequest last = m_session->request();
    startRun(*last.scenario, last.params);
    return true;
}

void MainWindow::releaseScript()
{
    if (!m_script)
        return;
    if (auto *code = qobject_cast<CodeView *>(view(QStringLiteral("code"))))
        code->keepSources();
    m_script.reset();
}

} // namespace interleave::ui
