// SPDX-License-Identifier: MIT
#include "scenarios/scenario.h"
#include "trace/tracemodel.h"
#include "ui/code/codeeditor.h"
#include "ui/code/codemap.h"
#include "ui/code/codesyntax.h"
#include "ui/code/codeview.h"

#include "../core/scenarios/scenariorun.h"
#include "../core/trace/tracebuilder.h"
#include "uitest.h"

#include <QFile>
#include <QFontMetricsF>
#include <QImage>
#include <QLabel>
#include <QPainter>
#include <QRegularExpression>
#include <QScrollBar>
#include <QTextBlock>
#include <QTranslator>

#include <gtest/gtest.h>

#include <map>
#include <set>

using namespace interleave;
using core::EventType;
using core::testing::TraceBuilder;
using ui::CodeView;

namespace {

QStringList resourceLines(const QString &path)
{
    QFile f(path);
    EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << path.toStdString();
    return QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'));
}

QString pythonOf(const char *id)
{
    return core::ScenarioRegistry::instance().find(id)->python();
}

/// The test's own reading of "file:line": everything after the last colon is the line.
std::pair<std::string, int> splitLoc(const std::string &loc)
{
    const size_t colon = loc.rfind(':');
    return {loc.substr(0, colon), std::stoi(loc.substr(colon + 1))};
}

} // namespace

TEST(CodeMap, SourceLocationsParseFileAndLine)
{
    const auto a = ui::SourceLocation::parse("threads.cpp:42");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->file, QStringLiteral("threads.cpp"));
    EXPECT_EQ(a->line, 42);
    const auto b = ui::SourceLocation::parse("/usr/include/c++/12/bits/std_mutex.h:249");
    ASSERT_TRUE(b);
    EXPECT_EQ(b->file, QStringLiteral("/usr/include/c++/12/bits/std_mutex.h")); // the whole path: names can repeat
    const auto c = ui::SourceLocation::parse("core/scenarios/deadlock.cpp:62");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->file, QStringLiteral("core/scenarios/deadlock.cpp"));
    EXPECT_EQ(c->line, 62);
    EXPECT_EQ(b->line, 249);
    EXPECT_FALSE(ui::SourceLocation::parse(""));
    EXPECT_FALSE(ui::SourceLocation::parse("threads.cpp"));
    EXPECT_FALSE(ui::SourceLocation::parse("threads.cpp:"));
    EXPECT_FALSE(ui::SourceLocation::parse(":12"));
    EXPECT_FALSE(ui::SourceLocation::parse("a.cpp:0"));
    EXPECT_FALSE(ui::SourceLocation::parse("a.cpp:1x"));
}

TEST(CodeMap, PythonPrintsMatchTheLinesTheyPrint)
{
    const ui::PythonPrints threads = ui::PythonPrints::parse(pythonOf("threads"));
    EXPECT_EQ(threads.prints().size(), 5u);
    EXPECT_EQ(threads.match(QStringLiteral("thread LoopThread >>> 3"), false), std::vector<int>{9});
    // The same print text in loop() and at module level: module level runs on the main thread.
    EXPECT_EQ(threads.match(QStringLiteral("thread MainThread is running..."), true), std::vector<int>{13});
    EXPECT_EQ(threads.match(QStringLiteral("thread LoopThread is running..."), false), std::vector<int>{5});
    EXPECT_EQ(threads.match(QStringLiteral("thread LoopThread ended."), false), std::vector<int>{11});
    EXPECT_TRUE(threads.match(QStringLiteral("something else"), false).empty());

    const ui::PythonPrints fork = ui::PythonPrints::parse(pythonOf("fork"));
    EXPECT_EQ(fork.match(QStringLiteral("I am child process (123) and my parent is 100."), true), std::vector<int>{7});
    EXPECT_EQ(fork.match(QStringLiteral("I (100) just created a child process (123)."), true), std::vector<int>{9});
    EXPECT_EQ(fork.match(QStringLiteral("Process (100) start..."), true), std::vector<int>{3});

    // print(balance) has no literal text: it would match anything, so it is not a pattern.
    const ui::PythonPrints race = ui::PythonPrints::parse(pythonOf("race"));
    EXPECT_TRUE(race.prints().empty());

    const ui::PythonPrints other =
        ui::PythonPrints::parse(QStringLiteral("print(p.name, 'exit code', p.exitcode)  # comment\n"
                                               "def f():\n"
                                               "    print(f'{n} items, {{literal}}')\n"
                                               "print('100%% of %s' % x, end='')\n"
                                               "print('{} and {}'.format(a, b))\n"));
    EXPECT_EQ(other.match(QStringLiteral("worker-2 exit code -11"), true), std::vector<int>{1});
    EXPECT_EQ(other.match(QStringLiteral("7 items, {literal}"), false), std::vector<int>{3});
    EXPECT_EQ(other.match(QStringLiteral("100% of it"), true), std::vector<int>{4});
    EXPECT_EQ(other.match(QStringLiteral("x and y"), true), std::vector<int>{5});
    EXPECT_TRUE(other.prints()[1].inFunction);
    EXPECT_FALSE(other.prints()[2].inFunction);
}

