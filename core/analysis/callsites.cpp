// SPDX-License-Identifier: MIT
// CallSiteIndex: per thread, its located events and printed lines, found by time.
#include "analysis/callsites.h"

#include <algorithm>

namespace interleave::core {

std::optional<SourceLocation> SourceLocation::parse(const std::string &text)
{
    const size_t colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 >= text.size())
        return std::nullopt;
    int line = 0;
    for (size_t i = colon + 1; i < text.size(); ++i) {
        if (text[i] < '0' || text[i] > '9' || line > 10'000'000)
            return std::nullopt;
        line = line * 10 + (text[i] - '0');
    }
    if (line <= 0)
        return std::nullopt;
    return SourceLocation{text.substr(0, colon), line};
}

void CallSiteIndex::reset()
{
    m_located.clear();
    m_outputs.clear();
    m_scanned.clear();
    m_isLocation.clear();
    m_sites.clear();
    m_sitesPerFile.clear();
}

void CallSiteIndex::update(const TraceModel &model)
{
    const auto &events = model.data().events;
    const size_t threads = model.threadCount();
    m_located.resize(threads);
    m_outputs.resize(threads);
    m_scanned.resize(threads, 0);
    for (uint32_t t = 0; t < threads; ++t) {
        const std::vector<uint32_t> &own = model.threadEvents(t);
        if (own.size() < m_scanned[t]) { // a model that was rebuilt underneath
            m_located[t].clear();
            m_outputs[t].clear();
            m_scanned[t] = 0;
        }
        for (size_t i = m_scanned[t]; i < own.size(); ++i) {
            const Event &e = events[own[i]];
            if (isCallSite(model, e))
                m_located[t].push_back(own[i]);
            if (e.type == EventType::Output)
                m_outputs[t].push_back(own[i]);
        }
        m_scanned[t] = own.size();
    }
}

bool CallSiteIndex::isCallSite(const TraceModel &model, const Event &e)
{
    // The /proc sampler keeps the sampled pid in a Sample's loc field: not a string id.
    if (e.loc == 0 || e.type == EventType::Sample)
        return false;
    auto known = m_isLocation.find(e.loc);
    if (known == m_isLocation.end()) {
        const std::string &text = model.data().string(e.loc);
        const std::optional<SourceLocation> where = SourceLocation::parse(text);
        if (where && m_sites.insert(text).second)
            ++m_sitesPerFile[where->file];
        known = m_isLocation.emplace(e.loc, where.has_value()).first;
    }
    return known->second;
}

namespace {

uint32_t lastAtOrBefore(const TraceModel &model, const std::vector<std::vector<uint32_t>> &perThread, uint32_t thread,
                        int64_t t)
{
    if (thread >= perThread.size())
        return kNoEvent;
    const std::vector<uint32_t> &list = perThread[thread];
    const auto &events = model.data().events;
    const auto it = std::upper_bound(list.begin(), list.end(), t,
                                     [&](int64_t time, uint32_t index) { return time < events[index].time; });
    return it == list.begin() ? kNoEvent : *(it - 1);
}

} // namespace

std::optional<CallSite> CallSiteIndex::lastCallSite(const TraceModel &model, uint32_t thread, int64_t t) const
{
    const uint32_t index = lastAtOrBefore(model, m_located, thread, t);
    if (index == kNoEvent)
        return std::nullopt;
    const Event &e = model.data().events[index];
    CallSite site;
    site.event = index;
    site.time = e.time;
    if (auto where = SourceLocation::parse(model.data().string(e.loc))) {
        site.file = std::move(where->file);
        site.line = where->line;
    }
    return site;
}

std::optional<std::string> CallSiteIndex::lastOutput(const TraceModel &model, uint32_t thread, int64_t t) const
{
    const uint32_t index = lastAtOrBefore(model, m_outputs, thread, t);
    if (index == kNoEvent)
        return std::nullopt;
    return model.data().string(model.data().events[index].object);
}

} // namespace interleave::core
