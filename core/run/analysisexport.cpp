// SPDX-License-Identifier: MIT
#include "run/analysisexport.h"

#include "analysis/lostupdates.h"
#include "analysis/waitforgraph.h"
#include "trace/tracemodel.h"

#include <QJsonDocument>

namespace interleave::core {

ChromeExtras chromeExtras(const TraceModel &model, const QJsonObject &findings)
{
    ChromeExtras extras;
    extras.findings = findings;
    extras.deadlock = theDeadlock(model);
    const LostUpdates lost = LostUpdates::find(model);
    extras.instants.reserve(lost.all().size());
    for (const LostUpdate &u : lost.all()) {
        QJsonObject args = lostUpdateToJson(model, u);
        args.insert(QStringLiteral("variable"), QString::fromStdString(model.objectName(u.var)));
        extras.instants.push_back({u.thread, u.storeTime, "lost update", "lost-update",
                                   QJsonDocument(args).toJson(QJsonDocument::Compact).toStdString()});
    }
    return extras;
}

} // namespace interleave::core
