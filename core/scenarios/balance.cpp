// SPDX-License-Identifier: MIT
#include "scenarios/balance.h"

#include "analysis/lostupdates.h"
#include "instrument/mutex.h"
#include "instrument/sharedvar.h"
#include "instrument/thread.h"
#include "trace/tracemodel.h"

#include <QJsonArray>

#include <mutex>
#include <thread>

namespace interleave::core {

ParamSpec switchParam()
{
    return {QStringLiteral("switch"), ParamSpec::Kind::Choice, QStringLiteral("off"), 0, 0,
            {QStringLiteral("off"), QStringLiteral("on")},
            QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Switch mid-statement"),
            QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                              "on: each thread gives up the CPU between reading balance and writing it back")};
}

ParamSpec iterationsParam()
{
    return {QStringLiteral("iterations"), ParamSpec::Kind::Int, 100000, 1, 10000000,
            {}, QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Iterations"),
            QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "how many times each thread calls change_it")};
}

void runBalance(ScenarioContext &ctx, bool locked)
{
    const int64_t iterations = ctx.intParam("iterations");
    SharedVar balance("balance", 0);
    Mutex lock("lock");

    const bool switchInside = ctx.textParam("switch") == QLatin1String("on");

    // balance = balance + n; balance = balance - n: each line is a load, then a separate store.
    auto maybeSwitch = [&] {
        if (switchInside)
            std::this_thread::yield(); // let the scheduler switch threads in the middle of the statement
    };
    auto change_it = [&](int64_t n) {
        int64_t x = balance.load() + n;
        maybeSwitch();
        balance.store(x);
        x = balance.load() - n;
        maybeSwitch();
        balance.store(x);
    };
    auto run_thread = [&](int64_t n) {
        for (int64_t i = 0; i < iterations && !ctx.stopRequested(); ++i) {
            if (locked) {
                std::lock_guard guard(lock);
                change_it(n);
            } else {
                change_it(n);
            }
        }
    };
    Thread t1("Thread-1", run_thread, 5);
    Thread t2("Thread-2", run_thread, 8);
    t1.join();
    t2.join();
    ctx.print("balance = " + std::to_string(balance.load()));
}

QJsonObject balanceFindings(const TraceModel &model, const QJsonObject &params)
{
    const LostUpdates lost = LostUpdates::find(model);
    QJsonValue finalBalance;
    for (const auto &[var, value] : lost.finalValues()) {
        if (model.objectName(var) == "balance")
            finalBalance = double(value);
    }
    // The first interleavings that lost an update, as the student can replay them.
    QJsonArray examples;
    for (const LostUpdate &u : lost.examples()) {
        examples.append(QJsonObject{{QStringLiteral("thread"), QString::fromStdString(model.threadName(u.thread))},
                                    {QStringLiteral("saw"), double(u.seenValue)},
                                    {QStringLiteral("stored"), double(u.storeValue)},
                                    {QStringLiteral("overwrote_thread"),
                                     QString::fromStdString(model.threadName(u.otherThread))},
                                    {QStringLiteral("overwrote_value"), double(u.otherValue)},
                                    {QStringLiteral("seen_ns"), double(u.seenTime - model.startTime())},
                                    {QStringLiteral("other_store_ns"), double(u.otherTime - model.startTime())},
                                    {QStringLiteral("store_ns"), double(u.storeTime - model.startTime())}});
    }
    return {{QStringLiteral("iterations"), params.value(QStringLiteral("iterations"))},
            {QStringLiteral("examples"), examples},
            {QStringLiteral("expected"), 0},
            {QStringLiteral("final_balance"), finalBalance},
            {QStringLiteral("lost_updates"), double(lost.count())}};
}

} // namespace interleave::core
