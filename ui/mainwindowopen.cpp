// SPDX-License-Identifier: MIT
// MainWindow's opening of trace files on a worker thread, with its progress panel, and how a trace is shown.
#include "ui/mainwindow.h"
#include "ui/mainwindowimpl.h"

#include "run/summary.h"
#include "scenarios/scenario.h"
#include "ui/traceopener.h"

#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTextBrowser>
#include <QTimer>
#include <QVBoxLayout>

namespace interleave::ui {

using core::ScenarioRegistry;
using core::ScenarioTr;

void MainWindow::createOpenPanel()
{
    // Shown in place of the views while a slow open reads its file: big enough to read on a projector.
    m_openPanel = new QWidget(m_center);
    m_openPanel->setObjectName(QStringLiteral("OpenPanel"));
    auto *layout = new QVBoxLayout(m_openPanel);
    layout->addStretch(1);
    m_openLabel = new QLabel(m_openPanel);
    m_openLabel->setAlignment(Qt::AlignCenter);
    m_openLabel->setWordWrap(true);
    QFont big = m_openLabel->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    m_openLabel->setFont(big);
    layout->addWidget(m_openLabel);
    m_openBar = new QProgressBar(m_openPanel);
    m_openBar->setObjectName(QStringLiteral("OpenProgress"));
    m_openBar->setRange(0, 1000);
    m_openBar->setMinimumWidth(420);
    m_openBar->setMinimumHeight(m_openLabel->fontMetrics().height());
    layout->addWidget(m_openBar, 0, Qt::AlignHCenter);
    m_openCancel = new QPushButton(m_openPanel);
    m_openCancel->setObjectName(QStringLiteral("OpenCancel"));
    m_openCancel->setShortcut(QKeySequence(Qt::Key_Escape));
    connect(m_openCancel, &QPushButton::clicked, this, &MainWindow::cancelOpen);
    layout->addWidget(m_openCancel, 0, Qt::AlignHCenter);
    layout->addStretch(2);
    m_center->addWidget(m_openPanel);
    m_openTimer = new QTimer(this);
    m_openTimer->setInterval(50);
    connect(m_openTimer, &QTimer::timeout, this, &MainWindow::showOpenProgress);
}

void MainWindow::openTrace(const QString &path)
{
    if (m_opener) {
        QWidget *returnTo = m_openReturnTo;
        abandonOpen(tr("Opening was cancelled: another trace was opened."));
        m_openReturnTo = returnTo;
    } else {
        m_openReturnTo = m_center->currentWidget();
    }
    std::vector<TraceView::Prepare> preparers;
    for (TraceView *view : m_views)
        preparers.push_back(view->preparer());
    m_opener = std::make_unique<TraceOpener>(path, std::move(preparers));
    connect(m_opener.get(), &TraceOpener::finished, this, &MainWindow::adoptOpenedTrace);
    m_openTicks = 0;
    m_openLabel->setText(tr("Opening %1…").arg(QFileInfo(path).fileName()));
    m_openBar->setRange(0, 1000);
    m_openBar->setValue(0);
    m_openCancel->setText(tr("Cancel"));
    m_openCancel->setEnabled(true);
    m_openTimer->start();
    statusBar()->showMessage(tr("Opening %1…").arg(QDir::toNativeSeparators(path)));
}

void MainWindow::abandonOpen(const QString &why)
{
    // Cancelled, and not waited for: its thread may be building a model, which takes a moment.
    // It deletes itself when it is done; as the window's child it cannot outlive the window.
    TraceOpener *opener = m_opener.release();
    disconnect(opener, nullptr, this, nullptr);
    opener->cancel();
    opener->setParent(this);
    connect(opener, &TraceOpener::finished, opener, &QObject::deleteLater);
    m_openTimer->stop();
    if (m_center->currentWidget() == m_openPanel)
        m_center->setCurrentWidget(m_openReturnTo ? m_openReturnTo : m_startCard);
    Q_EMIT traceOpened(false, why);
}

void MainWindow::cancelOpen()
{
    if (!m_opener)
        return;
    m_opener->cancel();
    m_openCancel->setEnabled(false);
    m_openLabel->setText(tr("Cancelling…"));
}

void MainWindow::showOpenProgress()
{
    if (!m_opener)
        return;
    // A quick open never shows the panel: it would only flash.
    if (++m_openTicks == 3)
        m_center->setCurrentWidget(m_openPanel);
    const double fraction = m_opener->fraction();
    if (fraction < 0) {
        m_openBar->setRange(0, 0); // busy: building the views' model has no fraction to show
        if (!m_opener->cancelled())
            m_openLabel->setText(tr("Preparing %1 for the views…").arg(QFileInfo(m_opener->path()).fileName()));
    } else {
        m_openBar->setValue(int(fraction * 1000));
    }
}

void MainWindow::adoptOpenedTrace()
{
    // Not deleted here: this runs inside its signal. Its thread has ended or is about to.
    TraceOpener *opener = m_opener.release();
    opener->deleteLater();
    m_openTimer->stop();
    OpenedTrace opened = opener->takeResult();
    if (m_center->currentWidget() == m_openPanel)
        m_center->setCurrentWidget(m_openReturnTo ? m_openReturnTo : m_startCard);
    const QString path = opened.path;
    if (opened.problem == core::LoadResult::Problem::Cancelled) {
        const QString message = tr("Opening %1 was cancelled.").arg(QFileInfo(path).fileName());
        statusBar()->showMessage(message, 5000);
        Q_EMIT traceOpened(false, message);
        return;
    }
    if (!opened.shown) {
        statusBar()->clearMessage();
        // Not modal: the window stays usable, and nothing waits for the box to close.
        auto *box = new QMessageBox(QMessageBox::Warning, tr("Open Trace"), opened.error, QMessageBox::Ok, this);
        box->setObjectName(QStringLiteral("OpenError"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        Q_EMIT traceOpened(false, opened.error);
        return;
    }
    if (running())
        stopRun();
    settleSummary();
    for (TraceView *view : m_views)
        view->setModel(nullptr);
    m_playback->setModel(nullptr);
    m_session.reset();
    m_loaded = std::move(opened.model);
    m_loadedPath = path;

    const QJsonObject &summary = opened.summary;
    m_info = {};
    m_info.scenario = summary.value(QStringLiteral("scenario")).toString();
    const auto *scenario = ScenarioRegistry::instance().find(m_info.scenario.toStdString());
    m_info.title = scenario ? ScenarioTr::tr(scenario->title()) : QFileInfo(path).fileName();
    m_info.params = summary.value(QStringLiteral("params")).toObject();
    m_info.status = summary.value(QStringLiteral("status")).toString();
    if (scenario)
        selectScenario(m_info.scenario);
    showModel(m_loaded.get(), m_info, std::move(opened.prepared));
    seekToDeadlock();
    if (!opened.error.isEmpty())
        statusBar()->showMessage(opened.error, 30000);
    else
        statusBar()->showMessage(tr("Opened %1").arg(QFileInfo(path).fileName()), 5000);
    Q_EMIT traceOpened(true, opened.error);
}

void MainWindow::updateLossBanner()
{
    const core::TraceModel *m = model();
    const QString loss = m ? core::lossText(m->data()) : QString();
    m_lossBanner->setText(loss);
    m_lossBanner->setVisible(!loss.isEmpty());
}

void MainWindow::showModel(const core::TraceModel *model, const RunInfo &info,
                           std::vector<TraceView::Prepared> prepared)
{
    m_center->setCurrentWidget(m_splitter);
    prepared.resize(m_views.size());
    for (size_t i = 0; i < m_views.size(); ++i) {
        m_views[i]->setRunInfo(info);
        m_views[i]->setModel(model, std::move(prepared[i]));
    }
    m_playback->setModel(model);
    updateLossBanner();
    refreshViews(true);
    updateControls();
}

void MainWindow::seekToDeadlock()
{
    // By its end every thread of a deadlocked run has been killed, so the end shows nothing of the
    // lesson: the views open at the moment the cycle formed (graph: the cycle; code: each blocked line).
    if (model())
        if (const auto t = core::recordedDeadlockTime(*model()))
            m_playback->seek(*t);
}

} // namespace interleave::ui
