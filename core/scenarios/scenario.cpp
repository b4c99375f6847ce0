// SPDX-License-Identifier: MIT
#include "scenarios/scenario.h"
#include "scenarios/paramrange.h"

#include "scenarios/traceprogram.h"

#include <QFile>
#include <QJsonArray>
#include <QLocale>

#include <cmath>

namespace interleave::core {

// Each scenario file defines one factory; the list below is the chapter's order. An explicit
// list (not self-registration) because a static library drops objects nothing refers to.
std::unique_ptr<Scenario> makeTimesliceScenario();
std::unique_ptr<Scenario> makeForkScenario();
std::unique_ptr<Scenario> makeProcessScenario();
std::unique_ptr<Scenario> makePoolScenario();
std::unique_ptr<Scenario> makeSubprocessScenario();
std::unique_ptr<Scenario> makeQueueScenario();
std::unique_ptr<Scenario> makePipeScenario();
std::unique_ptr<Scenario> makeThreadsScenario();
std::unique_ptr<Scenario> makeRaceScenario();
std::unique_ptr<Scenario> makeLockScenario();
std::unique_ptr<Scenario> makeDeadlockScenario();
std::unique_ptr<Scenario> makeGilScenario();
std::unique_ptr<Scenario> makeThreadLocalScenario();
std::unique_ptr<Scenario> makeProcessVsThreadScenario();
std::unique_ptr<Scenario> makeCpuVsIoScenario();
std::unique_ptr<Scenario> makeAsyncScenario();
std::unique_ptr<Scenario> makeDistributedScenario();

QString Scenario::sourcePath() const
{
    // core/CMakeLists.txt embeds core/ under :/source/.
    return QStringLiteral(":/source/") + sourceFile().mid(int(qstrlen("core/")));
}

QString Scenario::sourceFile() const
{
    return QStringLiteral("core/scenarios/") + QLatin1String(id()) + QStringLiteral(".cpp");
}

static QString readResource(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

QString Scenario::explanation(const QString &language) const
{
    const QString base = QStringLiteral(":/scenarios/") + QLatin1String(id());
    const QString text = readResource(base + QLatin1Char('.') + language + QStringLiteral(".md"));
    return text.isEmpty() ? readResource(base + QStringLiteral(".en.md")) : text;
}

QString Scenario::question(const QString &language) const
{
    // The section after the "Ask the class" heading (its first line is the heading itself, which
    // each language writes in its own words, so it is found by position: the last section).
    const QString text = explanation(language);
    const qsizetype last = text.lastIndexOf(QStringLiteral("\n## "));
    if (last < 0)
        return {};
    const qsizetype body = text.indexOf(QLatin1Char('\n'), last + 1);
    return body < 0 ? QString() : text.mid(body + 1).trimmed();
}

QString Scenario::python() const
{
    return readResource(QStringLiteral(":/scenarios/") + QLatin1String(id()) + QStringLiteral(".py"));
}

ScenarioRegistry::ScenarioRegistry()
{
    m_scenarios.push_back(makeTimesliceScenario());
    m_scenarios.push_back(makeForkScenario());
    m_scenarios.push_back(makeProcessScenario());
    m_scenarios.push_back(makePoolScenario());
    m_scenarios.push_back(makeSubprocessScenario());
    m_scenarios.push_back(makeQueueScenario());
    m_scenarios.push_back(makePipeScenario());
    m_scenarios.push_back(makeThreadsScenario());
    m_scenarios.push_back(makeRaceScenario());
    m_scenarios.push_back(makeLockScenario());
    m_scenarios.push_back(makeDeadlockScenario());
    m_scenarios.push_back(makeGilScenario());
    m_scenarios.push_back(makeThreadLocalScenario());
    m_scenarios.push_back(makeProcessVsThreadScenario());
    m_scenarios.push_back(makeCpuVsIoScenario());
    m_scenarios.push_back(makeAsyncScenario());
    m_scenarios.push_back(makeDistributedScenario());
    m_trace = makeTraceScenario();
}

static std::vector<std::unique_ptr<Scenario>> &unlistedScenarios()
{
    static std::vector<std::unique_ptr<Scenario>> scenarios;
    return scenarios;
}

void ScenarioRegistry::addUnlisted(std::vector<std::unique_ptr<Scenario>> scenarios)
{
    for (auto &scenario : scenarios)
        unlistedScenarios().push_back(std::move(scenario));
}

const ScenarioRegistry &ScenarioRegistry::instance()
{
    static const ScenarioRegistry registry;
    return registry;
}

const Scenario *ScenarioRegistry::find(std::string_view id) const
{
    if (id == m_trace->id())
        return m_trace.get();
    for (const auto &scenario : m_scenarios) {
        if (id == scenario->id())
            return scenario.get();
    }
    for (const auto &scenario : unlistedScenarios()) {
        if (id == scenario->id())
            return scenario.get();
    }
    return nullptr;
}

/// A bound as people write it: 10000000, not QString::arg's 1e+07; 0.001 as it is.
static QString boundText(double v)
{
    if (std::abs(v) < 1e15 && v == std::trunc(v))
        return QString::number(qlonglong(v));
    return QString::number(v, 'g', 15);
}

static QString rangeText(const ParamSpec &spec)
{
    switch (spec.kind) {
    case ParamSpec::Kind::Int:
    case ParamSpec::Kind::Double:
        return ScenarioTr::tr("%1 to %2").arg(boundText(spec.minimum), boundText(spec.maximum));
    case ParamSpec::Kind::Choice:
        return ScenarioTr::tr("one of %1").arg(spec.choices.join(QStringLiteral(", ")));
    case ParamSpec::Kind::Text:
        return ScenarioTr::tr("a text of at most %1 characters").arg(kMaxTextParam);
    }
    return {};
}

/// A value or name as a refusal quotes it: on one line, and a long one cut short with its length
/// (a 100 KB text was echoed whole).
static QString quoted(const QString &text)
{
    constexpr qsizetype kShown = 60;
    QString shown = text.left(kShown);
    for (QChar &c : shown)
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = QLatin1Char(' ');
    if (text.size() <= kShown)
        return shown;
    return ScenarioTr::tr("%1... (%2 characters)").arg(shown).arg(text.size());
}

bool ScenarioRegistry::resolveParams(const Scenario &scenario, const QList<QPair<QString, QString>> &given,
                                     ParamValues &out, QString &error)
{
    const auto specs = scenario.parameters();
    out = {};
    for (const auto &spec : specs)
        out.insert(spec.name, QJsonValue::fromVariant(spec.defaultValue));

    for (const auto &setting : given) {
        // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
        const QString &name = setting.first;
        const QString &text = setting.second;
        const auto it = std::find_if(specs.begin(), specs.end(), [&](const ParamSpec &s) { return s.name == name; });
        if (it == specs.end()) {
            QStringList known;
            for (const auto &spec : specs)
                known << spec.name;
            error = ScenarioTr::tr("scenario '%1' has no parameter '%2' (it has: %3)")
                        .arg(QLatin1String(scenario.id()), quoted(name),
                             known.isEmpty() ? ScenarioTr::tr("none") : known.join(QStringLiteral(", ")));
            return false;
        }
        const ParamSpec &spec = *it;
        bool ok = true;
        QJsonValue value;
        switch (spec.kind) {
        case ParamSpec::Kind::Int: {
            const qlonglong v = text.trimmed().toLongLong(&ok);
            ok = ok && v >= spec.minimum && v <= spec.maximum;
            value = double(v);
            break;
        }
        case ParamSpec::Kind::Double: {
            const double v = text.trimmed().toDouble(&ok);
            ok = ok && std::isfinite(v) && v >= spec.minimum && v <= spec.maximum;
            value = v;
            break;
        }
        case ParamSpec::Kind::Choice:
            ok = spec.choices.contains(text.trimmed());
            value = text.trimmed();
            break;
        case ParamSpec::Kind::Text:
            ok = text.size() <= kMaxTextParam;
            value = text;
            break;
        }
        if (!ok) {
            error = ScenarioTr::tr("parameter '%1' of scenario '%2' cannot be '%3': it takes %4")
                        .arg(name, QLatin1String(scenario.id()), quoted(text), rangeText(spec));
            return false;
        }
        out.insert(name, value);
    }
    return true;
}

QJsonObject ScenarioRegistry::describe(const Scenario &scenario)
{
    QJsonArray params;
    for (const auto &spec : scenario.parameters()) {
        QJsonObject p{{QStringLiteral("name"), spec.name},
                      {QStringLiteral("label"), ScenarioTr::tr(spec.label)},
                      {QStringLiteral("help"), ScenarioTr::tr(spec.help)},
                      {QStringLiteral("default"), QJsonValue::fromVariant(spec.defaultValue)}};
        switch (spec.kind) {
        case ParamSpec::Kind::Int:
            p.insert(QStringLiteral("type"), QStringLiteral("int"));
            p.insert(QStringLiteral("min"), spec.minimum);
            p.insert(QStringLiteral("max"), spec.maximum);
            break;
        case ParamSpec::Kind::Double:
            p.insert(QStringLiteral("type"), QStringLiteral("double"));
            p.insert(QStringLiteral("min"), spec.minimum);
            p.insert(QStringLiteral("max"), spec.maximum);
            break;
        case ParamSpec::Kind::Choice:
            p.insert(QStringLiteral("type"), QStringLiteral("choice"));
            p.insert(QStringLiteral("choices"), QJsonArray::fromStringList(spec.choices));
            break;
        case ParamSpec::Kind::Text:
            p.insert(QStringLiteral("type"), QStringLiteral("text"));
            break;
        }
        params.append(p);
    }
    return {{QStringLiteral("id"), QLatin1String(scenario.id())},
            {QStringLiteral("group"), ScenarioTr::tr(scenario.group())},
            {QStringLiteral("title"), ScenarioTr::tr(scenario.title())},
            {QStringLiteral("parameters"), params}};
}

QString paramRangeText(const ParamSpec &spec)
{
    return rangeText(spec);
}

} // namespace interleave::core
