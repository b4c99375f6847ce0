// SPDX-License-Identifier: MIT
// A traced program in the window: Run the Original Python asks for the right run, and the code
// panel shows the program's own files from disk.
#include "run/session.h"
#include "scenarios/scenario.h"
#include "trace/tracemodel.h"
#include "ui/code/codeview.h"
#include "ui/code/programsources.h"
#include "ui/mainwindow.h"
#include "ui/tracedialog.h"

#include "../core/trace/tracebuilder.h"
#include "uitest.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace interleave;
using core::EventType;
using core::testing::TraceBuilder;

namespace {

/// Stands in for the "trace" scenario where this build has none yet: the same parameters. Its
/// runs fail in the runner (which does not know it), after the window asked for them.
class FakeTraceScenario final : public core::Scenario
{
public:
    const char *id() const override { return ui::kTraceScenarioId; }
    const char *group() const override { return "Your programs"; }
    const char *title() const override { return "Trace a program"; }
    std::vector<core::ParamSpec> parameters() const override
    {
        return {{QStringLiteral("argv"), core::ParamSpec::Kind::Text, QStringLiteral("[]"), 0, 0, QStringList(),
                 "Program and arguments", "a JSON array"},
                {QStringLiteral("cwd"), core::ParamSpec::Kind::Text, QString(), 0, 0, QStringList(), "Working folder",
                 "where the program starts"}};
    }
    void run(core::ScenarioContext &) const override {}
    QJsonObject findings(const core::TraceModel &, const QJsonObject &) const override { return {}; }
};

void ensureTraceScenario()
{
    if (core::ScenarioRegistry::instance().find(ui::kTraceScenarioId))
        return;
    std::vector<std::unique_ptr<core::Scenario>> fake;
    fake.push_back(std::make_unique<FakeTraceScenario>());
    core::ScenarioRegistry::addUnlisted(std::move(fake));
}

QString readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

void writeFile(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly)) << path.toStdString();
    f.write(text);
}

} // namespace

TEST(TraceRun, RunTheOriginalPythonWritesTheChapterScriptAndTracesItThere)
{
    ui::testing::app();
    ensureTraceScenario();
    ui::MainWindow window;
    ASSERT_TRUE(window.selectScenario(QStringLiteral("deadlock")));
    auto *python = window.findChild<QAction *>(QStringLiteral("RunPythonAction"));
    ASSERT_NE(python, nullptr);
    EXPECT_TRUE(python->isEnabled());
    EXPECT_FALSE(python->toolTip().isEmpty());

    python->trigger();
    ASSERT_NE(window.session(), nullptr);
    const core::RunRequest &request = window.session()->request();
    EXPECT_STREQ(request.scenario->id(), "trace");
    const QString folder = window.originalPythonFolder();
    ASSERT_FALSE(folder.isEmpty());
    const QString script = folder + QStringLiteral("/chapter-deadlock.py");
    const ui::TraceCommand command = ui::TraceCommand::fromParams(request.params);
    // python3 as the interpreter names itself (a version manager's shim is not traced).
    ASSERT_EQ(command.argv.size(), 2);
    const QString interpreter = QFileInfo(command.argv[0]).fileName();
    EXPECT_TRUE(interpreter.startsWith(QStringLiteral("python3"))) << command.argv[0].toStdString();
    EXPECT_EQ(command.argv[1], script);
    EXPECT_EQ(command.cwd, folder);
    EXPECT_EQ(readAll(script), core::ScenarioRegistry::instance().find("deadlock")->python());
    // The title and the run's heading say what runs; a second start waits for this run to end.
    const QString title = interpreter + QStringLiteral(" chapter-deadlock.py");
    EXPECT_TRUE(window.windowTitle().contains(title)) << window.windowTitle().toStdString();
    EXPECT_EQ(window.views().front()->runInfo().title, title);
    EXPECT_TRUE(window.running());
    EXPECT_FALSE(python->isEnabled());
    auto *trace = window.findChild<QAction *>(QStringLiteral("TraceProgramAction"));
    ASSERT_NE(trace, nullptr);
    EXPECT_FALSE(trace->isEnabled()); // as Run: Stop first
    EXPECT_EQ(trace->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));

    // Over: the script's folder is gone, the button is back.
    window.stopRun();
    EXPECT_FALSE(window.running());
    EXPECT_FALSE(QDir(folder).exists());
    EXPECT_TRUE(window.originalPythonFolder().isEmpty());
    EXPECT_TRUE(python->isEnabled());
    EXPECT_TRUE(trace->isEnabled());
    // Restart writes the script again, in a new folder, and traces it again.
    window.restart();
    ASSERT_TRUE(window.running());
    EXPECT_STREQ(window.session()->request().scenario->id(), "trace");
    const QString again = window.originalPythonFolder();
    EXPECT_FALSE(again.isEmpty());
    EXPECT_TRUE(QFile::exists(again + QStringLiteral("/chapter-deadlock.py")));
    window.stopRun();
    EXPECT_FALSE(QDir(again).exists());

    // A scenario's own run afterwards is titled as before.
    ASSERT_TRUE(window.runScenario());
    EXPECT_EQ(window.views().front()->runInfo().title.contains(QStringLiteral("python3")), false);
    window.stopRun();
}