TEST(CodeMap, WindowKeepsMarkedLinesInView)
{
    using ui::CodeWindow;
    EXPECT_EQ(CodeWindow::firstLine(100, 20, {}, 7), 7);
    EXPECT_EQ(CodeWindow::firstLine(100, 20, {10, 15}, 5), 5);  // already in view
    EXPECT_EQ(CodeWindow::firstLine(100, 20, {50, 55}, 1), 43); // centred: 50 - (20 - 6) / 2
    EXPECT_EQ(CodeWindow::firstLine(100, 20, {98}, 1), 81);     // clamped at the end
    EXPECT_EQ(CodeWindow::firstLine(100, 20, {10, 90}, 50), 6); // too far apart: the first, near the top
    EXPECT_EQ(CodeWindow::firstLine(10, 20, {9}, 3), 1);        // all fits
}

TEST(CodeMap, SyntaxFindsKeywordsStringsAndComments)
{
    bool inComment = false;
    const QString line = QStringLiteral("    return \"a // b\"; // done");
    const auto spans = ui::CodeSyntax::spans(line, ui::CodeLanguage::Cpp, inComment);
    ASSERT_EQ(spans.size(), 3u);
    EXPECT_EQ(spans[0].kind, ui::SyntaxSpan::Keyword);
    EXPECT_EQ(line.mid(spans[0].start, spans[0].length), QStringLiteral("return"));
    EXPECT_EQ(spans[1].kind, ui::SyntaxSpan::String);
    EXPECT_EQ(line.mid(spans[1].start, spans[1].length), QStringLiteral("\"a // b\""));
    EXPECT_EQ(spans[2].kind, ui::SyntaxSpan::Comment);
    EXPECT_EQ(line.mid(spans[2].start), QStringLiteral("// done"));

    ui::CodeSyntax::spans(QStringLiteral("int x; /* open"), ui::CodeLanguage::Cpp, inComment);
    EXPECT_TRUE(inComment);
    const auto closing = ui::CodeSyntax::spans(QStringLiteral("still */ int"), ui::CodeLanguage::Cpp, inComment);
    EXPECT_FALSE(inComment);
    ASSERT_EQ(closing.size(), 2u);
    EXPECT_EQ(closing[0].kind, ui::SyntaxSpan::Comment);
    EXPECT_EQ(closing[1].kind, ui::SyntaxSpan::Keyword);

    bool py = false;
    const auto python = ui::CodeSyntax::spans(QStringLiteral("def f(): # x"), ui::CodeLanguage::Python, py);
    ASSERT_EQ(python.size(), 2u);
    EXPECT_EQ(python[0].kind, ui::SyntaxSpan::Keyword);
    EXPECT_EQ(python[1].kind, ui::SyntaxSpan::Comment);
}

