// SPDX-License-Identifier: MIT
// MainWindow's saving and exporting of the trace on show: .iltrace, Chrome JSON and images.
#include "ui/mainwindow.h"
#include "ui/mainwindowimpl.h"

#include "io/chromejson.h"
#include "io/iltrace.h"
#include "run/analysisexport.h"
#include "ui/imageexport.h"

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
    return ImageExport::write(viewName, *model(), m_info, request, error);
}

} // namespace interleave::ui
