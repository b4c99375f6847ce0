// SPDX-License-Identifier: MIT
#include "ui/traceopener.h"

#include "io/chromejson.h"
#include "run/summary.h"
#include "trace/tracemodel.h"

#include <QCoreApplication>

#include <algorithm>

namespace interleave::ui {

using Problem = core::LoadResult::Problem;

TraceOpener::TraceOpener(const QString &path, std::vector<TraceView::Prepare> preparers, QObject *parent)
    : QObject(parent)
    , m_path(path)
    , m_preparers(std::move(preparers))
{
    m_result.path = path;
    m_thread = std::thread([this] { work(); });
}

TraceOpener::~TraceOpener()
{
    cancel();
    m_thread.join();
}

double TraceOpener::fraction() const
{
    if (m_building)
        return -1;
    const uint64_t size = m_progress.size;
    return size == 0 ? 0.0 : std::min(1.0, double(m_progress.read) / double(size));
}

void TraceOpener::cancel()
{
    m_progress.cancel = true;
}

OpenedTrace TraceOpener::takeResult()
{
    OpenedTrace result = std::move(m_result);
    // Cancelled on this thread after the worker finished: the user's word still holds.
    if (cancelled() && result.problem != Problem::Cancelled) {
        result.shown = false;
        result.model.reset();
        result.summary = {};
        result.prepared.clear();
        result.problem = Problem::Cancelled;
        result.error.clear();
    }
    return result;
}

void TraceOpener::work()
{
    OpenedTrace &r = m_result;
    core::LoadResult loaded = core::openTraceFile(m_path, &m_progress);
    r.problem = loaded.problem;
    r.error = std::move(loaded.error);
    r.shown = loaded.ok || loaded.problem == Problem::Truncated || loaded.problem == Problem::Corrupt;
    if (r.shown && !cancelled()) {
        // The heavy part of an open after the read: ingesting every event into the model.
        m_building = true;
        r.model = std::make_unique<core::TraceModel>(std::move(loaded.data));
        if (!cancelled())
            r.model->update();
        if (!cancelled()) {
            r.model->squeeze();
            r.summary = core::traceSummary(*r.model);
        }
        for (const TraceView::Prepare &prepare : m_preparers)
            r.prepared.push_back(prepare && !cancelled() ? prepare(*r.model) : nullptr);
    }
    QMetaObject::invokeMethod(this, &TraceOpener::finished, Qt::QueuedConnection);
}

} // namespace interleave::ui
