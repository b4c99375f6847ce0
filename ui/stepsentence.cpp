// SPDX-License-Identifier: MIT
// What a step landed on, as one translated sentence.
#include "ui/stepsentence.h"

#include "ui/timeline/timemapping.h"

namespace interleave::ui {

using core::StepKind;

namespace {

QString text(const std::string &s)
{
    return QString::fromStdString(s);
}

/// The sentence of the kinds about synchronisation objects and queues: %1 the thread, %2 the object.
QString objectSentence(StepKind kind)
{
    switch (kind) {
    case StepKind::LockWait:
        return StepSentence::tr("%1 waits for %2");
    case StepKind::LockObtain:
        return StepSentence::tr("%1 obtained %2");
    case StepKind::LockRelease:
        return StepSentence::tr("%1 released %2");
    case StepKind::LockTimeout:
        return StepSentence::tr("%1 gave up waiting for %2");
    case StepKind::CondWait:
        return StepSentence::tr("%1 waits on condition %2");
    case StepKind::CondWake:
        return StepSentence::tr("%1 woke up from condition %2");
    case StepKind::SemWait:
        return StepSentence::tr("%1 waits for semaphore %2");
    case StepKind::SemAcquire:
        return StepSentence::tr("%1 acquired semaphore %2");
    case StepKind::SemRelease:
        return StepSentence::tr("%1 released semaphore %2");
    case StepKind::Put:
        return StepSentence::tr("%1 put an item into %2");
    case StepKind::GetWait:
        return StepSentence::tr("%1 waits for an item from %2");
    case StepKind::Get:
        return StepSentence::tr("%1 got an item from %2");
    case StepKind::Send:
        return StepSentence::tr("%1 sent a message into %2");
    case StepKind::ReceiveWait:
        return StepSentence::tr("%1 waits for a message from %2");
    case StepKind::Receive:
        return StepSentence::tr("%1 received a message from %2");
    case StepKind::JoinWait:
        return StepSentence::tr("%1 waits for %2 to finish (join)");
    case StepKind::JoinDone:
        return StepSentence::tr("%1 joined %2");
    case StepKind::IoWaitBegin:
        return StepSentence::tr("%1 waits for input/output: %2");
    case StepKind::Output:
        return StepSentence::tr("%1 printed \"%2\"");
    case StepKind::Exec:
        return StepSentence::tr("%1 started the program %2");
    case StepKind::ProcessStart:
        return StepSentence::tr("%1 starts process %2");
    case StepKind::Phase:
        return StepSentence::tr("%1: phase \"%2\" begins");
    case StepKind::Slice:
        return StepSentence::tr("%1 begins %2");
    case StepKind::Instant:
        return StepSentence::tr("%1: %2");
    default:
        return {};
    }
}

} // namespace

QString StepSentence::of(const core::TraceModel &model, const core::StepFact &fact)
{
    const QString who = fact.thread < model.threadCount() ? text(model.threadName(fact.thread)) : tr("the session");
    const QString withObject = objectSentence(fact.kind);
    if (!withObject.isEmpty())
        return withObject.arg(who, text(fact.object));
    switch (fact.kind) {
    case StepKind::ProcessExit:
        return fact.signal ? tr("process %1 was killed by signal %2").arg(fact.number).arg(fact.code)
                           : tr("process %1 exited with code %2").arg(fact.number).arg(fact.code);
    case StepKind::Fork:
        return fact.number == 0 ? tr("%1 returned from fork() in the child").arg(who)
                                : tr("%1 forked child process %2").arg(who).arg(fact.number);
    case StepKind::Signal:
        return tr("%1 sent signal %2 to process %3").arg(who).arg(fact.code).arg(fact.number);
    case StepKind::ThreadStart:
        return tr("%1 started").arg(who);
    case StepKind::ThreadExit:
        return tr("%1 finished").arg(who);
    case StepKind::CondNotify:
        return (fact.code == 2 ? tr("%1 woke all waiters of %2") : tr("%1 woke one waiter of %2"))
            .arg(who, text(fact.object));
    case StepKind::TaskSubmit:
        return tr("%1 submitted task %2 to %3").arg(who).arg(fact.number).arg(text(fact.object));
    case StepKind::TaskStart:
        return tr("%1 started task %2").arg(who).arg(fact.number);
    case StepKind::TaskEnd:
        return tr("%1 finished task %2").arg(who).arg(fact.number);
    case StepKind::TaskFailed:
        return tr("task %1 failed").arg(fact.number);
    case StepKind::SleepBegin:
        return tr("%1 sleeps for %2").arg(who, TimeFormat::duration(fact.number));
    case StepKind::SleepEnd:
        return tr("%1 woke up from its sleep").arg(who);
    case StepKind::IoWaitEnd:
        return tr("%1 got its input/output").arg(who);
    case StepKind::VarLoad:
        return tr("%1 read %2 = %3").arg(who, text(fact.object)).arg(fact.number);
    case StepKind::VarStore:
        return tr("%1 wrote %2 = %3").arg(who, text(fact.object)).arg(fact.number);
    case StepKind::Deadlock:
        return tr("deadlock: %n thread(s) wait for each other in a cycle", nullptr, int(fact.number));
    default:
        return tr("%1 did something").arg(who);
    }
}

QString StepSentence::at(const core::TraceModel &model, int64_t t)
{
    const std::vector<core::StepFact> facts = core::stepFactsAt(model, t);
    if (facts.empty())
        return {};
    // Microseconds matter between steps: milliseconds with three decimals, whatever the zoom.
    const QString when = tr("%1 ms").arg(double(t - model.startTime()) / 1e6, 0, 'f', 3);
    QString sentence = tr("%1 at %2").arg(of(model, facts.front()), when);
    if (facts.size() > 1)
        sentence += QLatin1Char(' ') + tr("(and %n more at the same time)", nullptr, int(facts.size() - 1));
    return sentence;
}

} // namespace interleave::ui
