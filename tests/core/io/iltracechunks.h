// SPDX-License-Identifier: MIT
// The chunks of a .iltrace image, walked independently of the loader (for the format's tests).
#pragma once

#include "io/iltrace.h"

#include <QByteArray>

#include <cstdint>
#include <cstring>
#include <vector>

namespace interleave::core::testing {

struct Chunk
{
    uint32_t type;
    size_t offset; ///< of the chunk header
    size_t payloadSize;
};

inline std::vector<Chunk> chunksOf(const QByteArray &bytes)
{
    std::vector<Chunk> chunks;
    size_t pos = iltrace::kHeaderSize;
    while (pos + iltrace::kChunkHeaderSize <= size_t(bytes.size())) {
        Chunk c{};
        std::memcpy(&c.type, bytes.constData() + pos, 4);
        uint64_t len;
        std::memcpy(&len, bytes.constData() + pos + 8, 8);
        c.offset = pos;
        c.payloadSize = size_t(len);
        chunks.push_back(c);
        pos += iltrace::kChunkHeaderSize + c.payloadSize;
    }
    return chunks;
}

} // namespace interleave::core::testing
