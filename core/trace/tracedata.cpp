// SPDX-License-Identifier: MIT
#include "trace/tracedata.h"

#include <algorithm>

namespace interleave::core {

const std::string &TraceData::string(uint32_t id) const
{
    static const std::string empty;
    const auto it = std::lower_bound(strings.begin(), strings.end(), id,
                                     [](const auto &entry, uint32_t key) { return entry.first < key; });
    return it != strings.end() && it->first == id ? it->second : empty;
}

void TraceData::setString(uint32_t id, std::string text)
{
    const auto it = std::lower_bound(strings.begin(), strings.end(), id,
                                     [](const auto &entry, uint32_t key) { return entry.first < key; });
    if (it != strings.end() && it->first == id)
        it->second = std::move(text);
    else
        strings.insert(it, {id, std::move(text)});
}

uint32_t TraceData::addString(std::string text)
{
    const uint32_t id = strings.empty() ? 1 : strings.back().first + 1;
    strings.emplace_back(id, std::move(text));
    return id;
}

uint32_t TraceData::threadIndex(int32_t pid, int32_t tid)
{
    for (size_t i = threads.size(); i-- > 0;) {
        if (threads[i].pid == pid && threads[i].tid == tid)
            return uint32_t(i);
    }
    threads.push_back({pid, tid});
    return uint32_t(threads.size() - 1);
}

} // namespace interleave::core
