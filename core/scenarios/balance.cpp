// SPDX-License-Identifier: MIT
#include "scenarios/balance.h"

#include "analysis/lostupdates.h"
#include "trace/tracemodel.h"

#include <QJsonArray>

#include <thread>

namespace interleave::core {

ParamSpec switchParam(const char *defaultValue)
{
    return {QStringLiteral("switch"),
            ParamSpec::Kind::Choice,
            QLatin1String(defaultValue),
            0,
            0,
            QStringList{QStringLiteral("off"), QStringLiteral("sometimes"), QStringLiteral("on")},
            QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Switch mid-statement"),
            QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                              "on: each thread gives up the CPU between reading balance and writing it back; "
                              "sometimes: every 1000th time, as CPython's switch interval could")};
}

ParamSpec iterationsParam()
{
    return {QStringLiteral("iterations"),
            ParamSpec::Kind::Int,
            100000,
            1,
            10000000,
            {},
            QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Iterations"),
            QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "how many times each thread calls change_it")};
}

MidStatementSwitch::MidStatementSwitch(const ScenarioContext &ctx)
{
    const QString mode = ctx.textParam("switch");
    m_every = mode == QLatin1String("on") ? 1 : mode == QLatin1String("sometimes") ? 1000 : 0;
}

void MidStatementSwitch::operator()() const
{
    static thread_local uint64_t statements = 0; // per thread, as an interpreter's switch interval
    if (m_every != 0 && ++statements % m_every == 0)
        std::this_thread::yield(); // let the scheduler switch threads in the middle of the statement
}

QJsonObject balanceFindings(const TraceModel &model, const QJsonObject &params)
{
    const LostUpdates lost = LostUpdates::find(model);
    QJsonValue finalBalance;
    uint32_t balanceVar = 0;
    for (const auto &[var, value] : lost.finalValues()) {
        if (model.objectName(var) == "balance") {
            finalBalance = double(value);
            balanceVar = var;
        }
    }
    // The first interleavings that lost an update, as the student can replay them.
    QJsonArray examples;
    for (const LostUpdate &u : lost.examples())
        examples.append(lostUpdateToJson(model, u));
    // Each lost update took away what the stores it overwrote had added: +n and -n can cancel, and
    // then the final balance looks right although updates were lost.
    int64_t lostDelta = 0;
    uint64_t count = 0;
    for (const LostUpdate &u : lost.all()) {
        if (u.var == balanceVar) {
            lostDelta += u.lostDelta;
            ++count;
        }
    }
    return {{QStringLiteral("iterations"), params.value(QStringLiteral("iterations"))},
            {QStringLiteral("examples"), examples},
            {QStringLiteral("expected"), 0},
            {QStringLiteral("final_balance"), finalBalance},
            {QStringLiteral("lost_updates"), double(count)},
            {QStringLiteral("lost_delta"), double(lostDelta)},
            {QStringLiteral("cancelled_out"), count > 0 && lostDelta == 0}};
}

} // namespace interleave::core
