// SPDX-License-Identifier: MIT
// The views by name: one place that knows every view class, for the window's tabs and --view.
#include "ui/charts/chartsview.h"
#include "ui/code/codeview.h"
#include "ui/console/consoleview.h"
#include "ui/graph/graphview.h"
#include "ui/imageexport.h"
#include "ui/timeline/coresview.h"
#include "ui/timeline/timelineview.h"
#include "ui/traceview.h"

namespace interleave::ui {

QStringList ImageExport::viewNames()
{
    return {QStringLiteral("timeline"), QStringLiteral("graph"), QStringLiteral("cores"),
            QStringLiteral("chart"),    QStringLiteral("code"),  QStringLiteral("console")};
}

std::unique_ptr<TraceView> ImageExport::createView(const QString &name)
{
    if (name == QLatin1String("timeline"))
        return std::make_unique<TimelineView>();
    if (name == QLatin1String("graph"))
        return std::make_unique<GraphView>();
    if (name == QLatin1String("cores"))
        return std::make_unique<CoresView>();
    if (name == QLatin1String("chart"))
        return std::make_unique<ChartsView>();
    if (name == QLatin1String("code"))
        return std::make_unique<CodeView>();
    if (name == QLatin1String("console"))
        return std::make_unique<ConsoleView>();
    return nullptr;
}

} // namespace interleave::ui
