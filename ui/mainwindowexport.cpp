// SPDX-License-Identifier: MIT
// MainWindow's saving and exporting of the trace on show: .iltrace, Chrome JSON, images and animations.
#include "ui/mainwindow.h"
#include "ui/mainwindowimpl.h"

#include "ui/charts/chartsview.h"

#include "io/chromejson.h"
#include "io/iltrace.h"
#include "run/analysisexport.h"
#include "ui/animationdialog.h"
#include "ui/animationexport.h"
#include "ui/imageexport.h"

#include <QAction>
#include <QMessageBox>
#include <QProgressDialog>
#include <QStatusBar>
#include <QTabWidget>

namespace interleave::ui {

bool MainWindow::saveTrace(const QString &path, QString *error)
{
    if (!model() || running()) {
        *error = tr("There is no finished trace to save yet.");
        return false;
    }
    return core::saveIltrace(model()->data(), path, error);
}

bool MainWindow::exportChrome(const QString &path, QString *error)
{
    if (!model() || running()) {
        *error = tr("There is no finished trace to export yet.");
        return false;
    }
    return core::exportChromeJson(*model(), path, error, core::chromeExtras(*model(), m_info.findings));
}

bool MainWindow::exportImage(const QString &viewName, const QString &path, QSize size, qreal scale, QString *error)
{
    if (!model()) {
        *error = tr("There is no trace to draw yet: run a scenario or open a trace first.");
        return false;
    }
    ImageRequest request;
    request.path = path;
    request.size = size;
    request.scale = scale;
    request.theme = m_theme;
    request.playhead = m_playback->position();
    if (const TraceView *source = view(viewName)) {
        const auto [t0, t1] = source->visibleRange();
        request.rangeStart = t0;
        request.rangeEnd = t1;
    }
    // The charts of repeated runs live in the window's view, not in the trace.
    if (const auto *chart = qobject_cast<const ChartsView *>(view(viewName))) {
        request.prepare = [chart](TraceView &drawn) {
            if (auto *copy = qobject_cast<ChartsView *>(&drawn))
                copy->copyRunsFrom(*chart);
        };
    }
    return ImageExport::write(viewName, *model(), m_info, request, error);
}

bool MainWindow::exportAnimation(const QString &viewName, const AnimationRequest &request,
                                 const std::function<bool(int64_t, int64_t)> &progress, QString *error)
{
    if (!model() || running()) {
        *error = tr("There is no finished trace to animate yet.");
        return false;
    }
    AnimationRequest ranged = request;
    ranged.theme = m_theme;
    if (const TraceView *source = view(viewName)) {
        const auto [t0, t1] = source->visibleRange();
        ranged.rangeStart = std::max<int64_t>(0, t0 - model()->startTime());
        ranged.rangeEnd = std::max<int64_t>(0, t1 - model()->startTime());
    }
    return AnimationExport::write(viewName, *model(), m_info, ranged, progress, error);
}

void MainWindow::createAnimationAction()
{
    m_animationAction = new QAction(this);
    connect(m_animationAction, &QAction::triggered, this, [this] {
        const auto *current = qobject_cast<TraceView *>(m_tabs->currentWidget());
        AnimationDialog dialog(ImageExport::viewNames(), current ? current->viewName() : QStringLiteral("timeline"),
                               m_info.scenario, this);
        if (dialog.exec() != QDialog::Accepted)
            return;
        AnimationRequest request;
        request.path = dialog.path();
        request.size = dialog.frameSize();
        request.fps = dialog.fps();
        request.speed = dialog.speed();
        // The frames are drawn here, between the progress dialog's events: Cancel stops at the next frame.
        QProgressDialog progress(tr("Drawing the animation..."), tr("Cancel"), 0, 1, this);
        progress.setWindowTitle(tr("Export Animation"));
        progress.setWindowModality(Qt::WindowModal);
        progress.setMinimumDuration(0);
        QString error;
        const bool written = exportAnimation(
            dialog.viewName(), request,
            [&progress](int64_t done, int64_t total) {
                progress.setMaximum(int(total));
                progress.setValue(int(done));
                return !progress.wasCanceled();
            },
            &error);
        progress.reset();
        if (written)
            statusBar()->showMessage(tr("Saved %1").arg(request.path), 5000);
        else if (!error.isEmpty())
            QMessageBox::warning(this, tr("Export Animation"), error);
    });
}

} // namespace interleave::ui
