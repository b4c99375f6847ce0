// SPDX-License-Identifier: MIT
#include "trace/symbolizer.h"

#include <cxxabi.h>
#include <elfutils/libdwfl.h>
#include <gelf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>

namespace interleave::core {

namespace {

constexpr std::string_view kCodePrefix = "@at:";
constexpr std::string_view kDataPrefix = "@var:";

// Offline: the modules are read from their files, at the addresses libdwfl lays them out at;
// separate debug info is found by build id or debuglink, as gdb finds it.
const Dwfl_Callbacks kOfflineCallbacks = {
    .find_elf = dwfl_build_id_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .section_address = dwfl_offline_section_address,
    .debuginfo_path = nullptr,
};

std::string hex(uint64_t value)
{
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "0x%" PRIx64, value);
    return buffer;
}

/// "<path>+0x<hex>" split at its last "+0x" (a path may hold '+'); false if malformed.
bool splitAddress(std::string_view rest, std::string &path, uint64_t &offset)
{
    const size_t plus = rest.rfind("+0x");
    if (plus == std::string_view::npos || plus == 0 || rest.substr(0, plus).find('\0') != std::string_view::npos)
        return false;
    const std::string_view digits = rest.substr(plus + 3);
    if (digits.empty() || digits.size() > 16)
        return false;
    uint64_t value = 0;
    for (const char c : digits) {
        int d = 0;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return false;
        value = value << 4 | uint64_t(d);
    }
    path.assign(rest.substr(0, plus));
    offset = value;
    return true;
}

std::string demangled(const char *name)
{
    if (name[0] != '_' || name[1] != 'Z')
        return name;
    int status = 0;
    char *plain = abi::__cxa_demangle(name, nullptr, nullptr, &status);
    std::string result = status == 0 && plain ? std::string(plain) : std::string(name);
    std::free(plain);
    return result;
}

/// Where the module's first loadable segment starts, page-aligned: what dli_fbase points at.
GElf_Addr firstLoadAddress(Elf *elf)
{
    size_t count = 0;
    if (!elf || elf_getphdrnum(elf, &count) != 0)
        return 0;
    const long page = sysconf(_SC_PAGESIZE);
    const GElf_Addr mask = ~GElf_Addr(page > 0 ? page - 1 : 4095);
    for (size_t i = 0; i < count; ++i) {
        GElf_Phdr phdr;
        if (gelf_getphdr(elf, int(i), &phdr) && phdr.p_type == PT_LOAD)
            return phdr.p_vaddr & mask;
    }
    return 0;
}

} // namespace

/// One module file, reported alone to a Dwfl of its own.
struct Symbolizer::Module
{
    Dwfl *dwfl = nullptr;
    Dwfl_Module *mod = nullptr; ///< null: not a readable ELF file
    GElf_Addr bias = 0;         ///< Dwfl address = ELF virtual address + bias
    GElf_Addr loadStart = 0;    ///< ELF virtual address at the load base
    std::string basename;

    ~Module()
    {
        if (dwfl)
            dwfl_end(dwfl);
    }
};

Symbolizer::Symbolizer() = default;
Symbolizer::~Symbolizer() = default;

bool Symbolizer::needsResolving(std::string_view text)
{
    return text.starts_with(kCodePrefix) || text.starts_with(kDataPrefix);
}

Symbolizer::Module *Symbolizer::module(const std::string &path)
{
    auto [it, fresh] = m_modules.try_emplace(path);
    if (!fresh)
        return it->second.get();
    auto m = std::make_unique<Module>();
    const size_t slash = path.rfind('/');
    m->basename = slash == std::string::npos ? path : path.substr(slash + 1);
    // Only regular files: opening a FIFO or a device named in a damaged string could block.
    struct stat st;
    if (!path.empty() && path[0] == '/' && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
        m->dwfl = dwfl_begin(&kOfflineCallbacks);
        if (m->dwfl) {
            m->mod = dwfl_report_offline(m->dwfl, m->basename.c_str(), path.c_str(), -1);
            dwfl_report_end(m->dwfl, nullptr, nullptr);
        }
        if (m->mod)
            m->loadStart = firstLoadAddress(dwfl_module_getelf(m->mod, &m->bias));
    }
    it->second = std::move(m);
    return it->second.get();
}

std::string Symbolizer::resolveAddress(bool code, const std::string &path, uint64_t offset)
{
    const Module *m = module(path);
    const std::string fallback = m->basename + "+" + hex(offset);
    if (!m->mod)
        return fallback;
    // A return address points after its call, which may be the last instruction of a line or
    // of a function: look up the byte before it.
    const GElf_Addr address = m->loadStart + offset + m->bias - (code ? 1 : 0);
    if (code) {
        if (Dwfl_Line *line = dwfl_module_getsrc(m->mod, address)) {
            int lineNo = 0;
            const char *file = dwfl_lineinfo(line, nullptr, &lineNo, nullptr, nullptr, nullptr);
            if (file && *file && lineNo > 0) {
                std::string name = file;
                const char *dir = dwfl_line_comp_dir(line);
                if (name[0] != '/' && dir && *dir)
                    name = std::string(dir) + "/" + name;
                return name + ":" + std::to_string(lineNo);
            }
        }
    }
    GElf_Off within = 0;
    GElf_Sym sym;
    const char *name = dwfl_module_addrinfo(m->mod, address, &within, &sym, nullptr, nullptr, nullptr);
    if (!name || !*name)
        return fallback;
    const int type = GELF_ST_TYPE(sym.st_info);
    if (code) // the offset of the return address itself, as a debugger's backtrace shows it
        return demangled(name) + "+" + hex(within + 1);
    if (type == STT_FUNC || type == STT_SECTION || type == STT_FILE)
        return fallback;
    return within == 0 ? demangled(name) : demangled(name) + "+" + hex(within);
}

std::string Symbolizer::resolve(std::string_view text)
{
    const bool code = text.starts_with(kCodePrefix);
    if (!code && !text.starts_with(kDataPrefix))
        return std::string(text);
    const std::string key(text);
    if (const auto it = m_answers.find(key); it != m_answers.end())
        return it->second;
    std::string path;
    uint64_t offset = 0;
    std::string answer = key; // a malformed string stays as it is: nothing more is known
    if (splitAddress(text.substr(code ? kCodePrefix.size() : kDataPrefix.size()), path, offset))
        answer = resolveAddress(code, path, offset);
    m_answers.emplace(key, answer);
    return answer;
}

void symbolizeStrings(std::vector<std::pair<uint32_t, std::string>> &strings, size_t first, Symbolizer &symbolizer)
{
    for (size_t i = first; i < strings.size(); ++i) {
        if (Symbolizer::needsResolving(strings[i].second))
            strings[i].second = symbolizer.resolve(strings[i].second);
    }
}

} // namespace interleave::core