TEST(TraceRun, CodePanelShowsTheProgramsOwnFilesMostCallSitesFirst)
{
    ui::testing::app();
    QTemporaryDir dir;
    const QString main = dir.filePath(QStringLiteral("main.c"));
    const QString util = dir.filePath(QStringLiteral("util.py"));
    writeFile(main, QByteArray("#include <pthread.h>\n").repeated(20));
    writeFile(util, "import threading\nlock = threading.Lock()\nwith lock:\n    pass\n");
    writeFile(dir.filePath(QStringLiteral("lib/helper.c")), "int helper(void)\n{\n    return 1;\n}\n");

    TraceBuilder b;
    const uint32_t first = b.thread(10, 10);
    const uint32_t second = b.thread(10, 11);
    const uint32_t third = b.thread(10, 12);
    const std::string mainPath = main.toStdString();
    b.ev(first, 0, EventType::ThreadStart);
    b.ev(second, 0, EventType::ThreadStart);
    b.ev(third, 0, EventType::ThreadStart);
    b.ev(first, 1, EventType::SleepBegin).loc = b.str(mainPath + ":10");
    b.ev(first, 2, EventType::SleepEnd).loc = b.str(mainPath + ":12");
    b.ev(first, 3, EventType::SleepBegin).loc = b.str(mainPath + ":14");
    b.ev(second, 1, EventType::SleepBegin).loc = b.str(util.toStdString() + ":3");
    b.ev(second, 2, EventType::SleepEnd).loc = b.str(util.toStdString() + ":3");
    b.ev(second, 3, EventType::SleepBegin).loc = b.str("lib/helper.c:3"); // relative: to the run's folder
    b.ev(third, 1, EventType::SleepBegin).loc = b.str("/nonexistent-interleave/gone.c:5");
    b.ev(third, 2, EventType::SleepEnd).loc = b.str("<frozen importlib._bootstrap>:100");
    core::TraceModel model(std::move(b.data));
    model.update();

    ui::CodeView view;
    ui::RunInfo info;
    info.scenario = QLatin1String(ui::kTraceScenarioId);
    info.params = {{QStringLiteral("argv"), QStringLiteral(R"(["./main"])")}, {QStringLiteral("cwd"), dir.path()}};
    view.setRunInfo(info);
    view.setModel(&model);
    view.setPlayhead(TraceBuilder::ms(5));
    view.keepSources();

    const QStringList files = view.files();
    ASSERT_EQ(files.size(), 3) << files.join(QLatin1Char(' ')).toStdString();
    EXPECT_EQ(files.front(), main); // three call sites, the others one each
    EXPECT_TRUE(files.contains(util));
    EXPECT_TRUE(files.contains(dir.filePath(QStringLiteral("lib/helper.c"))));
    ui::CodeEditor *mainEditor = view.cppEditor(main);
    ASSERT_NE(mainEditor, nullptr);
    EXPECT_EQ(mainEditor->language(), ui::CodeLanguage::Cpp);
    ASSERT_EQ(mainEditor->marks().size(), 1u);
    EXPECT_EQ(mainEditor->marks().front().line, 14);
    EXPECT_EQ(mainEditor->marks().front().thread, first);
    ASSERT_NE(view.cppEditor(util), nullptr);
    EXPECT_EQ(view.cppEditor(util)->language(), ui::CodeLanguage::Python);
    ui::CodeEditor *helper = view.cppEditor(dir.filePath(QStringLiteral("lib/helper.c")));
    ASSERT_NE(helper, nullptr);
    ASSERT_EQ(helper->marks().size(), 1u);
    EXPECT_EQ(helper->marks().front().thread, second);

    // Each file that cannot be shown: one line saying so.
    const QStringList lines = view.note().split(QLatin1Char('\n'));
    EXPECT_EQ(lines.filter(QStringLiteral("/nonexistent-interleave/gone.c")).size(), 1) << view.note().toStdString();
    EXPECT_EQ(lines.filter(QStringLiteral("<frozen importlib._bootstrap>")).size(), 1) << view.note().toStdString();

    // Another program (other parameters): its own files, none of the first one's.
    QTemporaryDir otherDir;
    info.params = {{QStringLiteral("argv"), QStringLiteral(R"(["./other"])")},
                   {QStringLiteral("cwd"), otherDir.path()}};
    view.setRunInfo(info);
    view.keepSources();
    EXPECT_EQ(view.cppEditor(dir.filePath(QStringLiteral("lib/helper.c"))), nullptr);
    EXPECT_EQ(view.files().size(), 2); // lib/helper.c is not in the other folder
    EXPECT_EQ(view.note().split(QLatin1Char('\n')).filter(otherDir.filePath(QStringLiteral("lib/helper.c"))).size(), 1)
        << view.note().toStdString();
}

TEST(TraceRun, ProgramSourcesOrderAndResolveAsTheTraceNamesThem)
{
    const std::map<std::string, size_t> sites{{"/a.c", 1}, {"/b.py", 4}, {"/c.c", 2}, {"/d.c", 4}};
    const auto order = ui::ProgramSources::byCallSites(sites);
    ASSERT_EQ(order.size(), 4u);
    EXPECT_EQ(order[0].first, "/b.py");
    EXPECT_EQ(order[1].first, "/d.c");
    EXPECT_EQ(order[2].first, "/c.c");
    EXPECT_EQ(order[3].first, "/a.c");
    EXPECT_EQ(ui::ProgramSources::resolve(QStringLiteral("x/../y.c"), QStringLiteral("/w")), QStringLiteral("/w/y.c"));
    EXPECT_EQ(ui::ProgramSources::resolve(QStringLiteral("/abs/y.c"), QStringLiteral("/w")),
              QStringLiteral("/abs/y.c"));
    EXPECT_FALSE(ui::ProgramSources::read(QStringLiteral("/nonexistent-interleave/x.c")).error.isEmpty());
    // CPython's names of code without a file stay as they are, and say so.
    const QString frozen = QStringLiteral("<frozen importlib._bootstrap>");
    EXPECT_EQ(ui::ProgramSources::resolve(frozen, QStringLiteral("/w")), frozen);
    EXPECT_TRUE(ui::ProgramSources::read(frozen).error.contains(QStringLiteral("not a file")));
}