TEST(CodeMap, MarksFollowTheLastLocatedEventOfLiveThreads)
{
    TraceBuilder b;
    const uint32_t main = b.thread(10, 10);
    const uint32_t worker = b.thread(10, 11);
    const uint32_t here = b.str("threads.cpp:40");
    const uint32_t there = b.str("threads.cpp:52");
    b.ev(main, 0, EventType::ThreadStart);
    b.ev(main, 1, EventType::JoinWait, 11).loc = there;
    b.ev(worker, 1, EventType::ThreadStart);
    b.ev(worker, 2, EventType::SleepBegin).loc = here;
    b.ev(worker, 3, EventType::Output, b.str("thread LoopThread >>> 1"), 1); // no call site
    b.ev(worker, 5, EventType::SleepEnd).loc = here;
    b.ev(worker, 6, EventType::ThreadExit);
    b.ev(main, 7, EventType::JoinDone, 11).loc = there;
    core::TraceModel model(std::move(b.data));
    model.update();
    ui::CodeLocator locator;
    locator.update(model);
    const ui::PythonPrints prints = ui::PythonPrints::parse(pythonOf("threads"));

    const auto at4 = ui::codeMarksAt(model, locator, prints, TraceBuilder::ms(4));
    ASSERT_EQ(at4.size(), 2u);
    EXPECT_EQ(at4[0].thread, main);
    EXPECT_EQ(at4[0].line, 52);
    EXPECT_EQ(at4[1].thread, worker);
    EXPECT_EQ(at4[1].line, 40); // the Output after the sleep began has no call site
    EXPECT_EQ(at4[1].file, QStringLiteral("threads.cpp"));
    EXPECT_EQ(at4[1].pythonLines, std::vector<int>{9});
    // After the worker exited only main is left.
    const auto at6 = ui::codeMarksAt(model, locator, prints, TraceBuilder::ms(6));
    ASSERT_EQ(at6.size(), 1u);
    EXPECT_EQ(at6[0].thread, main);
    EXPECT_TRUE(ui::codeMarksAt(model, locator, prints, -1).empty());
}

