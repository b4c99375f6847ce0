// SPDX-License-Identifier: MIT
#include "trace/tracemodelimpl.h"

#include <algorithm>
#include <unordered_map>

namespace interleave::core {

using namespace detail;

const char *threadStateName(ThreadState state)
{
    switch (state) {
    case ThreadState::None:
        return "none";
    case ThreadState::Running:
        return "running";
    case ThreadState::Ready:
        return "ready";
    case ThreadState::Blocked:
        return "blocked";
    case ThreadState::Sleeping:
        return "sleeping";
    case ThreadState::Exited:
        return "exited";
    }
    return "?";
}

const char *blockReasonName(BlockReason reason)
{
    switch (reason) {
    case BlockReason::None:
        return "";
    case BlockReason::Lock:
        return "lock";
    case BlockReason::Join:
        return "join";
    case BlockReason::Queue:
        return "queue";
    case BlockReason::Pipe:
        return "pipe";
    case BlockReason::Io:
        return "io";
    case BlockReason::CondVar:
        return "condvar";
    case BlockReason::Semaphore:
        return "semaphore";
    case BlockReason::Held:
        return "held";
    }
    return "?";
}

const char *flowKindName(FlowKind kind)
{
    switch (kind) {
    case FlowKind::Queue:
        return "queue";
    case FlowKind::Pipe:
        return "pipe";
    case FlowKind::Task:
        return "task";
    case FlowKind::Fork:
        return "fork";
    case FlowKind::Generic:
        return "flow";
    }
    return "?";
}

TraceModel::TraceModel()
    : m_d(std::make_unique<Impl>())
{}

TraceModel::TraceModel(TraceData data)
    : m_data(std::move(data))
    , m_d(std::make_unique<Impl>())
{
    update();
}

TraceModel::~TraceModel() = default;
TraceModel::TraceModel(TraceModel &&) noexcept = default;
TraceModel &TraceModel::operator=(TraceModel &&) noexcept = default;

void TraceModel::clear()
{
    *this = TraceModel();
}

void TraceModel::addThreads()
{
    Impl &d = *m_d;
    const size_t old = m_threads.size();
    if (old >= m_data.threads.size())
        return;
    m_threads.resize(m_data.threads.size());
    d.threads.resize(m_data.threads.size());
    for (size_t i = old; i < m_threads.size(); ++i) {
        ThreadRecord &t = m_threads[i];
        t.index = uint32_t(i);
        t.pid = m_data.threads[i].pid;
        t.tid = m_data.threads[i].tid;
        d.tidIndex[t.tid] = uint32_t(i);
        auto [it, fresh] = d.processIndex.try_emplace(t.pid, uint32_t(m_processes.size()));
        if (fresh) {
            m_processes.emplace_back();
            m_processes.back().pid = t.pid;
        }
        ProcessInfo &p = m_processes[it->second];
        p.threads.push_back(uint32_t(i));
        if (p.exited) {
            t.end = std::min(t.end, p.end);
            t.exited = true;
        }
    }
    if (!d.pendingSamples.empty()) {
        std::vector<uint32_t> still;
        for (uint32_t s : d.pendingSamples) {
            const Event &e = m_data.events[s];
            auto it = d.tidIndex.find(int32_t(e.object));
            if (it == d.tidIndex.end()) {
                still.push_back(s);
                continue;
            }
            auto &td = d.threads[it->second];
            insertByTime(td.samples, s, m_data.events);
            if (SampleArg::runDelay(e.arg) > 0)
                insertByTime(td.readySamples, s, m_data.events);
            if (isKernelWait(SampleArg::state(e.arg)))
                insertByTime(td.kernelWaits, s, m_data.events);
        }
        d.pendingSamples.swap(still);
    }
}

void TraceModel::update()
{
    addThreads();
    const size_t n = m_data.events.size();
    if (n - m_ingested > 4096) {
        // A big batch (a file being opened): size the per-thread vectors that are still empty
        // exactly, instead of paying up to 2x for geometric growth.
        std::vector<std::pair<uint32_t, uint32_t>> counts(m_threads.size());
        for (size_t i = m_ingested; i < n; ++i) {
            const Event &e = m_data.events[i];
            if (e.thread < counts.size()) {
                ++counts[e.thread].first;
                counts[e.thread].second += baseStateOf(e.type).state != ThreadState::None;
            }
        }
        for (size_t t = 0; t < counts.size(); ++t) {
            auto &td = m_d->threads[t];
            if (td.events.empty())
                td.events.reserve(counts[t].first);
            if (td.changes.empty())
                td.changes.reserve(counts[t].second);
        }
    }
    for (size_t i = m_ingested; i < n; ++i)
        ingest(uint32_t(i));
    m_ingested = n;
}

void TraceModel::squeeze()
{
    Impl &d = *m_d;
    for (auto &t : d.threads) {
        t.events.shrink_to_fit();
        t.changes.shrink_to_fit();
        t.samples.shrink_to_fit();
        t.readySamples.shrink_to_fit();
        t.kernelWaits.shrink_to_fit();
        t.slices.shrink_to_fit();
    }
    for (auto &[id, l] : d.locks) {
        l.closed.shrink_to_fit();
        l.open.shrink_to_fit();
    }
    for (auto *m : {&d.queueDepths, &d.counters, &d.vars})
        for (auto &[id, v] : *m)
            v.shrink_to_fit();
    for (auto &c : m_coreSamples)
        c.shrink_to_fit();
    m_flows.shrink_to_fit();
    m_tasks.shrink_to_fit();
    m_outputs.shrink_to_fit();
    m_phases.shrink_to_fit();
    m_instants.shrink_to_fit();
    m_marks.shrink_to_fit();
    d.asyncSpans.shrink_to_fit();
}

size_t TraceModel::derivedBytes() const
{
    const Impl &d = *m_d;
    size_t n = sizeof(TraceModel) + sizeof(Impl);
    n += vecBytes(d.threads) + vecBytes(m_threads);
    for (const auto &t : d.threads)
        n += vecBytes(t.events) + vecBytes(t.changes) + vecBytes(t.samples) + vecBytes(t.readySamples) +
             vecBytes(t.kernelWaits) + vecBytes(t.slices) + vecBytes(t.sliceStack);
    n += vecBytes(m_processes);
    for (const auto &p : m_processes)
        n += vecBytes(p.children) + vecBytes(p.threads) + p.name.capacity() + p.command.capacity();
    n += mapBytes(d.processIndex) + mapBytes(d.tidIndex) + mapBytes(d.objects) + mapBytes(d.locks);
    for (const auto &[id, l] : d.locks)
        n += vecBytes(l.closed) + vecBytes(l.open);
    n += mapBytes(d.pendingFrom) + mapBytes(d.pendingTo) + mapBytes(d.taskIndex) + mapBytes(d.lastFailedTask) +
         mapBytes(d.workerTask);
    for (const auto *m : {&d.queueDepths, &d.counters, &d.vars}) {
        n += mapBytes(*m);
        for (const auto &[id, v] : *m)
            n += vecBytes(v);
    }
    n += vecBytes(d.asyncSpans) + mapBytes(d.openAsync) + vecBytes(d.pendingSamples) + vecBytes(d.pauses);
    n += vecBytes(m_flows) + vecBytes(m_tasks) + vecBytes(m_coreSamples) + vecBytes(m_outputs) + vecBytes(m_phases) +
         vecBytes(m_instants) + vecBytes(m_marks);
    for (const auto &c : m_coreSamples)
        n += vecBytes(c);
    return n;
}

int64_t TraceModel::startTime() const
{
    return m_d->start == kTimeMax ? 0 : m_d->start;
}

int64_t TraceModel::endTime() const
{
    return m_d->end == kTimeMin ? 0 : m_d->end;
}

const ProcessInfo *TraceModel::process(int32_t pid) const
{
    auto it = m_d->processIndex.find(pid);
    return it == m_d->processIndex.end() ? nullptr : &m_processes[it->second];
}

std::string TraceModel::labelOf(const std::string &text)
{
    if (text.size() <= kMaxNameBytes)
        return text;
    size_t cut = kMaxNameBytes - 3; // room for the three bytes of "…"
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
        --cut; // not inside a UTF-8 sequence
    return text.substr(0, cut) + "\u2026";
}

std::string TraceModel::threadName(uint32_t index) const
{
    const ThreadRecord &t = m_threads[index];
    if (t.name != 0 && !m_data.string(t.name).empty())
        return labelOf(m_data.string(t.name));
    return std::to_string(t.pid) + '/' + std::to_string(t.tid);
}

uint32_t TraceModel::threadByTid(int32_t tid, int32_t pid) const
{
    if (pid != 0) {
        if (const ProcessInfo *p = process(pid)) {
            for (uint32_t t : p->threads)
                if (m_threads[t].tid == tid)
                    return t;
        }
    }
    auto it = m_d->tidIndex.find(tid);
    return it == m_d->tidIndex.end() ? kNoEvent : it->second;
}

const ObjectInfo *TraceModel::object(uint32_t id) const
{
    auto it = m_d->objects.find(id);
    return it == m_d->objects.end() ? nullptr : &it->second;
}

std::string TraceModel::objectName(uint32_t id) const
{
    const ObjectInfo *o = object(id);
    if (o && !m_data.string(o->name).empty())
        return labelOf(m_data.string(o->name));
    return '#' + std::to_string(id);
}

std::vector<uint32_t> TraceModel::objectIds() const
{
    std::vector<uint32_t> ids;
    ids.reserve(m_d->objects.size());
    for (const auto &[id, o] : m_d->objects)
        ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    return ids;
}

} // namespace interleave::core
