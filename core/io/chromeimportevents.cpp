// SPDX-License-Identifier: MIT
// The Chrome JSON import's events: each one read is staged (slices, flows, counters, names), and
// at the end B/E pairs are matched, names placed, and all of them sorted into the trace.
#include "io/chromeimporter.h"

#include "io/chromedeadlock.h"

#include "trace/tracemodel.h"

#include <QJsonArray>
#include <QString>

#include <algorithm>
#include <bit>
#include <cmath>
#include <new>

#include <sys/mman.h>
#include <unistd.h>

namespace interleave::core::detail {

uint32_t ChromeImporter::threadOf(int32_t pid, int32_t tid)
{
    const uint64_t key = uint64_t(uint32_t(pid)) << 32 | uint32_t(tid);
    const auto [it, added] = m_threadIds.try_emplace(key, uint32_t(m_data.threads.size()));
    if (added) // not in the map, so not in the list (every thread of the import is made here)
        m_data.threads.push_back({pid, tid});
    return it->second;
}

uint32_t ChromeImporter::intern(std::string_view s)
{
    if (s.empty())
        return 0;
    const auto it = m_stringIds.find(s);
    if (it != m_stringIds.end())
        return it->second;
    const uint32_t id = m_data.addString(std::string(s));
    m_stringIds.emplace(std::string(s), id);
    return id;
}

int64_t ChromeImporter::saturated(double v)
{
    if (!(v == v))
        return 0;
    if (v >= 0x1p63)
        return INT64_MAX;
    if (v <= -0x1p63)
        return INT64_MIN;
    return int64_t(v);
}

int32_t ChromeImporter::idOf(const Scalar &v)
{
    if (v.isNumber())
        return int32_t(saturated(v.number));
    if (!v.isString())
        return 0;
    bool ok = false;
    const int32_t n = QString::fromStdString(v.text).toInt(&ok);
    if (ok)
        return n;
    const auto [it, added] = m_namedIds.try_emplace(v.text, int32_t(1'000'000'000 + m_namedIds.size()));
    return it->second;
}

int64_t ChromeImporter::asyncId(const JsonEvent &e)
{
    const Scalar *v = &e.id;
    if (v->kind == Scalar::Kind::Absent && e.hasId2)
        v = e.id2Global.kind != Scalar::Kind::Absent ? &e.id2Global : &e.id2Local;
    if (v->kind == Scalar::Kind::Absent)
        v = &e.bindId;
    if (v->isNumber())
        return saturated(v->number);
    const QString s = QString::fromStdString(std::string(v->toString()));
    bool ok = false;
    const qulonglong n = s.startsWith(QLatin1String("0x")) || s.startsWith(QLatin1String("0X"))
                             ? s.mid(2).toULongLong(&ok, 16)
                             : s.toULongLong(&ok, 10);
    if (ok)
        return int64_t(n);
    uint64_t h = 1469598103934665603ull; // FNV-1a of the text
    for (const QChar c : s)
        h = (h ^ c.unicode()) * 1099511628211ull;
    return int64_t(h >> 1);
}

void ChromeImporter::stage(int64_t time, int rank, int64_t secondary, uint32_t thread, EventType type, uint32_t object,
                           int64_t arg)
{
    Event ev{};
    ev.time = time;
    ev.arg = arg;
    ev.thread = thread;
    ev.object = object;
    ev.type = type;
    ev.flags = Imported;
    m_staged.push_back({secondary, int32_t(rank), uint32_t(m_seq++), ev});
}

void ChromeImporter::slice(uint32_t thread, int64_t t0, int64_t t1, uint32_t name, uint32_t cat)
{
    // Longer slices first at equal starts; one never ended is the longest.
    stage(t0, 1, t1 == kTimeMax ? kTimeMin : -(t1 - t0), thread, EventType::SliceBegin, name, cat);
    if (t1 == kTimeMax)
        return;
    if (t1 == t0)
        stage(t1, 2, 0, thread, EventType::SliceEnd, name, 0);
    else
        stage(t1, 0, -t0, thread, EventType::SliceEnd, name, 0);
}

const Scalar *ChromeImporter::arg(const JsonEvent &e, std::string_view key)
{
    for (auto it = e.args.rbegin(); it != e.args.rend(); ++it) {
        if (it->first == key)
            return &it->second;
    }
    return nullptr;
}

void ChromeImporter::add(JsonEvent &e)
{
    const std::string_view ph = e.ph.toString();
    const std::string_view name = e.name.toString();
    const int32_t pid = idOf(e.pid);
    const int32_t tid = idOf(e.tid);
    const double tsNs = e.ts.toDouble() * 1000.0;
    // Times beyond ±146 years (or not numbers) cannot be real, and would overflow differences.
    if (ph.size() != 1 || !(std::abs(tsNs) < double(iltrace::kTimeLimit))) {
        skip(ph);
        return;
    }
    const int64_t ts = std::llround(tsNs);
    const uint32_t thread = threadOf(pid, tid);
    if (m_threadFirst.size() < m_data.threads.size())
        m_threadFirst.resize(m_data.threads.size(), kTimeMax);
    if (ph != "M")
        m_threadFirst[thread] = std::min(m_threadFirst[thread], ts);
    const uint32_t cat = intern(e.cat.toString());
    switch (ph.front()) {
    case 'X':
        addComplete(e, thread, ts, cat);
        break;
    case 'B':
    case 'E':
        m_stacks.push_back({thread, ts, m_seq++, ph == "B", intern(name), cat});
        break;
    case 'b':
    case 'S':
        if (!addLockSpan(e, thread, ts, true))
            stage(ts, 1, 1, thread, EventType::AsyncBegin, intern(name), asyncId(e));
        break;
    case 'e':
    case 'F':
        if (!addLockSpan(e, thread, ts, false))
            stage(ts, 1, 1, thread, EventType::AsyncEnd, intern(name), asyncId(e));
        break;
    case 'i':
    case 'I':
    case 'n':
        addInstant(e, thread, ts, cat);
        break;
    case 'C':
        addCounter(e, thread, ts);
        break;
    case 's':
        stage(ts, 1, 1, thread, EventType::FlowBegin, intern(name), asyncId(e));
        break;
    case 't':
        // A step ends the flow's previous leg and begins the next one here.
        stage(ts, 1, 1, thread, EventType::FlowEnd, intern(name), asyncId(e));
        stage(ts, 1, 1, thread, EventType::FlowBegin, intern(name), asyncId(e));
        break;
    case 'f':
        stage(ts, 1, 1, thread, EventType::FlowEnd, intern(name), asyncId(e));
        break;
    case 'M':
        addMetadata(e, pid, thread);
        break; // sort indexes and labels only order tracks
    default:
        skip(ph);
    }
}

void ChromeImporter::addComplete(const JsonEvent &e, uint32_t thread, int64_t ts, uint32_t cat)
{
    const std::string_view name = e.name.toString();
    const double durNs = e.dur.toDouble() * 1000.0;
    // Ends stay inside the time limit too; NaN and negative durations become 0.
    const int64_t room = iltrace::kTimeLimit - 1 - ts;
    const int64_t dur = durNs > 0 ? std::min<int64_t>(room, durNs < double(room) ? std::llround(durNs) : room) : 0;
    slice(thread, ts, ts + dur, intern(name), cat);
    if (e.flowIn.toBool())
        stage(ts, 1, 1, thread, EventType::FlowEnd, intern(name), asyncId(e));
    if (e.flowOut.toBool())
        stage(ts, 1, 1, thread, EventType::FlowBegin, intern(name), asyncId(e));
}

bool ChromeImporter::addLockSpan(const JsonEvent &e, uint32_t thread, int64_t ts, bool begin)
{
    const std::string_view name = e.name.toString();
    const bool wait = name.starts_with("wait ");
    // Interleave's export names both ends with the thread (a span read alone still says whose).
    if (e.cat.toString() != "lock" || !(wait || name.starts_with("hold ")) || name.size() == 5 || !arg(e, "tid"))
        return false;
    const uint32_t lock = intern(name.substr(5));
    if (const auto [at, fresh] = m_lockAnnouncements.try_emplace(lock, m_staged.size()); fresh) {
        stage(ts, 1, 0, thread, EventType::ObjectNew, lock, lock);
        m_staged.back().event.flags = uint8_t(ObjectKind::Mutex); // an ObjectNew's flags are its kind
    } else if (Staged &announced = m_staged[at->second]; ts < announced.event.time) {
        announced.event.time = ts; // the file named the lock later than it used it
    }
    const Scalar *open = arg(e, "open");
    const Scalar *timedOut = arg(e, "timed_out");
    if (begin) { // a wait begins before a hold that begins at the same time
        stage(ts, 1, wait ? 0 : 1, thread, wait ? EventType::LockWait : EventType::LockObtain, lock, 0);
    } else if (!(open && open->toBool())) { // an open span was still held or waited for at the end
        if (!wait)
            stage(ts, 0, 0, thread, EventType::LockRelease, lock, 0); // before what begins at that time
        else if (timedOut && timedOut->toBool())
            stage(ts, 0, 0, thread, EventType::LockTimeout, lock, 0);
    }
    return true; // a wait that ended in the hold is ended by that hold's begin
}

void ChromeImporter::addInstant(const JsonEvent &e, uint32_t thread, int64_t ts, uint32_t cat)
{
    const std::string_view name = e.name.toString();
    // Interleave's deadlock mark, if otherData (read later, perhaps) holds the cycle.
    if (name == "deadlock" && e.cat.toString() == "deadlock") {
        const Scalar *threads = arg(e, "threads");
        m_deadlockMarks.push_back({m_staged.size(), saturated(threads ? threads->toDouble() : 0.0)});
    }
    stage(ts, 1, 1, thread, EventType::Instant, intern(name), cat);
}

void ChromeImporter::addCounter(JsonEvent &e, uint32_t thread, int64_t ts)
{
    const std::string_view name = e.name.toString();
    // One series per member, in the order of their names; a repeated name counts once, last.
    std::stable_sort(e.args.begin(), e.args.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    for (size_t i = 0; i < e.args.size(); ++i) {
        if (i + 1 < e.args.size() && e.args[i + 1].first == e.args[i].first)
            continue;
        const Scalar &v = e.args[i].second;
        bool ok = v.isNumber();
        double value = v.number;
        if (v.isString())
            value = QString::fromStdString(v.text).toDouble(&ok);
        if (ok) {
            std::string series(name);
            series += ' ';
            series += e.args[i].first;
            stage(ts, 1, 1, thread, EventType::Counter, intern(series), std::bit_cast<int64_t>(value));
        }
    }
}

void ChromeImporter::addMetadata(const JsonEvent &e, int32_t pid, uint32_t thread)
{
    const std::string_view name = e.name.toString();
    const Scalar *label = arg(e, "name");
    const std::string text(label ? label->toString() : std::string_view());
    if (name == "process_name")
        m_processNames[pid] = text;
    else if (name == "thread_name")
        m_threadNames[thread] = text;
    else if (const Scalar *index = arg(e, "sort_index"); index && index->isNumber() && std::abs(index->number) < 1e15)
        (name == "process_sort_index" ? m_processSort[pid] : m_threadSort[thread]) = std::llround(index->number);
}

void ChromeImporter::skip(std::string_view ph)
{
    ++m_skipped;
    ++m_skippedPhases[ph.empty() ? std::string("(none)") : std::string(ph)];
}

void ChromeImporter::matchBeginEnd()
{
    std::stable_sort(m_stacks.begin(), m_stacks.end(), [](const StackEvent &a, const StackEvent &b) {
        return a.thread != b.thread ? a.thread < b.thread : a.time < b.time;
    });
    std::vector<const StackEvent *> open;
    uint32_t thread = kNoEvent;
    auto closeAll = [&] {
        for (const StackEvent *b : open)
            slice(b->thread, b->time, kTimeMax, b->name, b->cat);
        open.clear();
    };
    for (const StackEvent &ev : m_stacks) {
        if (ev.thread != thread) {
            closeAll();
            thread = ev.thread;
        }
        if (ev.begin) {
            open.push_back(&ev);
        } else if (!open.empty()) {
            const StackEvent *b = open.back();
            open.pop_back();
            slice(b->thread, b->time, ev.time, b->name, b->cat ? b->cat : ev.cat);
        } else {
            ++m_unmatchedEnds;
        }
    }
    closeAll();
}

void ChromeImporter::finish(const QJsonObject &other)
{
    matchBeginEnd();
    m_threadFirst.resize(m_data.threads.size(), kTimeMax);
    stageNames(other);
    if (other.value(QLatin1String("deadlock")).isObject()) {
        for (const auto &[index, threads] : m_deadlockMarks) {
            Event &mark = m_staged[index].event;
            mark.type = EventType::Deadlock;
            mark.object = 0;
            mark.arg = threads;
        }
    }
    sortStaged();
    // An Interleave export's deadlock cycle becomes the session's events again.
    if (const auto cycle = deadlockFromChrome(other.value(QLatin1String("deadlock")).toObject(),
                                              [this](int32_t pid, int32_t tid) { return threadOf(pid, tid); }))
        recordDeadlock(m_data, *cycle, Imported);
    describeImport(other);
}

void ChromeImporter::stageNames(const QJsonObject &other)
{
    // A thread or process the file only names (metadata, usually at ts 0) is placed at the trace's
    // first event, not at 0: a trace stamped in microseconds since boot would span from 0 else.
    int64_t earliest = kTimeMax;
    for (const int64_t first : m_threadFirst)
        earliest = std::min(earliest, first);
    if (earliest == kTimeMax)
        earliest = 0;
    auto firstOf = [&](uint32_t thread) {
        return thread < m_threadFirst.size() && m_threadFirst[thread] != kTimeMax ? m_threadFirst[thread] : earliest;
    };
    // Interleave's own exports carry ppids and the run description.
    std::unordered_map<int32_t, int32_t> ppids;
    for (const QJsonValue &p : other.value(QLatin1String("processes")).toArray())
        ppids[p[QLatin1String("pid")].toInt()] = p[QLatin1String("ppid")].toInt();

    // Process names go on the process' main thread (tid == pid) or else its first thread.
    // The threads of each process are listed once: 50 k named processes took seconds when
    // every name scanned every thread.
    std::unordered_map<int32_t, std::vector<uint32_t>> threadsOf;
    for (uint32_t i = 0; i < m_data.threads.size(); ++i)
        threadsOf[m_data.threads[i].pid].push_back(i);
    for (const auto &[pid, processName] : m_processNames) {
        std::vector<uint32_t> &own = threadsOf[pid];
        uint32_t thread = kNoEvent;
        for (const uint32_t i : own) {
            if (thread == kNoEvent || m_data.threads[i].tid == pid)
                thread = i;
        }
        if (thread == kNoEvent) {
            thread = threadOf(pid, pid);
            own.push_back(thread);
            m_threadFirst.resize(m_data.threads.size(), kTimeMax);
        }
        int64_t start = kTimeMax;
        for (const uint32_t i : own)
            start = std::min(start, firstOf(i));
        const auto ppid = ppids.find(pid);
        stage(start == kTimeMax ? earliest : start, -1, 0, thread, EventType::ProcessStart, intern(processName),
              ppid != ppids.end() ? ppid->second : 0);
    }
    for (const auto &[thread, threadName] : m_threadNames)
        stage(firstOf(thread), -1, 1, thread, EventType::ThreadName, intern(threadName), 0);
}

namespace {

bool stagedBefore(const Staged &a, const Staged &b)
{
    if (a.event.time != b.event.time)
        return a.event.time < b.event.time;
    if (a.rank != b.rank)
        return a.rank < b.rank;
    if (a.secondary != b.secondary)
        return a.secondary < b.secondary;
    return a.rank == 2 ? a.seq > b.seq : a.seq < b.seq;
}

/// Asks for the memory of `v`'s reserved room to come in huge pages: filling a large vector
/// page by page was a fifth of a 1 M-event open, most of it the kernel's page faults.
template<typename T> void adviseHugePages(const std::vector<T> &v)
{
    constexpr uintptr_t kHuge = uintptr_t(2) << 20;
    const auto begin = (reinterpret_cast<uintptr_t>(v.data()) + kHuge - 1) & ~(kHuge - 1);
    const auto end = reinterpret_cast<uintptr_t>(v.data() + v.capacity()) & ~(kHuge - 1);
    if (end > begin) // only a hint: where huge pages are off, the pages stay small
        ::madvise(reinterpret_cast<void *>(begin), end - begin, MADV_HUGEPAGE);
}

/// Above this many ordered runs the staged events are sorted whole instead of merged.
constexpr size_t kMaxMergedRuns = 256;

} // namespace

void ChromeImporter::reserveStaged(size_t textBytes)
{
    // An event is at least about 24 bytes of JSON and stages at most two entries (a complete
    // slice's begin and end). Room for that many is only address space until it is written, and
    // it spares the copies of a growing vector: a fifth of a 1 M-event open went to them and to
    // the page faults of their new pages. A huge file reserves at most a quarter of memory.
    const long pages = ::sysconf(_SC_PHYS_PAGES);
    const long pageSize = ::sysconf(_SC_PAGESIZE);
    const size_t memory = pages > 0 && pageSize > 0 ? size_t(pages) * size_t(pageSize) : size_t(1) << 30;
    const size_t wanted = std::min(textBytes / 12 + 64, memory / 4 / sizeof(Staged));
    try {
        m_staged.reserve(wanted);
        adviseHugePages(m_staged);
    } catch (const std::bad_alloc &) {
        // An address-space limit: the vector grows as it is filled instead.
    }
}

void ChromeImporter::sortStaged()
{
    // A trace is written nearly in time order: most files are a few ordered runs (the names
    // staged at the end are one more). The runs are merged straight into the trace's events;
    // sorting 1.6 M staged events whole was a quarter of a 1 M-event open. Files with many
    // runs (threads' buffers written one after another, slices written as they end) are
    // sorted whole. Either way the order is the same: the comparison is a total order.
    std::vector<std::pair<size_t, size_t>> runs; // [begin, end) of each ordered run
    size_t begin = 0;
    for (size_t i = 1; i < m_staged.size() && runs.size() <= kMaxMergedRuns; ++i) {
        if (stagedBefore(m_staged[i], m_staged[i - 1])) {
            runs.emplace_back(begin, i);
            begin = i;
        }
    }
    if (begin < m_staged.size())
        runs.emplace_back(begin, m_staged.size());
    if (runs.size() > kMaxMergedRuns) {
        std::sort(m_staged.begin(), m_staged.end(), stagedBefore);
        runs.assign(1, {0, m_staged.size()});
    }
    m_data.events.reserve(m_staged.size());
    adviseHugePages(m_data.events);
    // The run whose next event comes first is at the heap's front.
    const auto later = [this](const std::pair<size_t, size_t> &a, const std::pair<size_t, size_t> &b) {
        return stagedBefore(m_staged[b.first], m_staged[a.first]);
    };
    std::make_heap(runs.begin(), runs.end(), later);
    while (!runs.empty()) {
        std::pop_heap(runs.begin(), runs.end(), later);
        std::pair<size_t, size_t> &run = runs.back();
        m_data.events.push_back(m_staged[run.first].event);
        if (++run.first == run.second)
            runs.pop_back();
        else
            std::push_heap(runs.begin(), runs.end(), later);
    }
    m_staged = {};
}

void ChromeImporter::describeImport(const QJsonObject &other)
{
    QJsonObject import;
    import.insert(QStringLiteral("format"), QStringLiteral("chrome-json"));
    import.insert(QStringLiteral("source"), m_name);
    import.insert(QStringLiteral("skipped_events"), double(m_skipped));
    QJsonObject phases;
    for (const auto &[ph, count] : m_skippedPhases)
        phases.insert(QString::fromStdString(ph), double(count));
    import.insert(QStringLiteral("skipped_phases"), phases);
    import.insert(QStringLiteral("unmatched_ends"), double(m_unmatchedEnds));
    // The order the file asks for its tracks (core::trackOrder reads it back).
    QJsonObject processOrder;
    for (const auto &[pid, index] : m_processSort)
        processOrder.insert(QString::number(pid), double(index));
    QJsonObject threadOrder;
    for (const auto &[thread, index] : m_threadSort)
        threadOrder.insert(QString::number(m_data.threads[thread].pid) + QLatin1Char(':') +
                               QString::number(m_data.threads[thread].tid),
                           double(index));
    if (!processOrder.isEmpty())
        import.insert(QStringLiteral("process_sort_index"), processOrder);
    if (!threadOrder.isEmpty())
        import.insert(QStringLiteral("thread_sort_index"), threadOrder);
    m_data.meta.insert(QStringLiteral("import"), import);
    m_data.meta.insert(QStringLiteral("tool"), other.value(QLatin1String("tool")).toString(QStringLiteral("unknown")));
    const bool ours = other.value(QLatin1String("tool")).toString() == QLatin1String("Interleave");
    if (ours) {
        for (const char *key : {"scenario", "params", "status", "wall_ms", "findings"}) {
            const QJsonValue v = other.value(QLatin1String(key));
            if (!v.isUndefined())
                m_data.meta.insert(QLatin1String(key), v);
        }
        // A run that lost events stays marked as one when its export is opened.
        const double dropped = other.value(QLatin1String("dropped_events")).toDouble();
        if (dropped > 0 && dropped < 1e15)
            m_data.droppedEvents = uint64_t(dropped);
    }
}

} // namespace interleave::core::detail