TEST(CodeView, ThreadsRunMarksEachLiveThreadAtItsLastCallSite)
{
    ui::testing::app();
    auto run = core::testing::runScenario("threads", {{QStringLiteral("count"), QStringLiteral("3")},
                                                      {QStringLiteral("interval"), QStringLiteral("0.05")}});
    ASSERT_EQ(run.status(), core::RunStatus::Finished);
    const core::TraceModel &model = run.model();
    const auto &data = model.data();

    // A time inside the run: LoopThread's second sleep.
    int64_t playhead = core::kTimeMin;
    int sleeps = 0;
    for (const core::Event &e : data.events) {
        if (e.type == EventType::SleepBegin && ++sleeps == 2)
            playhead = e.time + 1;
    }
    ASSERT_NE(playhead, core::kTimeMin);

    CodeView view;
    view.resize(1200, 700);
    view.setModel(&model);
    view.setRunInfo({QStringLiteral("threads"), QString(), {}, {}, QStringLiteral("finished")});
    view.setPlayhead(playhead);
    view.show();
    view.refresh();

    // The panel shows the lesson alone, not the scenario's findings.
    const QStringList source = resourceLines(QStringLiteral(":/source/scenarios/lessons/threads.cpp"));
    ui::CodeEditor *editor = view.cppEditor(QStringLiteral("core/scenarios/lessons/threads.cpp"));
    ASSERT_NE(editor, nullptr);
    std::map<uint32_t, int> shown;
    for (const ui::LineMark &m : editor->marks())
        shown[m.thread] = m.line;

    int checked = 0;
    for (const core::ThreadRecord &t : model.threads()) {
        if (t.start > playhead || playhead >= t.end)
            continue;
        // The test's own search: the thread's last event at or before the playhead with a call site
        // (a Sample's loc holds the sampled pid, not a call site).
        const core::Event *last = nullptr;
        for (const core::Event &e : data.events) {
            if (e.thread == t.index && e.time <= playhead && e.loc != 0 && e.type != EventType::Sample &&
                (!last || e.time >= last->time))
                last = &e;
        }
        if (!last)
            continue; // e.g. the sampler, which records no call sites
        const auto [file, line] = splitLoc(data.string(last->loc));
        ASSERT_EQ(file, "core/scenarios/lessons/threads.cpp");
        ASSERT_TRUE(shown.count(t.index)) << model.threadName(t.index);
        EXPECT_EQ(shown[t.index], line) << model.threadName(t.index);
        EXPECT_EQ(editor->lineText(line), source.value(line - 1));
        ++checked;
    }
    EXPECT_EQ(checked, 2); // MainThread in join(), LoopThread in its sleep
    // The marked lines are what the threads do there.
    std::map<std::string, QString> byName;
    for (const auto &[thread, line] : shown)
        byName[model.threadName(thread)] = editor->lineText(line);
    EXPECT_TRUE(byName["LoopThread"].contains(QStringLiteral("sleepFor"))) << byName["LoopThread"].toStdString();

    // The line is tinted in the thread's colour.
    const ui::Theme &theme = view.theme();
    for (const QTextEdit::ExtraSelection &s : editor->extraSelections()) {
        const int line = s.cursor.block().blockNumber() + 1;
        bool matches = false;
        for (const ui::LineMark &m : editor->marks())
            matches = matches || (m.line == line && s.format.background().color() ==
                                                        ui::markTint(view.threadColor(m.thread), false, theme));
        EXPECT_TRUE(matches) << line;
    }
    EXPECT_FALSE(editor->extraSelections().isEmpty());

    // Python: the lesson's sleep line says which Python line it re-enacts, and both panes mark
    // LoopThread there; MainThread waits in t.join() in both.
    const QStringList python = pythonOf("threads").split(QLatin1Char('\n'));
    std::map<std::string, QString> pythonByName;
    for (const ui::LineMark &m : view.pythonEditor()->marks())
        pythonByName[model.threadName(m.thread)] = python.value(m.line - 1).trimmed();
    EXPECT_EQ(pythonByName["LoopThread"], QStringLiteral("time.sleep(1)"));
    EXPECT_EQ(pythonByName["MainThread"], QStringLiteral("t.join()"));
    core::testing::expectNothingLeft(run);
}

