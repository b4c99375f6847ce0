// SPDX-License-Identifier: MIT
// Scenario "subprocess": run an external program, feed its stdin, capture its stdout
// (subprocess.Popen(..., stdin=PIPE, stdout=PIPE) and communicate()).
#include "scenarios/scenario.h"

#include "scenarios/lessons/lessons.h"
#include "trace/tracemodel.h"

#include <QJsonArray>

#include <string>

namespace interleave::core {
namespace {

class SubprocessScenario final : public Scenario
{
public:
    const char *id() const override { return "subprocess"; }
    QString sourceFile() const override { return QStringLiteral("core/scenarios/lessons/subprocess.cpp"); }
    const char *group() const override { return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Multiprocessing"); }
    const char *title() const override
    {
        return QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                                 "subprocess: run a program, talk to its stdin and stdout");
    }
    std::vector<ParamSpec> parameters() const override
    {
        return {{QStringLiteral("argv"), ParamSpec::Kind::Text, QStringLiteral("sort"), 0, 0, QStringList(),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Program and arguments"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                                   "split on spaces and started directly, without a shell")},
                {QStringLiteral("input"), ParamSpec::Kind::Text,
                 QStringLiteral("www.python.org\\npython.org\\nexample.com\\nlocalhost\\n"), 0, 0, QStringList(),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr", "Input"),
                 QT_TRANSLATE_NOOP("interleave::core::ScenarioTr",
                                   "written to the program's stdin, then closed; \\n is a newline")}};
    }

    void run(ScenarioContext &ctx) const override { subprocessLesson(ctx); }

    QJsonObject findings(const TraceModel &model, const QJsonObject &params) const override
    {
        QJsonArray argv;
        for (const std::string &arg : splitArgv(params.value(QStringLiteral("argv")).toString()))
            argv.append(QString::fromStdString(arg));
        QJsonObject f{{QStringLiteral("argv"), argv},
                      {QStringLiteral("exit_code"), QJsonValue()},
                      {QStringLiteral("stdout_bytes"), QJsonValue()}};
        const auto &data = model.data();
        // The program's pid comes from the Exec event its spawner recorded. No Exec: it never
        // started, which a shell reports as exit code 127.
        int32_t pid = 0;
        for (const Event &e : data.events) {
            if (e.type == EventType::Exec) {
                pid = int32_t(e.arg);
                break;
            }
        }
        if (pid == 0) {
            f.insert(QStringLiteral("exit_code"), 127);
            f.insert(QStringLiteral("stdout_bytes"), 0);
            return f;
        }
        // Ended by a signal N: -N, as Python's returncode says it.
        if (const ProcessInfo *program = model.process(pid); program && program->exited)
            f.insert(QStringLiteral("exit_code"),
                     double(program->signaled ? -program->exitStatus : program->exitStatus));
        // Its stdout as recorded: each line, tagged "[program pid] ", plus the newline that ended it
        // (run() notes the exact count, which replaces this one in the summary).
        const std::string program = argv.isEmpty() ? std::string() : argv.first().toString().toStdString();
        // Built with append: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string&&.
        std::string tag;
        tag.append("[").append(program.substr(program.rfind('/') + 1));
        tag.append(" ").append(std::to_string(pid)).append("] ");
        double bytes = 0;
        for (uint32_t index : model.outputs()) {
            const Event &e = data.events[index];
            const std::string &line = data.string(e.object);
            if (e.arg == 1 && line.compare(0, tag.size(), tag) == 0)
                bytes += double(line.size() - tag.size() + 1);
        }
        f.insert(QStringLiteral("stdout_bytes"), bytes);
        return f;
    }
};

} // namespace

std::unique_ptr<Scenario> makeSubprocessScenario()
{
    return std::make_unique<SubprocessScenario>();
}

} // namespace interleave::core
