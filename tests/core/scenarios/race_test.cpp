// SPDX-License-Identifier: MIT
#include "analysis/lostupdates.h"
#include "run/analysisexport.h"
#include "scenariorun.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>

#include <string>

using namespace interleave::core;
using namespace interleave::core::testing;

namespace {

/// The number after "balance = " in what the program printed, or nullopt.
std::optional<int64_t> printedBalance(const TraceModel &model)
{
    std::optional<int64_t> found;
    for (uint32_t index : model.outputs()) {
        const std::string line = model.data().string(model.data().events[index].object);
        const std::string prefix = "balance = ";
        if (line.rfind(prefix, 0) == 0)
            found = std::stoll(line.substr(prefix.size()));
    }
    return found;
}

} // namespace

TEST(RaceScenario, PrintedBalanceChartAndFindingsAgree)
{
    // Whatever interleaving each run happens to get, what the program printed, the final balance
    // of the findings and expected - the sum of the lost deltas are one number.
    for (int run = 0; run < 4; ++run) {
        const ScenarioRun r = runScenario("race", {{QStringLiteral("iterations"), QStringLiteral("20000")}});
        ASSERT_EQ(r.status(), RunStatus::Finished) << r.session->failure().toStdString();
        const QJsonObject f = r.findings();
        const auto printed = printedBalance(r.model());
        ASSERT_TRUE(printed.has_value());
        EXPECT_EQ(f.value(QStringLiteral("final_balance")).toDouble(-1e18), double(*printed));
        const double expected = f.value(QStringLiteral("expected")).toDouble();
        const double lostDelta = f.value(QStringLiteral("lost_delta")).toDouble();
        EXPECT_EQ(double(*printed), expected - lostDelta);

        const LostUpdates lost = LostUpdates::find(r.model());
        int64_t sum = 0;
        for (const LostUpdate &u : lost.all())
            sum += u.lostDelta;
        EXPECT_EQ(double(sum), lostDelta);
        EXPECT_EQ(f.value(QStringLiteral("lost_updates")).toDouble(), double(lost.count()));
        EXPECT_EQ(f.value(QStringLiteral("cancelled_out")).toBool(), lost.count() > 0 && sum == 0);
        // A wrong balance has at least one lost update behind it.
        if (*printed != 0) {
            EXPECT_GT(lost.count(), 0u);
        }
        EXPECT_LE(f.value(QStringLiteral("examples")).toArray().size(), 8);
        expectNothingLeft(r);
    }
}

TEST(LockScenario, NoUpdateIsLost)
{
    const ScenarioRun r = runScenario("lock", {{QStringLiteral("iterations"), QStringLiteral("20000")}});
    ASSERT_EQ(r.status(), RunStatus::Finished) << r.session->failure().toStdString();
    const QJsonObject f = r.findings();
    EXPECT_EQ(printedBalance(r.model()), std::optional<int64_t>(0));
    EXPECT_EQ(f.value(QStringLiteral("final_balance")).toDouble(-1), 0.0);
    EXPECT_EQ(f.value(QStringLiteral("lost_updates")).toDouble(-1), 0.0);
    EXPECT_EQ(f.value(QStringLiteral("lost_delta")).toDouble(-1), 0.0);
    EXPECT_FALSE(f.value(QStringLiteral("cancelled_out")).toBool(true));
    expectNothingLeft(r);
}

TEST(RaceScenario, ChromeExportHasAnInstantPerLostUpdateAndTheFindings)
{
    // switch=on gives the other thread the CPU between load and store, so most runs lose updates;
    // the assertions hold for any number, zero included.
    const ScenarioRun r = runScenario("race", {{QStringLiteral("iterations"), QStringLiteral("5000")},
                                               {QStringLiteral("switch"), QStringLiteral("on")}});
    ASSERT_EQ(r.status(), RunStatus::Finished) << r.session->failure().toStdString();
    const QJsonObject findings = r.findings();
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QString error;
    ASSERT_TRUE(exportChromeJson(r.model(), buffer, &error, chromeExtras(r.model(), findings))) << error.toStdString();
    const QJsonObject root = QJsonDocument::fromJson(bytes).object();
    EXPECT_EQ(root.value(QStringLiteral("otherData")).toObject().value(QStringLiteral("findings")).toObject(),
              findings);
    int instants = 0;
    double lostDelta = 0;
    for (const QJsonValue &v : root.value(QStringLiteral("traceEvents")).toArray()) {
        const QJsonObject e = v.toObject();
        if (e.value(QStringLiteral("cat")).toString() != QLatin1String("lost-update"))
            continue;
        EXPECT_EQ(e.value(QStringLiteral("ph")).toString(), QStringLiteral("i"));
        const QJsonObject args = e.value(QStringLiteral("args")).toObject();
        EXPECT_TRUE(args.contains(QStringLiteral("saw")));
        EXPECT_TRUE(args.contains(QStringLiteral("stored")));
        EXPECT_FALSE(args.value(QStringLiteral("overwrote_thread")).toString().isEmpty());
        lostDelta += args.value(QStringLiteral("lost_delta")).toDouble();
        ++instants;
    }
    EXPECT_EQ(double(instants), findings.value(QStringLiteral("lost_updates")).toDouble(-1));
    EXPECT_EQ(lostDelta, findings.value(QStringLiteral("lost_delta")).toDouble());
    expectNothingLeft(r);
}