TEST(CodeView, LockRunMarksEveryStepOfAWorkerInItsLessonInBothPanes)
{
    ui::testing::app();
    auto run = core::testing::runScenario("lock", {{QStringLiteral("iterations"), QStringLiteral("200")}});
    ASSERT_EQ(run.status(), core::RunStatus::Finished);
    const core::TraceModel &model = run.model();
    const auto &data = model.data();

    CodeView view;
    view.resize(1200, 700);
    view.setModel(&model);
    view.setRunInfo({QStringLiteral("lock"), QString(), {}, {}, QStringLiteral("finished")});
    view.show();

    // Walk the playhead over Thread-1's events: every located one (lock, load, store, release) is
    // a line of the lesson, marked there, and its Python line is marked beside it. None is in a
    // library header (std::lock_guard's, before the lesson's own guards recorded the caller).
    uint32_t thread1 = core::kNoEvent;
    for (const core::ThreadRecord &t : model.threads())
        if (model.threadName(t.index) == "Thread-1")
            thread1 = t.index;
    ASSERT_NE(thread1, core::kNoEvent);
    const QString lessonFile = QStringLiteral("core/scenarios/lessons/lock.cpp");
    const QStringList lesson = resourceLines(QStringLiteral(":/source/scenarios/lessons/lock.cpp"));
    const QStringList python = pythonOf("lock").split(QLatin1Char('\n'));
    std::set<QString> pythonSeen;
    int located = 0;
    const auto &own = model.threadEvents(thread1);
    // Every event in turn (a stride would keep landing on the same step of the six-event loop).
    for (size_t i = 0; i < own.size() && (located < 30 || pythonSeen.size() < 4); ++i) {
        const core::Event &e = data.events[own[i]];
        if (e.loc == 0 || e.time >= model.thread(thread1).end)
            continue;
        // Events of equal time: the located one the view takes is the last of them.
        if (i + 1 < own.size() && data.events[own[i + 1]].time == e.time)
            continue;
        view.setPlayhead(e.time);
        const auto [file, line] = splitLoc(data.string(e.loc));
        if (file != lessonFile.toStdString()) { // a thread's start, say: never a library header
            EXPECT_TRUE(file.rfind("core/", 0) == 0) << file << ":" << line;
            continue;
        }
        ui::CodeEditor *editor = view.cppEditor(lessonFile);
        ASSERT_NE(editor, nullptr);
        bool found = false;
        for (const ui::LineMark &m : editor->marks())
            found = found || (m.thread == thread1 && m.line == line);
        EXPECT_TRUE(found) << line;
        EXPECT_EQ(editor->lineText(line), lesson.value(line - 1));
        for (const ui::LineMark &m : view.pythonEditor()->marks())
            if (m.thread == thread1)
                pythonSeen.insert(python.value(m.line - 1).trimmed());
        ++located;
    }
    EXPECT_GE(located, 10);
    for (const char *step : {"lock.acquire()", "balance = balance + n", "balance = balance - n", "lock.release()"})
        EXPECT_TRUE(pythonSeen.count(QLatin1String(step))) << step;
    EXPECT_FALSE(view.note().contains(QStringLiteral("std_mutex.h"))) << view.note().toStdString();
    core::testing::expectNothingLeft(run);
}

TEST(CodeView, AFinishedRunRestsOnTheLessonNotOnTheLicence)
{
    ui::testing::app();
    EXPECT_EQ(ui::CodeEditor::codeStart(QStringLiteral("// SPDX\n#include \"x.h\"\n\nnamespace a {\n\nvoid f()\n")), 6);
    EXPECT_EQ(ui::CodeEditor::codeStart(QStringLiteral("// only a comment")), 1);

    // Every thread has ended at the playhead: no mark, and the pane shows where the lesson starts.
    TraceBuilder b;
    const uint32_t main = b.thread(10, 10);
    const QStringList source = resourceLines(QStringLiteral(":/source/scenarios/lessons/threads.cpp"));
    const int join = int(source.indexOf(QRegularExpression(QStringLiteral(R"(^\s*t\.join\(\);.*)")))) + 1;
    ASSERT_GT(join, 0);
    b.ev(main, 0, EventType::ThreadStart);
    b.ev(main, 1, EventType::JoinWait, 11).loc = b.str("core/scenarios/lessons/threads.cpp:" + std::to_string(join));
    b.ev(main, 2, EventType::ThreadExit);
    core::TraceModel model(std::move(b.data));
    model.update();
    CodeView view;
    view.resize(1200, 300); // fewer lines than the file has
    view.setModel(&model);
    view.setRunInfo({QStringLiteral("threads"), QString(), {}, {}, QStringLiteral("finished")});
    view.show();
    view.setPlayhead(TraceBuilder::ms(5));
    view.refresh();
    EXPECT_TRUE(view.marks().empty());
    ui::CodeEditor *editor = view.cppEditor(QStringLiteral("core/scenarios/lessons/threads.cpp"));
    ASSERT_NE(editor, nullptr);
    ASSERT_LT(editor->visibleLineCount(), editor->lineCount());
    const int first = editor->firstVisibleLine();
    EXPECT_GT(first, 1);
    EXPECT_FALSE(editor->lineText(first).contains(QStringLiteral("SPDX")));
    bool lessonInView = false;
    for (int l = first; l < first + editor->visibleLineCount(); ++l)
        lessonInView = lessonInView || editor->lineText(l).contains(QStringLiteral("threadsLesson"));
    EXPECT_TRUE(lessonInView);
}

