// SPDX-License-Identifier: MIT
// Fuzz target: the native .iltrace reader. Each input is read twice: as it is (so the header,
// chunk framing and checksum checks are fuzzed) and with every chunk's CRC-32 made right (so the
// fuzzer reaches the META, STRS, THRD and EVTS parsers, which a checksum would otherwise guard).
// Whatever loads (a whole trace or the valid prefix of a damaged one) must index safely, build a
// model whose queries hold, save and reload to the same data, and export to Chrome JSON that
// imports again.
#include "fuzzcheck.h"

#include "io/chromejson.h"
#include "io/iltrace.h"
#include "trace/tracemodel.h"

#include <QBuffer>

#include <cstdio>
#include <cstring>

using namespace interleave::core;
using namespace interleave::fuzz;

namespace {

/// The same image with each complete chunk's checksum recomputed.
QByteArray withRepairedChecksums(const uint8_t *data, size_t size)
{
    QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    size_t pos = iltrace::kHeaderSize;
    while (size >= pos && size - pos >= iltrace::kChunkHeaderSize) {
        uint64_t length;
        std::memcpy(&length, bytes.constData() + pos + 8, 8);
        const size_t payload = pos + iltrace::kChunkHeaderSize;
        if (length > size - payload)
            break;
        const uint32_t crc = iltrace::crc32(bytes.constData() + payload, size_t(length));
        std::memcpy(bytes.data() + pos + 16, &crc, 4);
        pos = payload + size_t(length);
    }
    return bytes;
}

bool sameData(const TraceData &a, const TraceData &b)
{
    if (a.events.size() != b.events.size() || a.threads.size() != b.threads.size())
        return false;
    if (!a.events.empty() && std::memcmp(a.events.data(), b.events.data(), a.events.size() * sizeof(Event)) != 0)
        return false;
    for (size_t i = 0; i < a.threads.size(); ++i) {
        if (a.threads[i].pid != b.threads[i].pid || a.threads[i].tid != b.threads[i].tid)
            return false;
    }
    return a.strings == b.strings && a.meta == b.meta && a.droppedEvents == b.droppedEvents &&
           a.tornEvents == b.tornEvents;
}

void check(const LoadResult &r)
{
    using Problem = LoadResult::Problem;
    FUZZ_CHECK(r.ok == (r.problem == Problem::None), "ok and problem disagree");
    FUZZ_CHECK(r.ok == r.error.isEmpty(), "an error without a problem, or a problem without a message");
    FUZZ_CHECK(r.problem != Problem::Io, "reading memory reported an I/O error");
    // Only a damaged file keeps a prefix; the other problems stop before the first event.
    if (r.problem != Problem::None && r.problem != Problem::Truncated && r.problem != Problem::Corrupt)
        FUZZ_CHECK(r.data.events.empty(), "a refused file kept events");
    checkIndexes(r.data);

    if (r.ok) {
        // Saved again, it reads back as the same trace.
        const QByteArray again = iltraceBytes(r.data);
        const LoadResult reread = loadIltrace(again, QStringLiteral("again.iltrace"));
        FUZZ_CHECK(reread.ok, "a loaded trace, saved again, does not load");
        FUZZ_CHECK(sameData(r.data, reread.data), "a loaded trace, saved again, reads back different");
    }
    if (r.data.events.empty() && r.data.threads.empty())
        return;
    // What the window shows: the whole trace, or the valid prefix of a damaged one.
    const TraceModel model{TraceData(r.data)};
    checkModel(model);
    QByteArray json;
    QBuffer buffer(&json);
    buffer.open(QIODevice::WriteOnly);
    QString error;
    FUZZ_CHECK(exportChromeJson(model, buffer, &error), "Chrome export to memory failed");
    const LoadResult imported = importChromeJson(json, QStringLiteral("export.json"));
    if (!imported.ok)
        std::fprintf(stderr, "%s\n", qPrintable(imported.error));
    FUZZ_CHECK(imported.ok, "the Chrome export of a loaded trace does not import");
    checkIndexes(imported.data);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check(loadIltrace(reinterpret_cast<const char *>(data), size, QStringLiteral("fuzz.iltrace")));
    const QByteArray repaired = withRepairedChecksums(data, size);
    if (size_t(repaired.size()) >= iltrace::kHeaderSize && std::memcmp(repaired.constData(), data, size) != 0)
        check(loadIltrace(repaired, QStringLiteral("fuzz.iltrace")));
    return 0;
}
