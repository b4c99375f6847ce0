// SPDX-License-Identifier: MIT
// Every scenario that draws arrows: each arrow ends at or after its start, in the model and in the
// Chrome export (Perfetto drops a flow that goes back in time), and the recorder's own threads
// are in neither.
#include "scenariorun.h"

#include "io/chromejson.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <map>
#include <set>

using namespace interleave::core;
using namespace interleave::core::testing;

namespace {

struct FlowCase
{
    const char *scenario;
    QList<QPair<QString, QString>> sets; ///< quick parameters; the arrows are the same
    FlowKind kind;                       ///< the kind of arrow the lesson is about
};

void PrintTo(const FlowCase &c, std::ostream *os)
{
    *os << c.scenario;
}

std::string caseName(const ::testing::TestParamInfo<FlowCase> &info)
{
    std::string name = info.param.scenario;
    std::erase(name, '-');
    return name;
}

class ScenarioFlows : public ::testing::TestWithParam<FlowCase>
{};

TEST_P(ScenarioFlows, EveryArrowRunsForwardAndNoRecorderThreadIsShown)
{
    const FlowCase &c = GetParam();
    const ScenarioRun run = runScenario(c.scenario, c.sets);
    ASSERT_EQ(run.status(), RunStatus::Finished) << run.session->failure().toStdString();
    const TraceModel &model = run.model();

    // The model's arrows, and the lesson's kind among them.
    int ofKind = 0;
    for (const Flow &f : model.flows()) {
        EXPECT_GE(f.toTime, f.fromTime) << flowKindName(f.kind) << " flow " << f.id << " goes back by "
                                        << f.fromTime - f.toTime << " ns";
        ofKind += f.kind == c.kind;
        // A fork arrow leaves where fork() was called, not where it returned in the parent.
        if (f.kind == FlowKind::Fork) {
            ASSERT_NE(f.fromEvent, kNoEvent);
            EXPECT_EQ(model.data().events[f.fromEvent].type, EventType::ForkCall);
            EXPECT_EQ(model.thread(f.toThread).pid, int32_t(f.id)) << "the arrow ends in the child";
        }
    }
    EXPECT_GT(ofKind, 0) << "no " << flowKindName(c.kind) << " arrow";

    // The same arrows in the export: every `f` at or after its `s`.
    QByteArray bytes;
    QBuffer buffer(&bytes);
    ASSERT_TRUE(buffer.open(QIODevice::WriteOnly));
    QString error;
    ASSERT_TRUE(exportChromeJson(model, buffer, &error)) << error.toStdString();
    const QJsonArray events = QJsonDocument::fromJson(bytes).object().value(QStringLiteral("traceEvents")).toArray();
    ASSERT_FALSE(events.isEmpty());
    std::map<std::pair<QString, qint64>, double> starts;
    std::map<std::pair<QString, qint64>, double> ends;
    std::set<qint64> namedTids;
    for (const QJsonValue &v : events) {
        const QJsonObject e = v.toObject();
        const QString ph = e.value(QStringLiteral("ph")).toString();
        const std::pair key{e.value(QStringLiteral("cat")).toString(), e.value(QStringLiteral("id")).toInteger()};
        if (ph == QLatin1String("s"))
            starts[key] = e.value(QStringLiteral("ts")).toDouble();
        else if (ph == QLatin1String("f"))
            ends[key] = e.value(QStringLiteral("ts")).toDouble();
        else if (ph == QLatin1String("M") && e.value(QStringLiteral("name")).toString() == QLatin1String("thread_name"))
            namedTids.insert(e.value(QStringLiteral("tid")).toInteger());
    }
    EXPECT_EQ(starts.size(), model.flowCount());
    EXPECT_EQ(ends.size(), starts.size());
    for (const auto &[key, start] : starts) {
        ASSERT_TRUE(ends.count(key)) << key.first.toStdString() << " flow " << key.second << " has no end";
        EXPECT_GE(ends.at(key), start) << key.first.toStdString() << " flow " << key.second << " goes back by "
                                       << start - ends.at(key) << " us";
    }

    // The sampler ran (its Samples are there) and is marked; neither the export nor the summary
    // names it.
    const QJsonArray threads = runSummary(*run.session).value(QStringLiteral("threads")).toArray();
    std::set<qint64> listed;
    for (const QJsonValue &t : threads)
        listed.insert(t.toObject().value(QStringLiteral("tid")).toInteger());
    int recorders = 0;
    for (const ThreadRecord &t : model.threads()) {
        if (!t.recorder)
            continue;
        ++recorders;
        EXPECT_FALSE(namedTids.count(t.tid)) << "the export names recorder thread " << t.tid;
        EXPECT_FALSE(listed.count(t.tid)) << "the summary lists recorder thread " << t.tid;
        EXPECT_TRUE(model.states(t.index).empty()) << "recorder thread " << t.tid << " has states";
    }
    EXPECT_GE(recorders, 1) << "no sampler thread marked in the trace";
    // A short run on a busy machine may end before the sampler's first look: where it looked,
    // its Samples are kept as cores.
    const bool sampled = std::any_of(model.data().events.begin(), model.data().events.end(),
                                     [](const Event &e) { return e.type == EventType::Sample; });
    EXPECT_EQ(model.coreCount() > 0, sampled) << "the sampler's Samples are still there";
    // No secret either.
    EXPECT_FALSE(bytes.contains("authkey"));
    EXPECT_FALSE(bytes.contains("abc"));
    expectNothingLeft(run);
}

INSTANTIATE_TEST_SUITE_P(
    Arrows, ScenarioFlows,
    ::testing::Values(FlowCase{"fork", {}, FlowKind::Fork},
                      FlowCase{"process", {{QStringLiteral("work_s"), QStringLiteral("0.1")}}, FlowKind::Fork},
                      FlowCase{"pool", {{QStringLiteral("max_sleep_s"), QStringLiteral("0.3")}}, FlowKind::Task},
                      FlowCase{"queue", {{QStringLiteral("max_sleep_s"), QStringLiteral("0.1")}}, FlowKind::Queue},
                      FlowCase{"pipe", {{QStringLiteral("work_s"), QStringLiteral("0.05")}}, FlowKind::Pipe},
                      FlowCase{"distributed",
                               {{QStringLiteral("pace_s"), QStringLiteral("0.1")},
                                {QStringLiteral("tasks"), QStringLiteral("4")}},
                               FlowKind::Task}),
    caseName);

} // namespace
