// SPDX-License-Identifier: MIT
// Scenario "threadlocal": one global local_school, and each thread sees only the student it set.
// threadlocal.h first: it names a variable `slots`, which Qt's headers (via scenario.h) define away.
#include "instrument/threadlocal.h"

#include "scenarios/scenario.h"

#include "instrument/blocking.h"
#include "instrument/thread.h"
#include "trace/tracemodel.h"

#include <pthread.h>

#include <chrono>
#include <string>

namespace interleave::core {
namespace {

/// threading.current_thread().name: the name the Thread gave the operating system.
std::string current_thread_name()
{
    char name[16] = {};
    pthread_getname_np(pthread_self(), name, sizeof name);
    return name;
}

class ThreadLocalScenario final : public Scenario
{
public:
    const char *id() const override { return "threadlocal"; }
    const char *group() const override { return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "ThreadLocal"); }
    const char *title() const override
    {
        return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "ThreadLocal: one name, a copy per thread");
    }
    std::vector<ParamSpec> parameters() const override
    {
        return {{QStringLiteral("pause_ms"), ParamSpec::Kind::Int, 500, 0, 10000, {},
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Pause (ms)"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                                   "how long each thread waits between setting its student and greeting, so "
                                   "both have set one before either reads")}};
    }

    void run(ScenarioContext &ctx) const override
    {
        const auto pause = std::chrono::milliseconds(ctx.intParam("pause_ms"));
        // One global object; each thread that writes local_school.student gets its own copy.
        ThreadLocal<std::string> local_school("local_school.student");

        auto process_student = [&] {
            const std::string &student = local_school.get(); // this thread's own, whoever else set one
            ctx.print("Hello, " + student + " (in " + current_thread_name() + ")");
        };
        auto process_thread = [&](const std::string &name) {
            local_school.set(name);
            sleepFor(pause); // meanwhile the other thread sets *its* student
            process_student();
        };

        Thread t1("Thread-A", process_thread, std::string("Alice"));
        Thread t2("Thread-B", process_thread, std::string("Bob"));
        t1.join();
        t2.join();
    }

    QJsonObject findings(const TraceModel &model, const QJsonObject &) const override
    {
        // What each thread read back from the ThreadLocal, from its VarLoad events.
        const auto &data = model.data();
        QJsonObject seen;
        for (uint32_t var : model.varIds()) {
            const ObjectInfo *info = model.object(var);
            if (!info || info->kind != ObjectKind::ThreadLocal)
                continue;
            for (uint32_t index : model.varAccesses(var)) {
                const Event &e = data.events[index];
                if (e.type == EventType::VarLoad)
                    seen.insert(QString::fromStdString(model.threadName(e.thread)),
                                QString::fromStdString(data.string(uint32_t(e.arg))));
            }
        }
        return {{QStringLiteral("seen"), seen}};
    }
};

} // namespace

std::unique_ptr<Scenario> makeThreadLocalScenario() { return std::make_unique<ThreadLocalScenario>(); }

} // namespace interleave::core
