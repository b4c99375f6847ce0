// SPDX-License-Identifier: MIT
#include "net/commands.h"

#include "net/master.h"
#include "net/protocol.h"
#include "net/worker.h"

#include <QCoreApplication>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <random>

namespace interleave::core::net {

namespace {

struct NetTr
{
    Q_DECLARE_TR_FUNCTIONS(interleave::core::net::NetTr)
};

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kBadInput = 2;

} // namespace

int masterCommand(const QString &listen, const QString &authkey, const QString &tasks, QTextStream &out,
                  QTextStream &err)
{
    MasterOptions options;
    QString error;
    if (!parseHostPort(listen, options.host, options.port, error)) {
        err << "interleave: " << error << Qt::endl;
        return kBadInput;
    }
    if (authkey.isEmpty()) {
        err << "interleave: " << NetTr::tr("refusing to start the master with an empty --authkey: anyone could log in")
            << Qt::endl;
        return kBadInput;
    }
    int count = 10;
    if (!tasks.isEmpty()) {
        bool ok = false;
        count = tasks.toInt(&ok);
        if (!ok || count < 1 || count > 100000) {
            err << "interleave: " << NetTr::tr("--tasks must be a number from 1 to 100000, not '%1'").arg(tasks)
                << Qt::endl;
            return kBadInput;
        }
    }
    if (isWildcardAddress(options.host)) {
        err << "interleave: "
            << NetTr::tr("WARNING: listening on every network interface (%1): any machine that can reach this one "
                         "may try to log in; only the authkey keeps strangers out. Use 127.0.0.1 unless workers "
                         "on other machines must join.")
                   .arg(QString::fromStdString(options.host))
            << Qt::endl;
    }
    options.authkey = authkey.toUtf8();
    options.log = [&err](std::string_view line) {
        err << "master: " << QString::fromUtf8(line.data(), qsizetype(line.size())) << Qt::endl;
    };
    Master master(options);
    std::string listenError;
    if (!master.listen(listenError)) {
        err << "interleave: " << QString::fromStdString(listenError) << Qt::endl;
        return kFailed;
    }
    out << NetTr::tr("Master listening on %1:%2 (authkey required).")
               .arg(QString::fromStdString(options.host))
               .arg(master.port())
        << Qt::endl;
    master.start();
    std::mt19937_64 random(std::random_device{}());
    std::uniform_int_distribution<int64_t> pick(0, 10000);
    for (int i = 0; i < count; ++i) {
        const int64_t n = pick(random);
        out << "Put task " << n << "..." << Qt::endl;
        master.put(n);
    }
    out << "Try get results..." << Qt::endl;
    int received = 0;
    while (received + int(master.deadLetters().size()) < count) {
        // No overall timeout: students' workers may join whenever they are ready (Ctrl+C ends it).
        const auto result = master.getResult(std::chrono::milliseconds(1000));
        if (!result)
            continue;
        ++received;
        out << "Result: " << result->n << " * " << result->n << " = " << result->r << Qt::endl;
    }
    master.stop();
    const auto dead = master.deadLetters();
    if (!dead.empty()) {
        err << "interleave: "
            << NetTr::tr("%n task(s) went to the dead-letter list: every worker holding them died", nullptr,
                         int(dead.size()))
            << Qt::endl;
        out << "master exit." << Qt::endl;
        return kFailed;
    }
    out << "master exit." << Qt::endl;
    return kOk;
}

int workerCommand(const QString &connect, const QString &authkey, const QString &name, QTextStream &out,
                  QTextStream &err)
{
    WorkerOptions options;
    QString error;
    if (!parseHostPort(connect, options.host, options.port, error)) {
        err << "interleave: " << error << Qt::endl;
        return kBadInput;
    }
    if (authkey.isEmpty()) {
        err << "interleave: " << NetTr::tr("refusing to log in with an empty --authkey") << Qt::endl;
        return kBadInput;
    }
    options.authkey = authkey.toUtf8();
    options.name = name.isEmpty() ? "worker-" + std::to_string(getpid()) : name.toStdString();
    options.connectRetry = std::chrono::seconds(10); // the master may still be starting
    if (const char *pace = std::getenv("INTERLEAVE_WORKER_PACE_MS"))
        options.pace = std::chrono::milliseconds(std::clamp(std::atoi(pace), 0, 60000));
    options.print = [&out](std::string_view line) {
        out << QString::fromUtf8(line.data(), qsizetype(line.size())) << Qt::endl;
    };
    options.log = [&err](std::string_view line) {
        err << "interleave: " << QString::fromUtf8(line.data(), qsizetype(line.size())) << Qt::endl;
    };
    const int status = runWorker(options);
    return status == WorkerDone ? kOk : status == WorkerBadInput ? kBadInput : kFailed;
}

} // namespace interleave::core::net
