// SPDX-License-Identifier: MIT
// CPython's part of the preloaded recorder. In a CPython 3.9 - 3.11 process it finds the GIL among the
// mutexes and condition variables the interpreter initialises, records one lock object for it and
// who waits for, obtains and releases it; and it answers the Python call site ("file:line") of a
// thread that is about to block while it still holds the GIL. In any other program every hook is
// a compare against null.
#include "python.h"

#include "runtime.h"
#include "trace/event.h"
#include "trace/recorder.h"

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <dlfcn.h>
#include <link.h>
#include <unistd.h>

namespace interleave::preload::python {
namespace {

namespace recorder = core::recorder;
using core::EventType;
using core::ObjectKind;

// CPython's struct _gil_runtime_state (Include/internal/pycore_gil.h, FORCE_SWITCHING on), a
// member of _PyRuntime in 3.9 - 3.11. Only this relative layout is relied upon, never its offset
// inside _PyRuntime, and only when the interpreter says it is one of those versions. The atomics are CPython's
// _Py_atomic_address / _Py_atomic_int: plain words read with relaxed atomic loads.
struct GilState
{
    unsigned long interval; // µs, what sys.getswitchinterval() reports
    uintptr_t lastHolder;   // PyThreadState * of the thread that holds / last held it
    int locked;             // -1 before creation, then 0 or 1; protected by `mutex`
    unsigned long switchNumber;
    pthread_cond_t cond;
    pthread_mutex_t mutex;
    pthread_cond_t switchCond;
    pthread_mutex_t switchMutex;
};

#if defined(__x86_64__)
static_assert(offsetof(GilState, mutex) == 80 && sizeof(GilState) == 208, "pycore_gil.h's layout on x86-64");
#endif

template<class T> T relaxed(const T &word)
{
    return __atomic_load_n(&word, __ATOMIC_RELAXED);
}

// The few C API functions used, resolved once (dlsym at init, where it is safe to call).
struct Api
{
    unsigned long (*getSwitchInterval)() = nullptr;
    void *(*getThisThreadState)() = nullptr;
    int (*gilStateCheck)() = nullptr;
    void *(*evalGetFrame)() = nullptr;
    void *(*frameGetBack)(void *) = nullptr;
    void *(*frameGetCode)(void *) = nullptr;
    int (*frameGetLineNumber)(void *) = nullptr;
    void *(*getAttrString)(void *, const char *) = nullptr;
    const char *(*unicodeAsUtf8)(void *) = nullptr;
    void (*incRef)(void *) = nullptr;
    void (*decRef)(void *) = nullptr;
    void (*errFetch)(void **, void **, void **) = nullptr;
    void (*errRestore)(void *, void *, void *) = nullptr;
    int (*gcDisable)() = nullptr;
    int (*gcEnable)() = nullptr;
    void *(*sysGetObject)(const char *) = nullptr;
    void *(*dictGetItemString)(void *, const char *) = nullptr;
    int (*hasAttrString)(void *, const char *) = nullptr;
};

Api g_api;
// _PyRuntime's extent: a GIL candidate must lie inside it. Null when this is no CPython of a known GIL layout.
const char *g_runtimeBegin = nullptr;
const char *g_runtimeEnd = nullptr;
// The GIL once identified (again in a fork child, which creates it again). Written by the thread
// that initialises the interpreter, read by every intercepted mutex call: accessed atomically.
GilState *g_gil = nullptr;
uint32_t g_gilId = 0;
std::string g_cwd; // joined with a relative co_filename

// What the calling thread does with the GIL, as its mutex and condition variable show it.
struct ThreadGil
{
    bool holding = false; // obtained and not released
    bool waiting = false; // a LockWait is recorded for the take_gil in progress
    bool inSite = false;  // siteWhileHoldingGil runs on this thread (re-entrancy guard)
};
constinit thread_local ThreadGil t_gil __attribute__((tls_model("initial-exec")));

template<class F> bool resolve(F &function, const char *name)
{
    function = reinterpret_cast<F>(dlsym(RTLD_DEFAULT, name));
    return function != nullptr;
}

bool resolveApi()
{
    Api &a = g_api;
    bool ok = resolve(a.getSwitchInterval, "_PyEval_GetSwitchInterval");
    ok = resolve(a.getThisThreadState, "PyGILState_GetThisThreadState") && ok;
    ok = resolve(a.gilStateCheck, "PyGILState_Check") && ok;
    ok = resolve(a.evalGetFrame, "PyEval_GetFrame") && ok;
    ok = resolve(a.frameGetBack, "PyFrame_GetBack") && ok;
    ok = resolve(a.frameGetCode, "PyFrame_GetCode") && ok;
    ok = resolve(a.frameGetLineNumber, "PyFrame_GetLineNumber") && ok;
    ok = resolve(a.getAttrString, "PyObject_GetAttrString") && ok;
    ok = resolve(a.unicodeAsUtf8, "PyUnicode_AsUTF8") && ok;
    ok = resolve(a.incRef, "Py_IncRef") && ok;
    ok = resolve(a.decRef, "Py_DecRef") && ok;
    ok = resolve(a.errFetch, "PyErr_Fetch") && ok;
    ok = resolve(a.errRestore, "PyErr_Restore") && ok;
    ok = resolve(a.sysGetObject, "PySys_GetObject") && ok;
    ok = resolve(a.dictGetItemString, "PyDict_GetItemString") && ok;
    ok = resolve(a.hasAttrString, "PyObject_HasAttrString") && ok;
    // Optional: without them a collection may run while a call site is looked up, which is safe.
    resolve(a.gcDisable, "PyGC_Disable");
    resolve(a.gcEnable, "PyGC_Enable");
    return ok;
}

/// True when the calling thread's own PyThreadState is the GIL's last holder (or it has none
/// yet, as during Py_Initialize). A daemon thread leaving take_gil at shutdown unlocks the mutex
/// with the GIL held by another thread: that must not look like an obtain.
bool lastHolderIsThisThread(const GilState *gil)
{
    const void *mine = g_api.getThisThreadState();
    return mine == nullptr || relaxed(gil->lastHolder) == reinterpret_cast<uintptr_t>(mine);
}

// ---- Python call sites --------------------------------------------------------------------

// Path prefixes whose frames are the library's, not the program's: the standard library (the
// directory of threading.py) and Interleave's own hook, plus INTERLEAVE_PYTHON_SKIP's entries.
std::vector<std::string> g_skip;
bool g_libraryFound = false;
bool g_hookFound = false;
bool g_moreRead = false; // INTERLEAVE_PYTHON_SKIP

struct SiteKey
{
    const void *code;
    int line;
    bool operator==(const SiteKey &) const = default;
};
struct SiteKeyHash
{
    size_t operator()(const SiteKey &k) const noexcept
    {
        return std::hash<const void *>()(k.code) * 31 + size_t(k.line);
    }
};
struct Site
{
    uint32_t id;
    bool library; // in a skipped directory
};
// Touched only with the GIL held, so the GIL is its lock. It keeps a reference on each code
// object so that no other code object can reuse a cached address.
std::unordered_map<SiteKey, Site, SiteKeyHash> *g_sites = nullptr;

std::string directoryOf(std::string_view path)
{
    const size_t slash = path.rfind('/');
    return slash == std::string_view::npos ? std::string() : std::string(path.substr(0, slash + 1));
}

void addSkip(std::string prefix)
{
    if (prefix.empty())
        return;
    if (prefix.back() != '/')
        prefix += '/';
    g_skip.push_back(std::move(prefix));
}

/// A str attribute of a Python object, or "" (any error is left for the caller's PyErr_Restore).
std::string stringAttribute(void *object, const char *name)
{
    std::string text;
    if (!object)
        return text;
    if (void *value = g_api.getAttrString(object, name)) {
        if (const char *utf8 = g_api.unicodeAsUtf8(value))
            text = utf8;
        g_api.decRef(value);
    }
    return text;
}

/// Fills g_skip from what the interpreter has imported; called until the standard library and
/// Interleave's hook are both found (the first contended wait may come before site has run).
void computeSkipList()
{
    void *modules = g_api.sysGetObject("modules"); // borrowed, as are the modules taken from it
    if (!modules)
        return;
    if (!g_libraryFound) {
        void *threading = g_api.dictGetItemString(modules, "threading");
        void *os = g_api.dictGetItemString(modules, "os");
        const std::string library = directoryOf(stringAttribute(threading ? threading : os, "__file__"));
        g_libraryFound = !library.empty();
        addSkip(library);
    }
    if (!g_hookFound) {
        void *hook = g_api.dictGetItemString(modules, "sitecustomize");
        if (hook && g_api.hasAttrString(hook, "INTERLEAVE_HOOK")) {
            g_hookFound = true;
            addSkip(directoryOf(stringAttribute(hook, "__file__")));
        }
    }
    if (g_moreRead)
        return;
    g_moreRead = true;
    if (const char *more = getenv("INTERLEAVE_PYTHON_SKIP")) {
        std::string_view rest(more);
        while (!rest.empty()) {
            const size_t end = rest.find_first_of(":,");
            addSkip(std::string(rest.substr(0, end)));
            rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        }
    }
}

bool isLibraryFile(std::string_view file)
{
    if (file.starts_with("<frozen "))
        return true;
    // Installed packages live under the standard library's directory in a venv or pyenv build,
    // but they are code the program chose to call: keep them.
    if (file.find("/site-packages/") != std::string_view::npos ||
        file.find("/dist-packages/") != std::string_view::npos)
        return false;
    for (const std::string &prefix : g_skip)
        if (file.starts_with(prefix))
            return true;
    return false;
}

Site siteOf(void *code, int line)
{
    if (!g_sites)
        g_sites = new std::unordered_map<SiteKey, Site, SiteKeyHash>;
    if (const auto it = g_sites->find({code, line}); it != g_sites->end())
        return it->second;
    std::string file = stringAttribute(code, "co_filename");
    if (file.empty())
        file.push_back('?'); // (not `= "?"`: GCC 12 warns of a memcpy overlap that cannot happen)
    else if (file[0] != '/' && file[0] != '<' && !g_cwd.empty())
        file = g_cwd + '/' + file;
    const Site site{recorder::intern(file + ':' + std::to_string(line)), isLibraryFile(file)};
    g_api.incRef(code);
    g_sites->emplace(SiteKey{code, line}, site);
    return site;
}

/// Walks the calling thread's Python frames (GIL held) to the first one outside the library.
uint32_t walkFrames()
{
    if (!g_libraryFound || !g_hookFound)
        computeSkipList();
    uint32_t innermost = 0;
    void *frame = g_api.evalGetFrame(); // borrowed
    if (frame)
        g_api.incRef(frame);
    while (frame) {
        void *code = g_api.frameGetCode(frame);
        const Site site = siteOf(code, g_api.frameGetLineNumber(frame));
        g_api.decRef(code);
        if (!innermost)
            innermost = site.id;
        if (!site.library) {
            g_api.decRef(frame);
            return site.id;
        }
        void *back = g_api.frameGetBack(frame);
        g_api.decRef(frame);
        frame = back;
    }
    return innermost; // only library frames (a thread inside the standard library's own code)
}

/// CPython 3.9 to 3.11 keep one struct _gil_runtime_state in _PyRuntime.ceval (3.12 moved it into
/// each interpreter, 3.13 changed it). Py_Version (3.11+) is data; Py_GetVersion (3.9, 3.10) only
/// formats static strings, so both are safe before the interpreter is initialised.
bool hasKnownGilLayout()
{
    if (const auto *hex = static_cast<const unsigned long *>(dlsym(RTLD_DEFAULT, "Py_Version")))
        return (*hex >> 16) == 0x030b;
    const auto getVersion = reinterpret_cast<const char *(*)()>(dlsym(RTLD_DEFAULT, "Py_GetVersion"));
    if (!getVersion)
        return false;
    const char *version = getVersion();
    return strncmp(version, "3.9.", 4) == 0 || strncmp(version, "3.10.", 5) == 0;
}

} // namespace

void init() noexcept
{
    if (!hasKnownGilLayout())
        return; // no CPython, or one whose GIL is not known here: no GIL is drawn
    void *runtime = dlsym(RTLD_DEFAULT, "_PyRuntime");
    Dl_info info;
    void *extra = nullptr;
    if (!runtime || !dladdr1(runtime, &info, &extra, RTLD_DL_SYMENT) || !extra)
        return;
    const auto *symbol = static_cast<const ElfW(Sym) *>(extra);
    if (symbol->st_size < sizeof(GilState))
        return;
    if (!resolveApi())
        return;
    char cwd[4096];
    if (getcwd(cwd, sizeof cwd))
        g_cwd = cwd;
    g_runtimeBegin = static_cast<const char *>(runtime);
    g_runtimeEnd = g_runtimeBegin + symbol->st_size;
}

void afterMutexInit(pthread_mutex_t *mutex) noexcept
{
    if (!g_runtimeBegin)
        return;
    const char *address = reinterpret_cast<const char *>(mutex);
    const char *start = address - offsetof(GilState, mutex);
    if (start < g_runtimeBegin || start + sizeof(GilState) > g_runtimeEnd)
        return;
    auto *gil = reinterpret_cast<GilState *>(const_cast<char *>(start));
    // create_gil initialises the mutex first, while `locked` is still -1; a fork child creates
    // the GIL again (PyOS_AfterFork_Child) with `locked` as the parent left it. The interval
    // read through the interpreter's own accessor must be the word this layout puts there.
    const int locked = relaxed(gil->locked);
    if (locked != -1 && gil != relaxed(g_gil))
        return;
    if (gil->interval != g_api.getSwitchInterval())
        return;
    {
        Guard guard; // the recorder's own mutex and allocations are not the program's
        g_gilId = recorder::newObject(ObjectKind::Gil, "GIL");
    }
    // A fork child has one thread, which is about to take the new GIL: it holds nothing yet.
    t_gil = ThreadGil{};
    __atomic_store_n(&g_gil, gil, __ATOMIC_RELEASE);
    __atomic_store_n(&detail::g_haveGil, true, __ATOMIC_RELEASE);
}

void afterCondInit(pthread_cond_t *) noexcept
{
    // The mutex is initialised first and identifies the whole structure, conditions included.
}

bool detail::g_haveGil = false;

bool detail::isGilMutex(const pthread_mutex_t *mutex) noexcept
{
    const GilState *gil = relaxed(g_gil);
    return gil && (mutex == &gil->mutex || mutex == &gil->switchMutex);
}

bool detail::isGilCond(const pthread_cond_t *cond) noexcept
{
    const GilState *gil = relaxed(g_gil);
    return gil && (cond == &gil->cond || cond == &gil->switchCond);
}

void gilBeforeUnlock(pthread_mutex_t *mutex) noexcept
{
    GilState *gil = relaxed(g_gil);
    if (!gil || mutex != &gil->mutex)
        return; // the switch mutex is part of the hand-off: nothing of its own to show
    ThreadGil &self = t_gil;
    const int locked = relaxed(gil->locked);
    if (locked == 1 && !self.holding) {
        // take_gil set `locked` and now lets go of the mutex: this thread holds the GIL.
        if (!lastHolderIsThisThread(gil))
            return;
        self.holding = true;
        self.waiting = false;
        preload::record(EventType::LockObtain, g_gilId);
    } else if (locked == 0 && self.holding) {
        // drop_gil cleared `locked`; recorded before the real unlock, so the next holder's
        // obtain (seen under the same mutex) is always later.
        self.holding = false;
        preload::record(EventType::LockRelease, g_gilId);
    }
}

void gilAfterUnlock(pthread_mutex_t *) noexcept {}

void gilBeforeCondWait(pthread_cond_t *cond, pthread_mutex_t *) noexcept
{
    GilState *gil = relaxed(g_gil);
    if (!gil || cond != &gil->cond)
        return; // drop_gil's wait on the switch condition is part of the hand-off, not a wait
    ThreadGil &self = t_gil;
    // take_gil waits in a loop of timed waits (one per switch interval): one LockWait for all.
    if (self.holding || self.waiting)
        return;
    self.waiting = true;
    preload::record(EventType::LockWait, g_gilId);
}

void gilAfterCondWait(pthread_cond_t *, pthread_mutex_t *) noexcept {}

uint32_t siteWhileHoldingGil() noexcept
{
    ThreadGil &self = t_gil;
    // Python objects may only be touched with the GIL; `holding` is what this library saw,
    // PyGILState_Check what the interpreter says (they differ only in a thread that swapped states).
    if (!relaxed(g_gil) || !self.holding || self.inSite || !recorder::enabled() || !g_api.gilStateCheck())
        return 0;
    self.inSite = true;
    // What the lookup calls (the recorder's intern table, the interpreter's allocator) is not the
    // program's doing: the interceptors let it through unrecorded.
    Guard guard;
    uint32_t id = 0;
    void *type = nullptr;
    void *value = nullptr;
    void *traceback = nullptr;
    g_api.errFetch(&type, &value, &traceback); // a pending exception must survive the lookup
    // A frame object made for the walk could start a collection that runs finalizers here.
    const bool collecting = g_api.gcDisable && g_api.gcEnable && g_api.gcDisable();
    try {
        id = walkFrames();
    } catch (...) {
        id = 0; // out of memory: no call site rather than no program
    }
    if (collecting)
        g_api.gcEnable();
    g_api.errRestore(type, value, traceback);
    self.inSite = false;
    return id;
}

} // namespace interleave::preload::python
