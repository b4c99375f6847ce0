// SPDX-License-Identifier: MIT
// Fuzz target: the scenario parameter parser (ScenarioRegistry::resolveParams, what
// `interleave run ID --set NAME=VALUE ...` and the parameter form go through). The first byte
// picks a scenario, the rest are `--set` values, one per line.
#include "fuzzcheck.h"
#include "paramsinput.h"

#include "scenarios/scenario.h"

#include <QJsonValue>

#include <climits>
#include <cmath>

using namespace interleave::core;

namespace interleave::fuzz {

namespace {

/// A scenario that only has parameters; its run and findings are never called here.
class ParamsOnly final : public Scenario
{
public:
    ParamsOnly(const char *id, std::vector<ParamSpec> specs)
        : m_id(id)
        , m_specs(std::move(specs))
    {}
    const char *id() const override { return m_id; }
    const char *group() const override { return "fuzz"; }
    const char *title() const override { return "fuzz"; }
    std::vector<ParamSpec> parameters() const override { return m_specs; }
    void run(ScenarioContext &) const override {}
    QJsonObject findings(const TraceModel &, const QJsonObject &) const override { return {}; }

private:
    const char *m_id;
    std::vector<ParamSpec> m_specs;
};

ParamSpec spec(const char *name, ParamSpec::Kind kind, QVariant def, double min, double max, QStringList choices = {})
{
    ParamSpec s;
    s.name = QLatin1String(name);
    s.kind = kind;
    s.defaultValue = std::move(def);
    s.minimum = min;
    s.maximum = max;
    s.choices = std::move(choices);
    return s;
}

/// The ParamSpecs value stored for an Int is a double; this is what intParam() reads back.
int asInt(const QJsonValue &v)
{
    return v.toInt(INT_MIN);
}

} // namespace

const std::vector<std::unique_ptr<Scenario>> &syntheticScenarios()
{
    using K = ParamSpec::Kind;
    static const auto all = [] {
        std::vector<std::unique_ptr<Scenario>> v;
        // The kinds and ranges the chapter's scenarios use, and the edges of int.
        v.push_back(std::make_unique<ParamsOnly>(
            "every-kind",
            std::vector<ParamSpec>{
                spec("workers", K::Int, 4, 1, 64),
                spec("iterations", K::Int, 100000, 1, 10000000),
                spec("offset", K::Int, 0, -1000, 1000),
                spec("big", K::Int, 0, INT_MIN, INT_MAX),
                spec("seconds", K::Double, 3.0, 0.1, 60.0),
                spec("ratio", K::Double, 0.5, 0.0, 1.0),
                spec("variant", K::Choice, QStringLiteral("naive"), 0, 0,
                     {QStringLiteral("naive"), QStringLiteral("ordered"), QStringLiteral("scoped_lock"),
                      QStringLiteral("try_lock")}),
                spec("gil", K::Choice, QStringLiteral("off"), 0, 0, {QStringLiteral("off"), QStringLiteral("on")}),
                spec("command", K::Text, QStringLiteral("sort"), 0, 0),
            }));
        v.push_back(std::make_unique<ParamsOnly>("none", std::vector<ParamSpec>{}));
        return v;
    }();
    return all;
}

QList<QPair<QString, QString>> splitSets(const uint8_t *data, size_t size)
{
    QList<QPair<QString, QString>> sets;
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    for (const QString &line : text.split(QLatin1Char('\n'))) {
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq > 0)
            sets.append({line.left(eq), line.mid(eq + 1)});
    }
    return sets;
}

void checkResolve(const Scenario &scenario, const QList<QPair<QString, QString>> &given)
{
    ParamValues out;
    QString error;
    const bool ok = ScenarioRegistry::resolveParams(scenario, given, out, error);
    ParamValues again;
    QString error2;
    FUZZ_CHECK(ScenarioRegistry::resolveParams(scenario, given, again, error2) == ok, "a second parse disagrees");
    const std::vector<ParamSpec> specs = scenario.parameters();
    if (!ok) {
        FUZZ_CHECK(!error.isEmpty() && error == error2, "a refusal without a stable message");
        FUZZ_CHECK(error.contains(QLatin1String(scenario.id())), "a refusal that does not name the scenario");
        FUZZ_CHECK(!error.contains(QLatin1Char('\n')), "a refusal of more than one line");
        return;
    }
    FUZZ_CHECK(out == again, "a second parse gives other values");
    FUZZ_CHECK(size_t(out.size()) == specs.size(), "values for parameters the scenario does not have");
    for (const ParamSpec &s : specs) {
        FUZZ_CHECK(out.contains(s.name), "a parameter without a value");
        const QJsonValue v = out.value(s.name);
        // The last --set of a name wins, as on the command line.
        const QString *typed = nullptr;
        for (const auto &[name, text] : given) {
            if (name == s.name)
                typed = &text;
        }
        switch (s.kind) {
        case ParamSpec::Kind::Int:
            FUZZ_CHECK(v.isDouble() && std::floor(v.toDouble()) == v.toDouble(), "an int parameter is not an integer");
            if (typed) {
                FUZZ_CHECK(v.toDouble() >= s.minimum && v.toDouble() <= s.maximum, "an int outside its range");
                FUZZ_CHECK(asInt(v) == typed->trimmed().toLongLong(), "intParam() does not read the typed value");
            }
            break;
        case ParamSpec::Kind::Double:
            FUZZ_CHECK(v.isDouble(), "a double parameter is not a number");
            if (typed)
                FUZZ_CHECK(std::isfinite(v.toDouble()) && v.toDouble() >= s.minimum && v.toDouble() <= s.maximum,
                           "a double outside its range");
            break;
        case ParamSpec::Kind::Choice:
            FUZZ_CHECK(v.isString(), "a choice is not text");
            if (typed)
                FUZZ_CHECK(s.choices.contains(v.toString()) && v.toString() == typed->trimmed(),
                           "a choice that is not one of the choices");
            break;
        case ParamSpec::Kind::Text:
            FUZZ_CHECK(v.isString(), "a text parameter is not text");
            if (typed)
                FUZZ_CHECK(v.toString() == *typed && typed->size() <= 4096, "a text parameter changed or too long");
            break;
        }
    }
}

} // namespace interleave::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace interleave::fuzz;
    if (size == 0)
        return 0;
    const auto &scenarios = syntheticScenarios();
    checkResolve(*scenarios[data[0] % scenarios.size()], splitSets(data + 1, size - 1));
    return 0;
}
