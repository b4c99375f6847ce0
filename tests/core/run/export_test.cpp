// SPDX-License-Identifier: MIT
// The real trace of every registered scenario, exported as DESIGN's Chrome/Perfetto JSON and
// saved as .iltrace: both must hold what the run recorded.
#include "io/chromejson.h"
#include "io/iltrace.h"
#include "run/session.h"
#include "scenarios/scenario.h"
#include "trace/tracemodel.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <map>
#include <set>

using namespace interleave::core;

namespace {

/// Quick parameters, so every scenario runs in a second or two.
QList<QPair<QString, QString>> quickParams(const Scenario &scenario)
{
    QList<QPair<QString, QString>> sets;
    for (const ParamSpec &spec : scenario.parameters()) {
        if (spec.kind == ParamSpec::Kind::Int && spec.name != QLatin1String("workers"))
            sets.append(
                {spec.name, QString::number(std::min<double>(
                                spec.maximum,
                                std::max<double>(spec.minimum, std::min<double>(spec.defaultValue.toDouble(), 200))))});
        if (spec.kind == ParamSpec::Kind::Double)
            sets.append({spec.name, QString::number(std::max<double>(
                                        spec.minimum, std::min<double>(spec.defaultValue.toDouble(), 0.3)))});
    }
    return sets;
}

std::unique_ptr<Session> run(const Scenario &scenario)
{
    RunRequest request;
    request.scenario = &scenario;
    request.seed = 7;
    request.timeout = std::chrono::seconds(60);
    QString error;
    EXPECT_TRUE(ScenarioRegistry::resolveParams(scenario, quickParams(scenario), request.params, error))
        << error.toStdString();
    auto session = std::make_unique<Session>();
    EXPECT_TRUE(session->start(request, &error)) << error.toStdString();
    session->wait();
    return session;
}

} // namespace

TEST(Export, ChromeJsonOfEveryScenarioFollowsTheDesign)
{
    for (const auto &scenario : ScenarioRegistry::instance().all()) {
        SCOPED_TRACE(scenario->id());
        const auto session = run(*scenario);
        const TraceModel &model = session->model();
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        QString error;
        ASSERT_TRUE(exportChromeJson(model, buffer, &error)) << error.toStdString();
        QJsonParseError parse;
        const QJsonObject root = QJsonDocument::fromJson(buffer.data(), &parse).object();
        ASSERT_EQ(parse.error, QJsonParseError::NoError) << parse.errorString().toStdString();
        EXPECT_EQ(root.value(QStringLiteral("displayTimeUnit")).toString(), QStringLiteral("ns"));
        const QJsonObject other = root.value(QStringLiteral("otherData")).toObject();
        EXPECT_EQ(other.value(QStringLiteral("tool")).toString(), QStringLiteral("Interleave"));
        EXPECT_EQ(other.value(QStringLiteral("scenario")).toString(), QLatin1String(scenario->id()));
        EXPECT_EQ(other.value(QStringLiteral("status")).toString(), QLatin1String(runStatusName(session->status())));
        EXPECT_TRUE(other.value(QStringLiteral("params")).isObject());

        const QJsonArray events = root.value(QStringLiteral("traceEvents")).toArray();
        std::set<int> namedProcesses;
        std::set<std::pair<int, int>> namedThreads;
        std::map<std::pair<int, int>, std::vector<std::pair<double, double>>> states;
        std::map<QString, int> asyncOpen; // cat/id -> b minus e
        for (const auto &v : events) {
            const QJsonObject e = v.toObject();
            const QString ph = e.value(QStringLiteral("ph")).toString();
            const int pid = e.value(QStringLiteral("pid")).toInt();
            const int tid = e.value(QStringLiteral("tid")).toInt();
            const QString name = e.value(QStringLiteral("name")).toString();
            if (ph == QLatin1String("M") && name == QLatin1String("process_name"))
                namedProcesses.insert(pid);
            if (ph == QLatin1String("M") && name == QLatin1String("thread_name"))
                namedThreads.insert({pid, tid});
            if (ph == QLatin1String("X") && e.value(QStringLiteral("cat")).toString() == QLatin1String("state")) {
                EXPECT_TRUE(QStringList({QStringLiteral("running"), QStringLiteral("ready"), QStringLiteral("blocked"),
                                         QStringLiteral("sleeping")})
                                .contains(name))
                    << name.toStdString();
                states[{pid, tid}].push_back(
                    {e.value(QStringLiteral("ts")).toDouble(), e.value(QStringLiteral("dur")).toDouble()});
            }
            if (ph == QLatin1String("b") || ph == QLatin1String("e")) {
                const QString key = e.value(QStringLiteral("cat")).toString() + QLatin1Char('/') +
                                    e.value(QStringLiteral("id")).toVariant().toString() + QLatin1Char('/') +
                                    QString::number(pid);
                asyncOpen[key] += ph == QLatin1String("b") ? 1 : -1;
            }
        }
        // Every process and thread of the run is named.
        for (const ProcessInfo &p : model.processes()) {
            if (p.traced()) {
                EXPECT_TRUE(namedProcesses.count(p.pid)) << "process " << p.pid;
            }
        }
        // Every thread of the program is named; the recorder's own are not there at all.
        for (const ThreadRecord &t : model.threads())
            EXPECT_EQ(namedThreads.count({t.pid, t.tid}), t.recorder ? 0u : 1u) << "thread " << t.tid;
        // State slices tile each thread: sorted, no overlap, and they exist for the lesson's threads.
        EXPECT_FALSE(states.empty());
        for (auto &[thread, slices] : states) {
            std::sort(slices.begin(), slices.end());
            for (size_t i = 1; i < slices.size(); ++i)
                EXPECT_LE(slices[i - 1].first + slices[i - 1].second, slices[i].first + 0.002);
        }
        // Async spans are balanced (a deadlocked run's open waits end at the end of the trace).
        for (const auto &[key, open] : asyncOpen)
            EXPECT_EQ(open, 0) << key.toStdString();
    }
}

TEST(Export, IltraceOfARealRunReopensAsTheSameModel)
{
    const Scenario *pool = ScenarioRegistry::instance().find("pool");
    ASSERT_NE(pool, nullptr);
    const auto session = run(*pool);
    ASSERT_EQ(session->status(), RunStatus::Finished);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("pool.iltrace"));
    QString error;
    ASSERT_TRUE(saveIltrace(session->model().data(), path, &error)) << error.toStdString();
    LoadResult loaded = loadIltrace(path);
    ASSERT_TRUE(loaded.ok) << loaded.error.toStdString();
    TraceModel reopened(std::move(loaded.data));
    reopened.update();
    const TraceModel &original = session->model();
    EXPECT_EQ(reopened.data().events.size(), original.data().events.size());
    EXPECT_EQ(reopened.processes().size(), original.processes().size());
    EXPECT_EQ(reopened.threadCount(), original.threadCount());
    ASSERT_EQ(reopened.tasks().size(), original.tasks().size());
    for (size_t i = 0; i < original.tasks().size(); ++i) {
        EXPECT_EQ(reopened.tasks()[i].started, original.tasks()[i].started);
        EXPECT_EQ(reopened.tasks()[i].worker, original.tasks()[i].worker);
    }
    for (uint32_t t = 0; t < original.threadCount(); ++t)
        EXPECT_EQ(reopened.states(t).size(), original.states(t).size());
    EXPECT_EQ(reopened.data().meta.value(QStringLiteral("scenario")).toString(), QStringLiteral("pool"));
}