TEST(CodeView, ExportDrawsTheMarkedLinesAndSurvivesLanguageChange)
{
    ui::testing::app();
    TraceBuilder b;
    const uint32_t main = b.thread(10, 10);
    // MainThread in the lesson's t.join().
    const QStringList source = resourceLines(QStringLiteral(":/source/scenarios/lessons/threads.cpp"));
    const int join = int(source.indexOf(QRegularExpression(QStringLiteral(R"(^\s*t\.join\(\);.*)")))) + 1;
    ASSERT_GT(join, 0);
    const std::string where = "core/scenarios/lessons/threads.cpp:" + std::to_string(join);
    b.ev(main, 0, EventType::ThreadStart);
    b.ev(main, 1, EventType::JoinWait, 11).loc = b.str(where);
    b.ev(main, 9, EventType::JoinDone, 11).loc = b.str(where);
    core::TraceModel model(std::move(b.data));
    model.update();

    CodeView view; // never shown, as the exporter's fresh view
    view.setModel(&model);
    view.setRunInfo({QStringLiteral("threads"), QString(), {}, {}, QStringLiteral("finished")});
    view.setTheme(ui::Theme::get(ui::Theme::Id::Projector));
    view.setPlayhead(TraceBuilder::ms(5));
    const QSize size(1400, 800);
    QImage image(size, QImage::Format_ARGB32);
    image.fill(Qt::white);
    {
        QPainter painter(&image);
        view.renderContent(painter, size);
    }
    ASSERT_EQ(view.marks().size(), 1u);
    EXPECT_EQ(view.marks()[0].line, join);
    // The tint of the main thread's line appears in the left (C++) part of the image.
    const ui::Theme &theme = view.theme();
    const QColor tint = ui::markTint(view.threadColor(main), false, theme);
    QColor onWhite = QColor::fromRgbF(float(tint.redF() * tint.alphaF() + (1 - tint.alphaF())),
                                      float(tint.greenF() * tint.alphaF() + (1 - tint.alphaF())),
                                      float(tint.blueF() * tint.alphaF() + (1 - tint.alphaF())));
    int tinted = 0;
    for (int y = 0; y < size.height(); y += 2) {
        const QColor c = image.pixelColor(size.width() / 2 - 40, y);
        tinted += std::abs(c.red() - onWhite.red()) + std::abs(c.green() - onWhite.green()) +
                      std::abs(c.blue() - onWhite.blue()) <
                  12;
    }
    EXPECT_GT(tinted, 3);

    class Marker : public QTranslator
    {
    public:
        QString translate(const char *context, const char *source, const char *, int) const override
        {
            return QLatin1String(context) == QLatin1String("interleave::ui::CodeView")
                       ? QStringLiteral("ZH ") + QString::fromUtf8(source)
                       : QString();
        }
        bool isEmpty() const override { return false; }
    } marker;
    QCoreApplication::installTranslator(&marker);
    QCoreApplication::processEvents();
    const auto labels = view.findChildren<QLabel *>();
    int translated = 0;
    for (const QLabel *l : labels)
        translated += l->text().startsWith(QStringLiteral("ZH "));
    EXPECT_GE(translated, 2);
    ASSERT_EQ(view.marks().size(), 1u); // still marked
    EXPECT_EQ(view.marks()[0].line, join);
    QCoreApplication::removeTranslator(&marker);
    QCoreApplication::processEvents();
}

