// SPDX-License-Identifier: MIT
// MainWindow's scenario browser, the parameters of the selected scenario and its explanation.
#include "ui/mainwindow.h"
#include "ui/mainwindowimpl.h"

#include "scenarios/scenario.h"
#include "ui/application.h"
#include "ui/documentfonts.h"
#include "ui/parameterform.h"
#include "ui/scenariolist.h"

#include <QDockWidget>
#include <QGroupBox>
#include <QHeaderView>
#include <QJsonDocument>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace interleave::ui {

using core::ScenarioRegistry;
using core::ScenarioTr;
using windowdetail::IdRole;

void MainWindow::createDocks()
{
    // Left: the chapter's scenarios, and the parameters of the selected one.
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(4, 4, 4, 4);
    m_browser = new ScenarioList(left); // names wrap, never cut
    m_browser->setObjectName(QStringLiteral("ScenarioBrowser"));
    m_browser->setColumnCount(1);
    m_browser->header()->hide();
    m_browser->setRootIsDecorated(true);
    leftLayout->addWidget(m_browser, 3);
    auto *paramsBox = new QGroupBox(left);
    paramsBox->setObjectName(QStringLiteral("ParametersBox"));
    auto *paramsLayout = new QVBoxLayout(paramsBox);
    m_params = new ParameterForm(paramsBox);
    m_params->setObjectName(QStringLiteral("ParameterForm"));
    paramsLayout->addWidget(m_params);
    m_defaultsButton = new QPushButton(paramsBox);
    paramsLayout->addWidget(m_defaultsButton, 0, Qt::AlignRight);
    leftLayout->addWidget(paramsBox, 2);
    auto *scenarioDock = new QDockWidget(this);
    scenarioDock->setObjectName(QStringLiteral("ScenarioDock"));
    scenarioDock->setWidget(left);
    scenarioDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable);
    addDockWidget(Qt::LeftDockWidgetArea, scenarioDock);

    // Right: what the student should know before and after pressing Run.
    m_explanation = new QTextBrowser(this);
    m_explanation->setObjectName(QStringLiteral("ScenarioExplanation"));
    m_explanation->setOpenLinks(false);
    m_explanation->document()->setDocumentMargin(12);
    auto *explanationDock = new QDockWidget(this);
    explanationDock->setObjectName(QStringLiteral("ExplanationDock"));
    explanationDock->setWidget(m_explanation);
    explanationDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable);
    addDockWidget(Qt::RightDockWidgetArea, explanationDock);
}

void MainWindow::fillBrowser()
{
    const QString current = selectedScenario();
    const QSignalBlocker blocker(m_browser);
    m_browser->clear();
    QTreeWidgetItem *group = nullptr;
    QString groupName;
    for (const auto &scenario : ScenarioRegistry::instance().all()) {
        const QString name = ScenarioTr::tr(scenario->group());
        if (!group || name != groupName) {
            group = new QTreeWidgetItem(m_browser, {name});
            group->setFlags(Qt::ItemIsEnabled);
            QFont bold = group->font(0);
            bold.setBold(true);
            group->setFont(0, bold);
            groupName = name;
        }
        auto *item = new QTreeWidgetItem(group, {ScenarioTr::tr(scenario->title())});
        item->setData(0, IdRole, QString::fromLatin1(scenario->id()));
        item->setToolTip(0, ScenarioTr::tr(scenario->title()) + QStringLiteral(" (") +
                                QString::fromLatin1(scenario->id()) + QLatin1Char(')'));
    }
    m_browser->expandAll();
    if (!current.isEmpty()) {
        for (QTreeWidgetItemIterator it(m_browser); *it; ++it)
            if ((*it)->data(0, IdRole).toString() == current)
                m_browser->setCurrentItem(*it);
    }
}

void MainWindow::showScenario(const QString &id)
{
    const auto *scenario = ScenarioRegistry::instance().find(id.toStdString());
    if (!scenario)
        return;
    QString text = scenario->explanation(Application::language());
    if (text.isEmpty())
        text = QStringLiteral("# ") + ScenarioTr::tr(scenario->title());
    m_explanation->setMarkdown(text);
    followWidgetFontSize(m_explanation->document()); // code spans too grow in the projector theme
    if (m_params->scenario() != scenario) {
        const QJsonObject saved =
            QJsonDocument::fromJson(QSettings().value(QStringLiteral("params/") + id).toByteArray()).object();
        m_params->setScenario(scenario, saved);
        m_questionPending = m_presentation; // a new question for the class
    }
    if (m_center->currentWidget() == m_startCard || !model())
        showStartCard();
}

void MainWindow::clearTrace()
{
    for (TraceView *view : m_views) {
        view->setModel(nullptr);
        view->setRunInfo({});
    }
    m_playback->setModel(nullptr);
    settleSummary();
    m_session.reset();
    m_loaded.reset();
    m_loadedPath.clear();
    m_info = {};
    updateControls();
}

void MainWindow::showStartCard()
{
    const auto *scenario = ScenarioRegistry::instance().find(selectedScenario().toStdString());
    if (!scenario)
        return;
    // Before Run, the middle asks the class the scenario's question, in large type.
    const QString question = scenario->question(Application::language());
    QString html = QStringLiteral("<h1>") + ScenarioTr::tr(scenario->title()).toHtmlEscaped() + QStringLiteral("</h1>");
    if (!question.isEmpty())
        html += QStringLiteral("<p style='font-size:x-large'>") + question.toHtmlEscaped() + QStringLiteral("</p>");
    html += QStringLiteral("<p style='color:gray'>") + startCardHint().toHtmlEscaped() + QStringLiteral("</p>");
    m_startCard->setHtml(html);
    followWidgetFontSize(m_startCard->document());
    m_center->setCurrentWidget(m_startCard);
}

bool MainWindow::selectScenario(const QString &id)
{
    if (id.isEmpty())
        return false;
    for (QTreeWidgetItemIterator it(m_browser); *it; ++it) {
        if ((*it)->data(0, IdRole).toString() == id) {
            m_browser->setCurrentItem(*it);
            showScenario(id);
            return true;
        }
    }
    // Test-only scenarios are not in the browser but can still be run (tests/app/kill_test.cpp).
    if (!ScenarioRegistry::instance().find(id.toStdString()))
        return false;
    m_browser->setCurrentItem(nullptr);
    showScenario(id);
    return true;
}

QString MainWindow::selectedScenario() const
{
    const auto *item = m_browser->currentItem();
    return item ? item->data(0, IdRole).toString() : QString();
}

void MainWindow::saveParams()
{
    if (const auto *scenario = m_params->scenario()) {
        core::ParamValues resolved;
        QString error;
        if (ScenarioRegistry::resolveParams(*scenario, m_params->settings(), resolved, error))
            QSettings().setValue(QStringLiteral("params/") + QLatin1String(scenario->id()),
                                 QJsonDocument(resolved).toJson(QJsonDocument::Compact));
    }
}

} // namespace interleave::ui
