// SPDX-License-Identifier: MIT
// Fuzz target: the master/worker frame decoder (u32 big-endian length + one CBOR map), with the
// limits before login (1 KiB) and after (64 KiB). A decoded frame never claims more bytes than
// it was given, every shorter prefix of it asks for more, and its message encodes and decodes
// again to the same message.
#include "fuzzcheck.h"

#include "net/protocol.h"

using namespace interleave::core::net;

namespace {

void check(const uint8_t *data, size_t size, size_t maxFrame)
{
    const FrameResult r = decodeFrame(data, size, maxFrame);
    const uint32_t n =
        size >= 4 ? (uint32_t(data[0]) << 24 | uint32_t(data[1]) << 16 | uint32_t(data[2]) << 8 | data[3]) : 0;
    switch (r.status) {
    case FrameResult::NeedMore:
        FUZZ_CHECK(r.consumed == 0 && r.error.empty(), "asks for more but consumed or complained");
        FUZZ_CHECK(size < 4 || (n <= maxFrame && size - 4 < n), "asks for more although the frame is there");
        return;
    case FrameResult::Error:
        FUZZ_CHECK(r.consumed == 0 && !r.error.empty(), "an error without a reason, or one that consumed bytes");
        FUZZ_CHECK(size >= 4, "an error before the length was read");
        return;
    case FrameResult::Frame:
        break;
    }
    FUZZ_CHECK(r.consumed <= size, "a frame claims more bytes than were given");
    FUZZ_CHECK(r.consumed == 4 + size_t(n) && n <= maxFrame, "a frame's size is not its length prefix");
    FUZZ_CHECK(r.message.text("t") == QLatin1String(messageTypeName(r.message.type)), "the type is not its name");
    // A stream delivers frames in pieces: every shorter prefix must wait, not fail.
    for (const size_t k : {size_t(0), size_t(3), size_t(4), r.consumed - 1}) {
        if (k < r.consumed)
            FUZZ_CHECK(decodeFrame(data, k, maxFrame).status == FrameResult::NeedMore, "a prefix of a frame fails");
    }
    // A bigger limit accepts what a smaller one did.
    const FrameResult wide = decodeFrame(data, size, SIZE_MAX);
    FUZZ_CHECK(wide.status == FrameResult::Frame && wide.consumed == r.consumed, "a larger limit refuses a frame");
    // The fields the master and the worker read never fail, whatever their CBOR type.
    for (const char *key : {"v", "id", "n", "r", "pid", "timeout_ms", "tq", "rq"})
        (void)r.message.integer(key);
    for (const char *key : {"challenge", "proof"})
        (void)r.message.bytes(key);
    for (const char *key : {"name", "q", "why", "item"})
        (void)r.message.text(key);
    // Encoded again (canonically: the size may change), it decodes to the same message.
    const QByteArray re = encodeFrame(r.message.type, r.message.fields);
    const FrameResult back =
        decodeFrame(reinterpret_cast<const uint8_t *>(re.constData()), size_t(re.size()), SIZE_MAX);
    FUZZ_CHECK(back.status == FrameResult::Frame && back.consumed == size_t(re.size()), "a re-encoded frame fails");
    FUZZ_CHECK(back.message.type == r.message.type, "a re-encoded frame changed its type");
    FUZZ_CHECK(back.message.fields.toCborValue().toCbor() == r.message.fields.toCborValue().toCbor(),
               "a re-encoded frame changed its fields");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check(data, size, kMaxLoginFrame);
    check(data, size, kMaxFrame);
    return 0;
}
