// SPDX-License-Identifier: MIT
#pragma once

#include "trace/tracedata.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace interleave::core {

/// What the byte-flow passes (matchByteFlows, ByteFlowGate) share.
namespace byteflow {
/// New item ids count on from the highest recorded one; a damaged trace's huge ids must not
/// make them overflow.
constexpr int64_t kItemLimit = int64_t(1) << 62;

constexpr std::string_view kPipePrefix = "pipe:[";
constexpr std::string_view kSocketPrefix = "socket:[";
constexpr std::string_view kPairPrefix = "socketpair:";

} // namespace byteflow

/// What matchByteFlows did.
struct ByteFlowCounts
{
    size_t mergedObjects = 0;  ///< channel objects that became another process' object of the same name
    size_t sends = 0;          ///< ByteStream sends rewritten
    size_t matchedSends = 0;   ///< of which a receive consumed the last byte
    size_t receives = 0;       ///< ByteStream receives rewritten (extra ones not counted)
    size_t extraReceives = 0;  ///< PipeRecv events added: a read that consumed several writes
    size_t unmatchedBytes = 0; ///< bytes received beyond everything recorded as sent
};

/// Turns a traced program's pipe and socket traffic (PipeSend / PipeRecv with flag ByteStream,
/// arg = bytes) into the items the built-in pipes record, so the model draws an arrow per write.
///
/// Channels: ObjectKind::Pipe objects named "pipe:[<inode>]" or "socket:[<inode>]" are one
/// channel per name, whichever processes announced them; every event is moved to one id per name
/// (the smallest). A "socketpair:[a]:[b]" object says that what is written to socket a is read
/// from socket b and the other way round: a write's object becomes its peer's.
///
/// Matching, per channel, in time order: each write is a byte range of the stream and so is each
/// read; a write goes to the read that consumes its last byte (a header read then a payload read
/// give one arrow, into the payload's read; a read that takes several writes gets one PipeRecv per
/// write, the added ones right after it, at its time). Each write and its read then carry one item
/// id unique for the object; a write nobody read, or a read of nothing recorded as written, has an
/// item of its own. The ByteStream flag is cleared on every event rewritten.
///
/// Runs once over a complete trace (before the model is built from it): the byte ranges need
/// every write and read of a channel. O(n log n).
ByteFlowCounts matchByteFlows(TraceData &data);

} // namespace interleave::core
