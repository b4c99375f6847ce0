// SPDX-License-Identifier: MIT
#pragma once
// Where each thread is in the code: the call sites its events recorded and the lines it printed.

#include "trace/tracemodel.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace interleave::core {

/// A call site as the recorder stores it: "path:line", the path from the repository root for the
/// project's files ("core/scenarios/deadlock.cpp"), absolute for others, a base name in old traces.
struct SourceLocation
{
    std::string file;
    int line = 0; ///< 1-based

    /// nullopt unless `text` ends in ":<positive number>" after a non-empty file name.
    static std::optional<SourceLocation> parse(const std::string &text);
};

/// One event of a thread that recorded where in the code it happened.
struct CallSite
{
    uint32_t event = kNoEvent; ///< index in data().events
    int64_t time = 0;
    std::string file; ///< as recorded ("core/scenarios/balance.cpp"); empty if the text no longer parses
    int line = 0;     ///< 1-based; 0 with an empty file
};

/// Per thread, the events that carry a call site and the lines it printed, kept up to date with a
/// growing model in time proportional to what was appended.
class CallSiteIndex
{
public:
    void reset();
    /// Scans the events appended to each thread since the last call (all of them after a rebuild).
    void update(const TraceModel &model);
    /// The last event of `thread` at or before `t` with a call site, or nullopt. (lastEventAt()
    /// alone may land on an event without one, e.g. an Output or a ThreadExit.)
    std::optional<CallSite> lastCallSite(const TraceModel &model, uint32_t thread, int64_t t) const;
    /// The text of the last line `thread` printed at or before `t`, or nullopt.
    std::optional<std::string> lastOutput(const TraceModel &model, uint32_t thread, int64_t t) const;
    /// Per file, how many distinct call sites ("file:line") in it the trace recorded so far.
    const std::map<std::string, size_t> &sitesPerFile() const { return m_sitesPerFile; }

private:
    bool isCallSite(const TraceModel &model, const Event &e);

    std::unordered_map<uint32_t, bool> m_isLocation; ///< loc string id -> parses as "file:line"
    std::vector<std::vector<uint32_t>> m_located;    ///< per thread: event indexes, time order
    std::vector<std::vector<uint32_t>> m_outputs;
    std::vector<size_t> m_scanned;                ///< per thread: threadEvents() already seen
    std::unordered_set<std::string> m_sites;      ///< every call site text seen (each process interns its own)
    std::map<std::string, size_t> m_sitesPerFile; ///< distinct call sites per file
};

} // namespace interleave::core
