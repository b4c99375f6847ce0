// SPDX-License-Identifier: MIT
#include "analysis/lostupdates.h"

#include <algorithm>
#include <unordered_map>

namespace interleave::core {

LostUpdates LostUpdates::find(const TraceModel &model, size_t maxExamples)
{
    const auto &events = model.data().events;
    LostUpdates r;
    for (uint32_t var : model.varIds()) {
        struct Seen
        {
            uint64_t seq = 0;
            int64_t time = 0;
            int64_t value = 0;
            bool loaded = false;
        };
        std::unordered_map<uint32_t, Seen> seen; // per thread: last access
        // Foreign stores since a point are found by sequence number: the stores' seq, in order.
        struct Store
        {
            uint64_t seq;
            uint32_t thread;
            int64_t time;
            int64_t value;
        };
        std::vector<Store> stores;
        uint64_t seq = 0;
        for (uint32_t idx : model.varAccesses(var)) {
            const Event &e = events[idx];
            ++seq;
            Seen &me = seen[e.thread];
            if (e.type == EventType::VarLoad) {
                me = {seq, e.time, e.arg, true};
                continue;
            }
            if (me.loaded && !stores.empty() && stores.back().seq > me.seq) {
                // Stores after T's last access: every one of them is by another thread.
                auto first = std::upper_bound(stores.begin(), stores.end(), me.seq,
                                              [](uint64_t s, const Store &x) { return s < x.seq; });
                const Store &other = stores.back();
                ++r.m_count;
                if (r.m_examples.size() < maxExamples)
                    r.m_examples.push_back({var, e.thread, me.time, me.value, e.time, e.arg, other.thread, other.time,
                                            other.value, uint32_t(stores.end() - first)});
            }
            stores.push_back({seq, e.thread, e.time, e.arg});
            me = {seq, e.time, e.arg, me.loaded};
        }
        if (!stores.empty())
            r.m_final.emplace_back(var, stores.back().value);
    }
    std::sort(r.m_examples.begin(), r.m_examples.end(),
              [](const LostUpdate &a, const LostUpdate &b) { return a.storeTime < b.storeTime; });
    return r;
}

} // namespace interleave::core
