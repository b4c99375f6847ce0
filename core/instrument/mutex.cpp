// SPDX-License-Identifier: MIT
// Mutex and TimedMutex are templates in mutex.h so that lock() and unlock() inline at the call
// site (the uncontended path must stay within a few ns of std::mutex); this file only makes sure
// the header compiles on its own.
#include "instrument/mutex.h"

namespace interleave::core::detail {
template class RecordedMutex<std::mutex>;
template class RecordedMutex<std::timed_mutex>;
} // namespace interleave::core::detail
