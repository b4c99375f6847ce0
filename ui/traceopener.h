// SPDX-License-Identifier: MIT
#pragma once

#include "io/iltrace.h"
#include "ui/traceview.h"

#include <QJsonObject>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

namespace interleave::core {
class TraceModel;
} // namespace interleave::core

namespace interleave::ui {

/// What an open hands to the window: the model, built, updated and squeezed off the GUI thread,
/// and the trace's summary; or why there is none.
struct OpenedTrace
{
    QString path;
    /// A model is there: the whole trace, or (problem Truncated or Corrupt) the part before the damage.
    bool shown = false;
    core::LoadResult::Problem problem = core::LoadResult::Problem::None;
    QString error; ///< why there is no model, or what a partial one lacks; empty when whole
    std::unique_ptr<core::TraceModel> model;
    QJsonObject summary;
    /// By view, what its preparer made of the model (null for a view without one).
    std::vector<TraceView::Prepared> prepared;
};

/// Opens one trace file (either format) on a thread of its own: reads it, builds its model, works
/// out its summary and runs the views' preparers on it, then emits finished() on the thread it was
/// made on. That thread only
/// polls fraction(). Cancelling stops the read at its next chunk (or 4096 JSON events) and wins
/// even over a read that had already finished: a cancelled open never shows a trace.
/// Destruction cancels and waits for the thread.
class TraceOpener : public QObject
{
    Q_OBJECT
public:
    TraceOpener(const QString &path, std::vector<TraceView::Prepare> preparers, QObject *parent = nullptr);
    ~TraceOpener() override;

    const QString &path() const { return m_path; }
    /// How much of the file is read, 0..1; -1 while the model is being built (no fraction to give).
    double fraction() const;
    void cancel();
    bool cancelled() const { return m_progress.cancel; }
    /// The outcome, once finished() was emitted (a cancelled open's problem is Cancelled).
    OpenedTrace takeResult();

Q_SIGNALS:
    void finished();

private:
    void work();

    QString m_path;
    std::vector<TraceView::Prepare> m_preparers;
    core::LoadProgress m_progress;
    std::atomic<bool> m_building{false};
    OpenedTrace m_result; ///< the worker's until it posts finished, the owner's after
    std::thread m_thread;
};

} // namespace interleave::ui
