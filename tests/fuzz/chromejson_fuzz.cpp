// SPDX-License-Identifier: MIT
// Fuzz target: the Chrome / Perfetto JSON importer (object and bare-array forms, cut-off arrays,
// every phase). What imports must index safely, carry the Imported flag, build a model whose
// queries hold, save as .iltrace and reopen identically, and export to JSON that imports again.
#include "fuzzcheck.h"

#include "io/chromejson.h"
#include "io/iltrace.h"
#include "trace/tracemodel.h"

#include <QBuffer>

#include <cstdio>
#include <cstring>

using namespace interleave::core;
using namespace interleave::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using Problem = LoadResult::Problem;
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const LoadResult r = importChromeJson(bytes, QStringLiteral("fuzz.json"));
    FUZZ_CHECK(r.ok == (r.problem == Problem::None), "ok and problem disagree");
    FUZZ_CHECK(r.ok == r.error.isEmpty(), "an error without a problem, or a problem without a message");
    if (!r.ok) {
        FUZZ_CHECK(r.problem == Problem::Empty || r.problem == Problem::NotATrace || r.problem == Problem::Corrupt ||
                       r.problem == Problem::Truncated,
                   "an unexpected kind of refusal for bytes in memory");
        // A cut-off export keeps the events before the cut, and they must hold as a whole trace's.
        if (r.problem != Problem::Truncated) {
            FUZZ_CHECK(r.data.events.empty(), "a refused JSON file kept events");
            return 0;
        }
    }
    checkIndexes(r.data);
    for (const Event &e : r.data.events)
        FUZZ_CHECK(e.flags & Imported, "an imported event lacks the Imported flag");

    // Saved as .iltrace, it reopens as the same data.
    const LoadResult native = loadIltrace(iltraceBytes(r.data), QStringLiteral("import.iltrace"));
    FUZZ_CHECK(native.ok, "an imported trace saved as .iltrace does not reopen");
    FUZZ_CHECK(native.data.events.size() == r.data.events.size() &&
                   (r.data.events.empty() || std::memcmp(native.data.events.data(), r.data.events.data(),
                                                         r.data.events.size() * sizeof(Event)) == 0),
               "an imported trace saved as .iltrace reopens with other events");

    const TraceModel model{TraceData(r.data)};
    checkModel(model);
    QByteArray json;
    QBuffer buffer(&json);
    buffer.open(QIODevice::WriteOnly);
    QString error;
    FUZZ_CHECK(exportChromeJson(model, buffer, &error), "Chrome export to memory failed");
    const LoadResult again = importChromeJson(json, QStringLiteral("again.json"));
    if (!again.ok)
        std::fprintf(stderr, "%s\n", qPrintable(again.error));
    FUZZ_CHECK(again.ok, "the export of an imported trace does not import again");
    return 0;
}
