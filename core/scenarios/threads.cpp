// SPDX-License-Identifier: MIT
// Scenario "threads": the chapter's LoopThread counts to five, one line a second; main joins it.
#include "scenarios/scenario.h"

#include "scenarios/lessons/lessons.h"
#include "trace/tracemodel.h"

namespace interleave::core {
namespace {

constexpr const char *kLoopThread = "LoopThread"; // the lesson's thread, named as in the chapter

class ThreadsScenario final : public Scenario
{
public:
    const char *id() const override { return "threads"; }
    QString sourceFile() const override { return QStringLiteral("core/scenarios/lessons/threads.cpp"); }
    const char *group() const override { return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Multithreading"); }
    const char *title() const override
    {
        return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Thread: start, run, join");
    }
    std::vector<ParamSpec> parameters() const override
    {
        return {{QStringLiteral("count"), ParamSpec::Kind::Int, 5, 1, 50, QStringList(),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Count"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "how far LoopThread counts")},
                {QStringLiteral("interval"), ParamSpec::Kind::Double, 1.0, 0.0, 10.0, QStringList(),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Interval (s)"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "how long LoopThread sleeps after each line")}};
    }

    void run(ScenarioContext &ctx) const override { threadsLesson(ctx); }

    QJsonObject findings(const TraceModel &model, const QJsonObject &) const override
    {
        const auto &data = model.data();
        const uint32_t loop = loopThread(model);
        QJsonObject f{{QStringLiteral("thread"), QJsonValue()},
                      {QStringLiteral("count"), 0},
                      {QStringLiteral("join_wait_ms"), QJsonValue()}};
        if (loop == kNoEvent)
            return f;
        f.insert(QStringLiteral("thread"), QString::fromStdString(model.threadName(loop)));

        // Lines the LoopThread printed with ">>>", as the console shows them.
        int lines = 0;
        for (uint32_t index : model.outputs()) {
            const Event &e = data.events[index];
            if (e.thread == loop && data.string(e.object).find(" >>> ") != std::string::npos)
                ++lines;
        }
        f.insert(QStringLiteral("count"), lines);

        // How long some thread sat in join() waiting for the LoopThread's tid.
        const int32_t tid = model.thread(loop).tid;
        int64_t waitStart = kTimeMax;
        for (const Event &e : data.events) {
            if (e.object != uint32_t(tid) || (e.flags & OnProcess))
                continue;
            if (e.type == EventType::JoinWait)
                waitStart = e.time;
            else if (e.type == EventType::JoinDone && waitStart != kTimeMax)
                f.insert(QStringLiteral("join_wait_ms"), double(e.time - waitStart) / 1e6);
        }
        return f;
    }

private:
    static uint32_t loopThread(const TraceModel &model)
    {
        for (const ThreadRecord &t : model.threads()) {
            if (model.threadName(t.index) == kLoopThread)
                return t.index;
        }
        return kNoEvent;
    }
};

} // namespace

std::unique_ptr<Scenario> makeThreadsScenario()
{
    return std::make_unique<ThreadsScenario>();
}

} // namespace interleave::core
