// SPDX-License-Identifier: MIT
// SelectionText: a selected span, arrow, mark or range in words.
#include "ui/timeline/selectiontext.h"

#include "ui/theme.h"
#include "ui/timeline/timelineviewimpl.h"
#include "ui/timeline/timemapping.h"

#include <QStringList>

namespace interleave::ui {

using core::BlockReason;
using core::ThreadState;

namespace {

QString name(const core::TraceModel &model, uint32_t object)
{
    return QString::fromStdString(model.objectName(object));
}

} // namespace

QString SelectionText::thread(const core::TraceModel &model, uint32_t thread)
{
    if (thread >= model.threadCount())
        return tr("thread %1").arg(thread);
    return tr("%1 (tid %2)").arg(QString::fromStdString(model.threadName(thread))).arg(model.thread(thread).tid);
}

QString SelectionText::state(const core::TraceModel &model, const core::StateSpan &s)
{
    const QString text = Theme::stateLabel(s.state, s.reason);
    if (s.state != ThreadState::Blocked)
        return text;
    QString object;
    switch (s.reason) {
    case BlockReason::Join:
        if (s.flags & core::OnProcess) {
            object = tr("process %1").arg(s.object);
        } else {
            const uint32_t target = model.threadByTid(int32_t(s.object));
            object = target != core::kNoEvent ? tr("thread %1").arg(QString::fromStdString(model.threadName(target)))
                                              : tr("thread %1").arg(s.object);
        }
        break;
    case BlockReason::Io:
        object = QString::fromStdString(core::TraceModel::labelOf(model.data().string(s.object)));
        break;
    case BlockReason::None:
    case BlockReason::Held:
        break;
    default:
        object = name(model, s.object);
        break;
    }
    return object.isEmpty() ? text : tr("%1: %2").arg(text, object);
}

QString SelectionText::carries(const core::TraceModel &model, const core::Flow &f)
{
    switch (f.kind) {
    case core::FlowKind::Queue:
        return tr("queue “%1”, item %2").arg(name(model, f.object)).arg(f.id);
    case core::FlowKind::Pipe:
        return tr("pipe “%1”, message %2").arg(name(model, f.object)).arg(f.id);
    case core::FlowKind::Task:
        return tr("task %1 of pool “%2”").arg(f.id).arg(name(model, f.object));
    case core::FlowKind::Fork:
        return tr("fork: child process %1").arg(f.object);
    case core::FlowKind::Generic:
        break;
    }
    return tr("flow “%1”").arg(QString::fromStdString(core::TraceModel::labelOf(model.data().string(f.object))));
}

QString SelectionText::flowTip(const core::TraceModel &model, const core::Flow &f)
{
    const int64_t origin = model.startTime();
    return QStringList{carries(model, f),
                       tr("from %1 at %2").arg(thread(model, f.fromThread), TimeFormat::duration(f.fromTime - origin)),
                       tr("to %1 at %2").arg(thread(model, f.toThread), TimeFormat::duration(f.toTime - origin)),
                       tr("latency %1").arg(TimeFormat::duration(f.toTime - f.fromTime))}
        .join(QLatin1Char('\n'));
}

QString SelectionText::title(const TimelineSelection &s)
{
    switch (s.kind) {
    case TimelineSelection::Kind::None:
        break;
    case TimelineSelection::Kind::Span:
        return tr("State span");
    case TimelineSelection::Kind::Arrow:
        return tr("Arrow");
    case TimelineSelection::Kind::Mark:
        return tr("Instant");
    case TimelineSelection::Kind::Range:
        return tr("Range %1").arg(TimeFormat::duration(s.range.end - s.range.start));
    }
    return tr("Nothing selected");
}

std::vector<SelectionText::Row> SelectionText::rows(const core::TraceModel &model, const TimelineSelection &s)
{
    const int64_t origin = model.startTime();
    auto at = [origin](int64_t t) { return TimeFormat::duration(t - origin); };
    switch (s.kind) {
    case TimelineSelection::Kind::None:
        return {};
    case TimelineSelection::Kind::Span: {
        std::vector<Row> out{{tr("Thread"), thread(model, s.thread)},
                             {tr("State"), state(model, s.span)},
                             {tr("Start"), at(s.span.start)},
                             {tr("Duration"), TimeFormat::duration(s.span.end - s.span.start)}};
        if (!s.file.empty())
            out.push_back({tr("Code"), QString::fromStdString(s.file) + QLatin1Char(':') + QString::number(s.line)});
        return out;
    }
    case TimelineSelection::Kind::Arrow:
        return {{tr("Carries"), carries(model, s.flow)},
                {tr("From"), thread(model, s.flow.fromThread)},
                {tr("Sent at"), at(s.flow.fromTime)},
                {tr("To"), thread(model, s.flow.toThread)},
                {tr("Received at"), at(s.flow.toTime)},
                {tr("Latency"), TimeFormat::duration(s.flow.toTime - s.flow.fromTime)}};
    case TimelineSelection::Kind::Mark:
        return markRows(model, s.mark);
    case TimelineSelection::Kind::Range: {
        const core::RangeSummary &r = s.range;
        return {{tr("From"), at(r.start)},
                {tr("To"), at(r.end)},
                {tr("Duration"), TimeFormat::duration(r.end - r.start)},
                {tr("Lock acquisitions"), QString::number(r.lockAcquisitions)},
                {tr("Lock waits"),
                 r.lockWaits ? tr("%1, %2 waiting in all").arg(r.lockWaits).arg(TimeFormat::duration(r.lockWaitTime))
                             : QStringLiteral("0")},
                {tr("Messages sent"), QString::number(r.messagesSent)},
                {tr("Forks"), QString::number(r.forks)},
                {tr("Exits"), tr("%1 processes, %2 threads").arg(r.processExits).arg(r.threadExits)}};
    }
    }
    return {};
}

std::vector<SelectionText::Row> SelectionText::markRows(const core::TraceModel &model, const core::InstantMark &m)
{
    QString what;
    switch (m.kind) {
    case core::InstantKind::Fork:
        what = m.number > 0 ? tr("fork() returned child %1").arg(m.number) : tr("fork() returned %1").arg(m.number);
        break;
    case core::InstantKind::Exec:
        what = tr("exec %1 as pid %2").arg(QString::fromStdString(m.program)).arg(m.number);
        break;
    case core::InstantKind::Exit:
        what = tr("process %1 exited with code %2").arg(m.pid).arg(m.number);
        break;
    case core::InstantKind::Killed:
        what = tr("process %1 killed by %2").arg(m.pid).arg(timelinedetail::signalName(int(m.number)));
        break;
    case core::InstantKind::Signal:
        what = tr("%1 sent to process %2").arg(timelinedetail::signalName(int(m.number))).arg(m.pid);
        break;
    case core::InstantKind::Imported:
        what = tr("instant event %1").arg(QString::fromStdString(m.program));
        break;
    }
    return {{tr("What"), what},
            {tr("Thread"), thread(model, m.thread)},
            {tr("At"), TimeFormat::duration(m.time - model.startTime())}};
}

std::vector<SelectionText::Row> SelectionText::threadLines(const core::TraceModel &model,
                                                           const core::RangeSummary &range)
{
    // A line per thread with only what it did: a narrow dock reads this better than a wide table.
    std::vector<Row> out;
    for (const core::ThreadRangeSummary &t : range.threads) {
        QStringList parts;
        auto time = [&parts](const QString &text, int64_t ns) {
            if (ns > 0)
                parts << text.arg(TimeFormat::duration(ns));
        };
        time(tr("running %1"), t.running);
        time(tr("ready %1"), t.ready);
        time(tr("on a lock %1"), t.blockedOnLock);
        time(tr("other waits %1"), t.blockedOther);
        time(tr("sleeping %1"), t.sleeping);
        if (t.lockAcquisitions)
            parts << tr("acquired a lock %1×").arg(t.lockAcquisitions);
        if (t.lockWaits)
            parts << tr("waited for a lock %1× (%2)").arg(t.lockWaits).arg(TimeFormat::duration(t.lockWaitTime));
        if (t.messagesSent)
            parts << tr("sent %1").arg(t.messagesSent);
        if (t.exited)
            parts << tr("exited");
        out.push_back({thread(model, t.thread), parts.join(QStringLiteral(" · "))});
    }
    return out;
}

} // namespace interleave::ui
