// SPDX-License-Identifier: MIT
#pragma once

#include "scenarios/scenario.h"

#include <QWidget>

#include <vector>

class QFormLayout;
class QLabel;

namespace interleave::ui {

/// The parameters of one scenario as a form: spin boxes with the spec's range, choices as combo
/// boxes, each with its one-line help and its range written under it (a projector shows no
/// tooltips). What it returns always passes the registry's validation.
class ParameterForm : public QWidget
{
    Q_OBJECT
public:
    explicit ParameterForm(QWidget *parent = nullptr);

    /// Shows the parameters of `scenario` (nullptr: none), filled with `values` where given.
    void setScenario(const core::Scenario *scenario, const core::ParamValues &values = {});
    const core::Scenario *scenario() const { return m_scenario; }
    /// The values as typed, in --set form (name, text), for ScenarioRegistry::resolveParams.
    QList<QPair<QString, QString>> settings() const;
    /// The editor of a parameter (for tests), nullptr if there is none.
    QWidget *editor(const QString &name) const;
    /// The line under a parameter's editor: its help and range (for tests), nullptr if none.
    QLabel *hint(const QString &name) const;
    /// Puts every parameter back to its default.
    void resetToDefaults();

Q_SIGNALS:
    void changed();

protected:
    void changeEvent(QEvent *event) override;

private:
    void rebuild(const core::ParamValues &values);
    QWidget *createEditor(const core::ParamSpec &spec, const QVariant &value);
    static QString hintText(const core::ParamSpec &spec);

    const core::Scenario *m_scenario = nullptr;
    QFormLayout *m_layout = nullptr;
    std::vector<std::pair<core::ParamSpec, QWidget *>> m_editors;
    std::vector<QLabel *> m_labels;
    std::vector<QLabel *> m_hints; ///< under each editor: help and range
};

} // namespace interleave::ui
