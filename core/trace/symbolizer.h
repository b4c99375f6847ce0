// SPDX-License-Identifier: MIT
#pragma once

#include "trace/tracedata.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace interleave::core {

/// Turns the preloaded recorder's address strings into text people read, from the modules' ELF
/// symbols and DWARF line tables (elfutils' libdwfl, offline: the traced process may be gone).
///   "@at:<module path>+0x<offset>"  a call's return address -> "file:line", else
///                                   "function+0x<hex>", else "<module basename>+0x<hex>";
///   "@var:<module path>+0x<offset>" a data address -> "symbol" or "symbol+0x<hex>", else
///                                   "<module basename>+0x<hex>".
/// Offsets are from the module's load base as dladdr's dli_fbase gives it. Other text is returned
/// unchanged. Modules and answers are cached; not thread-safe: one Symbolizer per thread.
class Symbolizer
{
public:
    Symbolizer();
    ~Symbolizer();
    Symbolizer(const Symbolizer &) = delete;
    Symbolizer &operator=(const Symbolizer &) = delete;

    /// True for the strings resolve() rewrites ("@at:" or "@var:").
    static bool needsResolving(std::string_view text);
    /// The readable text for `text`.
    std::string resolve(std::string_view text);

private:
    struct Module;
    Module *module(const std::string &path);
    std::string resolveAddress(bool code, const std::string &path, uint64_t offset);

    std::unordered_map<std::string, std::unique_ptr<Module>> m_modules;
    std::unordered_map<std::string, std::string> m_answers;
};

/// Resolves, in place, the strings from index `first` on that need it (see Symbolizer), e.g.
/// those a log drain just added, so no view ever shows an "@at:" string.
void symbolizeStrings(std::vector<std::pair<uint32_t, std::string>> &strings, size_t first, Symbolizer &symbolizer);
/// The same for a trace's string table.
inline void symbolizeNewStrings(TraceData &data, size_t first, Symbolizer &symbolizer)
{
    symbolizeStrings(data.strings, first, symbolizer);
}

} // namespace interleave::core
