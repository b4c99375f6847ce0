// SPDX-License-Identifier: MIT
#include "ui/mainwindow.h"

#include "scenarios/scenario.h"
#include "ui/application.h"

#include <QAction>
#include <QActionGroup>
#include <QCloseEvent>
#include <QDockWidget>
#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTextBrowser>
#include <QTreeWidget>

namespace interleave::ui {

using core::ScenarioRegistry;
using core::ScenarioTr;

namespace {
constexpr int IdRole = Qt::UserRole;
}

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setObjectName(QStringLiteral("MainWindow"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/interleave.svg")));

    m_browser = new QTreeWidget(this);
    m_browser->setObjectName(QStringLiteral("ScenarioBrowser"));
    m_browser->setColumnCount(1);
    m_browser->header()->hide();
    m_browser->setRootIsDecorated(true);
    m_browser->setUniformRowHeights(true);
    auto *dock = new QDockWidget(this);
    dock->setObjectName(QStringLiteral("ScenarioDock"));
    dock->setWidget(m_browser);
    dock->setFeatures(QDockWidget::DockWidgetMovable);
    addDockWidget(Qt::LeftDockWidgetArea, dock);

    // Until the timeline arrives, the middle shows what the student should know before Run.
    m_explanation = new QTextBrowser(this);
    m_explanation->setObjectName(QStringLiteral("ScenarioExplanation"));
    m_explanation->setOpenLinks(false);
    m_explanation->document()->setDocumentMargin(24);
    QFont reading = m_explanation->font();
    reading.setPointSizeF(reading.pointSizeF() * 1.25);
    m_explanation->setFont(reading);
    setCentralWidget(m_explanation);

    m_statusLabel = new QLabel(this);
    statusBar()->addWidget(m_statusLabel, 1);

    createActions();
    createMenus();
    retranslate();

    connect(m_browser, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (item && !item->data(0, IdRole).toString().isEmpty())
            showScenario(item->data(0, IdRole).toString());
    });

    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) {
        resize(1280, 800);
        resizeDocks({dock}, {420}, Qt::Horizontal);
    }
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    const QString last = settings.value(QStringLiteral("lastScenario")).toString();
    if (!selectScenario(last) && !ScenarioRegistry::instance().all().empty())
        selectScenario(QLatin1String(ScenarioRegistry::instance().all().front()->id()));
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    m_openAction = new QAction(this);
    m_openAction->setShortcut(QKeySequence::Open);
    m_openAction->setEnabled(false); // opening traces arrives with the trace views
    m_quitAction = new QAction(this);
    m_quitAction->setShortcut(QKeySequence::Quit);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    m_runAction = new QAction(this);
    m_runAction->setShortcut(Qt::Key_F9);
    m_runAction->setEnabled(false);
    m_stopAction = new QAction(this);
    m_stopAction->setEnabled(false);

    m_languageGroup = new QActionGroup(this);
    m_englishAction = new QAction(QStringLiteral("English"), m_languageGroup);
    m_chineseAction = new QAction(QStringLiteral("中文（简体）"), m_languageGroup);
    for (auto *action : {m_englishAction, m_chineseAction})
        action->setCheckable(true);
    (Application::language() == QLatin1String("zh_CN") ? m_chineseAction : m_englishAction)->setChecked(true);
    connect(m_englishAction, &QAction::triggered, this, [] { Application::setLanguage(QStringLiteral("en")); });
    connect(m_chineseAction, &QAction::triggered, this, [] { Application::setLanguage(QStringLiteral("zh_CN")); });

    m_aboutAction = new QAction(this);
    connect(m_aboutAction, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About Interleave"),
                           tr("<h3>Interleave %1</h3><p>See processes, threads, locks and queues at work: every "
                              "scenario runs real operating-system primitives and shows what they did.</p>")
                               .arg(QStringLiteral(INTERLEAVE_VERSION)));
    });
}

void MainWindow::createMenus()
{
    m_fileMenu = menuBar()->addMenu(QString());
    m_fileMenu->addAction(m_openAction);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_quitAction);
    m_runMenu = menuBar()->addMenu(QString());
    m_runMenu->addAction(m_runAction);
    m_runMenu->addAction(m_stopAction);
    m_viewMenu = menuBar()->addMenu(QString());
    m_viewMenu->addAction(findChild<QDockWidget *>(QStringLiteral("ScenarioDock"))->toggleViewAction());
    m_languageMenu = menuBar()->addMenu(QString());
    m_languageMenu->addActions(m_languageGroup->actions());
    m_helpMenu = menuBar()->addMenu(QString());
    m_helpMenu->addAction(m_aboutAction);
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
    selectScenario(current);
}

void MainWindow::retranslate()
{
    setWindowTitle(tr("Interleave - processes and threads, seen at work"));
    findChild<QDockWidget *>(QStringLiteral("ScenarioDock"))->setWindowTitle(tr("Scenarios"));
    m_fileMenu->setTitle(tr("&File"));
    m_runMenu->setTitle(tr("&Run"));
    m_viewMenu->setTitle(tr("&View"));
    m_languageMenu->setTitle(tr("&Language"));
    m_helpMenu->setTitle(tr("&Help"));
    m_openAction->setText(tr("&Open Trace..."));
    m_quitAction->setText(tr("&Quit"));
    m_runAction->setText(tr("&Run Scenario"));
    m_stopAction->setText(tr("&Stop"));
    m_aboutAction->setText(tr("&About Interleave"));
    fillBrowser();
    const QString id = selectedScenario();
    if (id.isEmpty())
        m_explanation->setMarkdown(tr("Choose a scenario on the left."));
    else
        showScenario(id);
    m_statusLabel->setText(tr("%n scenario(s) from the chapter \"Processes and threads\"", nullptr,
                              int(ScenarioRegistry::instance().all().size())));
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
    return false;
}

QString MainWindow::selectedScenario() const
{
    const auto *item = m_browser->currentItem();
    return item ? item->data(0, IdRole).toString() : QString();
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QMainWindow::changeEvent(event);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("lastScenario"), selectedScenario());
    settings.setValue(QStringLiteral("language"), Application::language());
    QMainWindow::closeEvent(event);
}

} // namespace interleave::ui
