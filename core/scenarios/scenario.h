// SPDX-License-Identifier: MIT
#pragma once

#include <QCoreApplication>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <cstdint>
#include <memory>
#include <random>
#include <string_view>
#include <vector>

namespace interleave::core {

class TraceModel;

/// The longest value a text parameter takes, in characters.
inline constexpr qsizetype kMaxTextParam = 4096;

/// One parameter of a scenario: its name on the command line, type, range and default.
struct ParamSpec
{
    enum class Kind
    {
        Int,
        Double,
        Choice,
        Text
    };
    QString name;
    Kind kind = Kind::Int;
    QVariant defaultValue;
    double minimum = 0; ///< Int and Double
    double maximum = 0;
    QStringList choices;    ///< Choice
    const char *label = ""; ///< untranslated; translate with ScenarioTr::tr
    const char *help = "";  ///< one line, untranslated
};

/// A scenario's parameter values, validated against its ParamSpecs.
using ParamValues = QJsonObject;

/// What a scenario's code sees while it runs in the runner process.
class ScenarioContext
{
public:
    virtual ~ScenarioContext() = default;
    virtual const ParamValues &params() const = 0;
    /// The run's engine, seeded from the run's seed. For one thread at a time: threads that
    /// draw concurrently each seed an engine of their own from it first.
    virtual std::mt19937_64 &random() = 0;
    /// Prints a line as the calling thread (recorded as Output, mirrored to the console).
    virtual void print(std::string_view line) = 0;
    /// Starts a named phase (recorded as Phase), e.g. "cpu-bound, 2 workers".
    virtual void phase(std::string_view name) = 0;
    /// True once the window asked the run to stop; long loops check it.
    virtual bool stopRequested() const = 0;
    /// Facts only the running code knows (e.g. a measured creation cost); merged into findings.
    virtual void note(const QString &key, const QJsonValue &value) = 0;
    /// The run's event log, for a program that records into it after exec (the trace scenario
    /// hands it to the preloaded recorder); -1 when there is none.
    virtual int eventLogFd() const { return -1; }

    int intParam(const char *name) const { return params().value(QLatin1String(name)).toInt(); }
    double doubleParam(const char *name) const { return params().value(QLatin1String(name)).toDouble(); }
    QString textParam(const char *name) const { return params().value(QLatin1String(name)).toString(); }
};

/// One lesson of the chapter: metadata for the browser and the command line, the code that
/// runs in the runner, and the findings proved from the recorded trace.
class Scenario
{
public:
    virtual ~Scenario() = default;
    virtual const char *id() const = 0;
    /// Chapter section this belongs to (untranslated; ScenarioTr context).
    virtual const char *group() const = 0;
    virtual const char *title() const = 0;
    virtual std::vector<ParamSpec> parameters() const = 0;
    /// Runs the lesson for real. Called in the runner process, on its main thread.
    virtual void run(ScenarioContext &context) const = 0;
    /// True for the hidden "trace" scenario: what runs is a program of the user's, so the runner
    /// process itself never shows (its threads are the recorder's).
    virtual bool tracesProgram() const { return false; }
    /// The scenario's own facts, derived from the recorded trace (`notes`: what run() noted).
    virtual QJsonObject findings(const TraceModel &model, const QJsonObject &notes) const = 0;
    /// The path from the repository root of the lesson's C++, what the code panel shows, as call
    /// sites record it: "core/scenarios/lessons/<id>.cpp" for a scenario whose lesson lives apart
    /// from its findings, "core/scenarios/<id>.cpp" (this default) for one still in one file.
    virtual QString sourceFile() const;
    /// Resource path of the same file (":/source/scenarios/lessons/<id>.cpp").
    QString sourcePath() const;
    /// The text for students in `language` ("en" or "zh_CN", falling back to "en"): Markdown with
    /// the sections "What runs", "What to look at", "Why" and "Ask the class", from
    /// resources/scenarios/<id>.<language>.md.
    QString explanation(const QString &language) const;
    /// The question for the class, asked before pressing Run (the "Ask the class" section).
    QString question(const QString &language) const;
    /// The chapter's Python that this scenario re-enacts (resources/scenarios/<id>.py).
    QString python() const;
};

struct ScenarioTr
{
    Q_DECLARE_TR_FUNCTIONS(interleave::core::ScenarioTr)
};

/// All scenarios, in the chapter's order.
class ScenarioRegistry
{
public:
    static const ScenarioRegistry &instance();
    const std::vector<std::unique_ptr<Scenario>> &all() const { return m_scenarios; }
    /// The scenario named `id`, listed or not (see addUnlisted), or null.
    const Scenario *find(std::string_view id) const;
    /// Makes `scenarios` findable but never listed in all(). Only test programs call it
    /// (tests/runner/), before any run starts; the product registers nothing here.
    static void addUnlisted(std::vector<std::unique_ptr<Scenario>> scenarios);

    /// Fills defaults and checks `given` (name -> text as typed) against the specs.
    /// On failure returns false and sets `error` to one clear line.
    static bool resolveParams(const Scenario &scenario, const QList<QPair<QString, QString>> &given, ParamValues &out,
                              QString &error);
    /// The `list --json` description of one scenario.
    static QJsonObject describe(const Scenario &scenario);

private:
    ScenarioRegistry();
    std::vector<std::unique_ptr<Scenario>> m_scenarios;
    std::unique_ptr<Scenario> m_trace; ///< found by id, never listed (see traceprogram.h)
};

} // namespace interleave::core
