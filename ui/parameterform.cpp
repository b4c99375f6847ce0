// SPDX-License-Identifier: MIT
#include "ui/parameterform.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSpinBox>

#include <climits>
#include <cmath>

namespace interleave::ui {

using core::ParamSpec;
using core::ScenarioTr;

ParameterForm::ParameterForm(QWidget *parent)
    : QWidget(parent)
{
    m_layout = new QFormLayout(this);
    m_layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
}

void ParameterForm::setScenario(const core::Scenario *scenario, const core::ParamValues &values)
{
    m_scenario = scenario;
    rebuild(values);
}

void ParameterForm::rebuild(const core::ParamValues &values)
{
    while (m_layout->rowCount() > 0)
        m_layout->removeRow(0);
    m_editors.clear();
    m_labels.clear();
    m_hints.clear();
    if (!m_scenario)
        return;
    for (const ParamSpec &spec : m_scenario->parameters()) {
        const QVariant value = values.contains(spec.name) ? values.value(spec.name).toVariant() : spec.defaultValue;
        QWidget *editor = createEditor(spec, value);
        editor->setObjectName(spec.name);
        editor->setToolTip(ScenarioTr::tr(spec.help));
        auto *label = new QLabel(ScenarioTr::tr(spec.label), this);
        label->setToolTip(ScenarioTr::tr(spec.help));
        label->setBuddy(editor);
        // The help and range on a line of their own under the label and editor, across the form's
        // width (a projector shows no tooltips), in full colour: a projector washes out grey text.
        auto *hint = new QLabel(hintText(spec), this);
        hint->setObjectName(spec.name + QStringLiteral("Hint"));
        hint->setWordWrap(true);
        hint->setContentsMargins(0, 0, 0, hint->fontMetrics().height() / 3);
        m_layout->addRow(label, editor);
        m_layout->addRow(hint);
        m_labels.push_back(label);
        m_hints.push_back(hint);
        m_editors.emplace_back(spec, editor);
    }
}

QWidget *ParameterForm::createEditor(const ParamSpec &spec, const QVariant &value)
{
    switch (spec.kind) {
    case ParamSpec::Kind::Int: {
        auto *box = new QSpinBox(this);
        box->setRange(int(std::max<double>(spec.minimum, INT_MIN)), int(std::min<double>(spec.maximum, INT_MAX)));
        box->setValue(value.toInt());
        box->setGroupSeparatorShown(spec.maximum >= 10000);
        connect(box, &QSpinBox::valueChanged, this, &ParameterForm::changed);
        return box;
    }
    case ParamSpec::Kind::Double: {
        auto *box = new QDoubleSpinBox(this);
        box->setDecimals(3);
        box->setRange(spec.minimum, spec.maximum);
        box->setValue(value.toDouble());
        connect(box, &QDoubleSpinBox::valueChanged, this, &ParameterForm::changed);
        return box;
    }
    case ParamSpec::Kind::Choice: {
        auto *box = new QComboBox(this);
        for (const QString &choice : spec.choices)
            box->addItem(choice, choice);
        box->setCurrentIndex(std::max<qsizetype>(0, spec.choices.indexOf(value.toString())));
        connect(box, &QComboBox::currentIndexChanged, this, &ParameterForm::changed);
        return box;
    }
    case ParamSpec::Kind::Text:
        break;
    }
    auto *line = new QLineEdit(value.toString(), this);
    connect(line, &QLineEdit::textChanged, this, &ParameterForm::changed);
    return line;
}

QString ParameterForm::hintText(const ParamSpec &spec)
{
    const QString help = ScenarioTr::tr(spec.help);
    QString range;
    if (spec.kind == ParamSpec::Kind::Int || spec.kind == ParamSpec::Kind::Double) {
        const QLocale locale;
        const auto number = [&](double v) {
            return spec.kind == ParamSpec::Kind::Int ? locale.toString(qlonglong(v)) : locale.toString(v, 'g', 6);
        };
        range = tr("%1 to %2").arg(number(spec.minimum), number(spec.maximum));
    }
    if (range.isEmpty())
        return help;
    return help.isEmpty() ? range : tr("%1 (%2)", "help (range)").arg(help, range);
}

QLabel *ParameterForm::hint(const QString &name) const
{
    for (size_t i = 0; i < m_editors.size(); ++i)
        if (m_editors[i].first.name == name)
            return m_hints[i];
    return nullptr;
}

QList<QPair<QString, QString>> ParameterForm::settings() const
{
    QList<QPair<QString, QString>> out;
    for (const auto &[spec, editor] : m_editors) {
        QString text;
        if (auto *i = qobject_cast<QSpinBox *>(editor))
            text = QString::number(i->value());
        else if (auto *d = qobject_cast<QDoubleSpinBox *>(editor))
            text = QString::number(d->value(), 'g', 12);
        else if (auto *c = qobject_cast<QComboBox *>(editor))
            text = c->currentData().toString();
        else if (auto *l = qobject_cast<QLineEdit *>(editor))
            text = l->text();
        out.append({spec.name, text});
    }
    return out;
}

QWidget *ParameterForm::editor(const QString &name) const
{
    for (const auto &[spec, editor] : m_editors)
        if (spec.name == name)
            return editor;
    return nullptr;
}

void ParameterForm::resetToDefaults()
{
    rebuild({});
    Q_EMIT changed();
}

void ParameterForm::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        for (size_t i = 0; i < m_labels.size(); ++i) {
            m_labels[i]->setText(ScenarioTr::tr(m_editors[i].first.label));
            m_labels[i]->setToolTip(ScenarioTr::tr(m_editors[i].first.help));
            m_editors[i].second->setToolTip(ScenarioTr::tr(m_editors[i].first.help));
            m_hints[i]->setText(hintText(m_editors[i].first));
        }
    }
    QWidget::changeEvent(event);
}

} // namespace interleave::ui