TEST(CodeView, DeadlockMarksBothWorkersAtTheirLockLineInBothPanes)
{
    ui::testing::app();
    auto run = core::testing::runScenario("deadlock", {{QStringLiteral("variant"), QStringLiteral("naive")},
                                                       {QStringLiteral("hold_ms"), QStringLiteral("50")}});
    ASSERT_EQ(run.status(), core::RunStatus::Deadlocked);
    const core::TraceModel &model = run.model();

    CodeView view; // as the exporter's fresh view: the default playhead is the deadlock
    view.resize(1200, 700);
    view.setModel(&model);
    view.setRunInfo({QStringLiteral("deadlock"), QString(), {}, {}, QStringLiteral("deadlocked")});
    view.setPlayhead(view.exportPlayhead());
    view.show();
    view.refresh();

    const QStringList source = resourceLines(QStringLiteral(":/source/scenarios/lessons/deadlock.cpp"));
    const QStringList python = pythonOf("deadlock").split(QLatin1Char('\n'));
    ui::CodeEditor *editor = view.cppEditor(QStringLiteral("core/scenarios/lessons/deadlock.cpp"));
    ASSERT_NE(editor, nullptr);
    EXPECT_EQ(view.currentCppFile(), QStringLiteral("core/scenarios/lessons/deadlock.cpp"));
    std::map<std::string, int> cppLine, pythonLine;
    for (const ui::LineMark &m : editor->marks())
        cppLine[model.threadName(m.thread)] = m.line;
    for (const ui::LineMark &m : view.pythonEditor()->marks())
        pythonLine[model.threadName(m.thread)] = m.line;
    for (const char *worker : {"Thread-1", "Thread-2"}) {
        ASSERT_TRUE(cppLine.count(worker)) << worker;
        EXPECT_TRUE(source.value(cppLine[worker] - 1).contains(QStringLiteral("LockGuard two(second);")))
            << source.value(cppLine[worker] - 1).toStdString();
        ASSERT_TRUE(pythonLine.count(worker)) << worker;
        EXPECT_EQ(python.value(pythonLine[worker] - 1).trimmed().left(12), QStringLiteral("with second:"));
        // The footer names the thread with the lesson's path and line.
        EXPECT_TRUE(view.note().contains(QStringLiteral("%1 at core/scenarios/lessons/deadlock.cpp:%2")
                                             .arg(QLatin1String(worker))
                                             .arg(cppLine[worker])))
            << view.note().toStdString();
    }
    // MainThread waits in t1.join(), in both panes.
    ASSERT_TRUE(cppLine.count("MainThread"));
    EXPECT_TRUE(source.value(cppLine["MainThread"] - 1).contains(QStringLiteral("t1.join()")));
    ASSERT_TRUE(pythonLine.count("MainThread"));
    EXPECT_EQ(python.value(pythonLine["MainThread"] - 1).trimmed(), QStringLiteral("t1.join()"));
    // No thread is left in code the panel cannot show.
    EXPECT_FALSE(view.note().contains(QStringLiteral("std_mutex.h"))) << view.note().toStdString();
    core::testing::expectNothingLeft(run);
}

TEST(CodeView, DeeplyIndentedCurrentLinesScrollIntoViewSideways)
{
    ui::testing::app();
    ui::CodeEditor editor(ui::CodeLanguage::Cpp);
    editor.resize(320, 200);
    editor.show();
    const QString deep =
        QString(48, QLatin1Char(' ')) + QStringLiteral("LockGuard two(second); // then the second lock");
    editor.setCode(QStringLiteral("void f()\n{\n") + deep + QStringLiteral("\n}\n"));
    ui::LineMark mark;
    mark.line = 3;
    mark.name = QStringLiteral("Thread-1");
    mark.color = Qt::magenta;
    editor.setMarks({mark});
    // Scrolled right to (a little before) the statement, so that it starts inside the pane.
    const QFontMetricsF metrics(editor.font());
    const qreal indent = metrics.horizontalAdvance(QString(48, QLatin1Char(' ')));
    const int scrolled = editor.horizontalScrollBar()->value();
    EXPECT_GT(scrolled, 0);
    EXPECT_LE(scrolled, indent);
    EXPECT_GT(scrolled, indent - 4 * metrics.horizontalAdvance(QLatin1Char(' ')));
    // A thread at a line that fits: back to the left edge.
    mark.line = 1;
    editor.setMarks({mark});
    EXPECT_EQ(editor.horizontalScrollBar()->value(), 0);
}
