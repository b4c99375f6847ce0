// SPDX-License-Identifier: MIT
#pragma once

#include "ui/timeline/timemapping.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace interleave::ui {

/// How long each code covers inside one bucket or pixel. A bucket rarely holds more than a few
/// codes, so a flat list beats a table indexed by code.
template<typename Weight> class CodeMix
{
public:
    void clear() { m_items.clear(); }
    bool empty() const { return m_items.empty(); }
    void add(uint16_t code, Weight w)
    {
        for (auto &item : m_items) {
            if (item.first == code) {
                item.second += w;
                return;
            }
        }
        m_items.emplace_back(code, w);
    }
    void subtract(uint16_t code, Weight w)
    {
        for (size_t i = 0; i < m_items.size(); ++i) {
            if (m_items[i].first == code) {
                m_items[i].second -= w;
                if (m_items[i].second <= 0)
                    m_items.erase(m_items.begin() + ptrdiff_t(i));
                return;
            }
        }
    }
    /// The code covering the most (ties: the lower code). With `zeroIsEmpty`, code 0 means "nothing"
    /// and wins only when nothing else is there: a short lock wait in a pixel still shows.
    uint16_t dominant(bool zeroIsEmpty) const
    {
        uint16_t best = 0;
        Weight bestWeight{};
        bool found = false;
        for (const auto &[code, w] : m_items) {
            if (zeroIsEmpty && code == 0)
                continue;
            if (!found || w > bestWeight || (w == bestWeight && code < best)) {
                best = code;
                bestWeight = w;
                found = true;
            }
        }
        return found ? best : 0;
    }
    const std::vector<std::pair<uint16_t, Weight>> &items() const { return m_items; }

private:
    std::vector<std::pair<uint16_t, Weight>> m_items;
};

/// A run of whole pixel columns [x0, x1) (relative to the plot's left edge) drawn with one code.
struct PixelRun
{
    int x0 = 0;
    int x1 = 0;
    uint16_t code = 0;
    bool operator==(const PixelRun &) const = default;
};

/// Turns (start, end, code) pieces, in time order, into runs of whole pixel columns: each column
/// gets the code that covers most of it, and neighbours with the same code merge.
class PixelRunBuilder
{
public:
    PixelRunBuilder(const TimeMapping &map, bool zeroIsEmpty, std::vector<PixelRun> &out);
    void add(int64_t start, int64_t end, uint16_t code);
    /// Emits the last, partly covered column.
    void finish();

private:
    void flushColumn();
    void push(int x0, int x1, uint16_t code);

    int64_t m_t0;
    double m_pixelsPerNs;
    double m_width;
    bool m_zeroIsEmpty;
    std::vector<PixelRun> &m_out;
    int m_column = -1;
    CodeMix<double> m_mix;
};

/// One lane's tiled spans — [start(i), start(i + 1)) with a small code each (a thread state, the
/// thread on a core, "holds a lock") — and a multi-resolution summary of them: levels of time
/// buckets on a fixed grid, each level's buckets twice as wide as the level below, holding each
/// bucket's dominant code, run-length encoded. A frame draws from the coarsest level whose buckets
/// are no wider than a pixel, so it costs O(pixels), not O(spans); exact spans are drawn only when
/// even the finest level is coarser than a pixel, i.e. when few spans are visible.
///
/// It grows by append() and is cut back by truncate() (a live thread's last span changes while it
/// is open); both keep every level exact, touching only the buckets at the cut.
class SpanSummary
{
public:
    using Code = uint16_t;
    static constexpr size_t npos = SIZE_MAX;
    static constexpr Code kNoCode = 0xffff;
    /// Below this many spans a lane has no levels: its exact spans are cheap enough.
    static constexpr size_t kMinSpansForLevels = 256;
    /// Levels are added on top until the coarsest has no more buckets than this.
    static constexpr int64_t kTopBuckets = 256;

    explicit SpanSummary(bool zeroIsEmpty = false)
        : m_zeroIsEmpty(zeroIsEmpty)
    {}

    bool zeroIsEmpty() const { return m_zeroIsEmpty; }
    size_t size() const { return m_starts.size(); }
    bool empty() const { return m_starts.empty(); }
    int64_t start(size_t i) const { return m_starts[i]; }
    int64_t end(size_t i) const { return i + 1 < m_starts.size() ? m_starts[i + 1] : m_end; }
    Code code(size_t i) const { return m_codes[i]; }
    int64_t beginTime() const { return m_starts.empty() ? 0 : m_starts.front(); }
    int64_t endTime() const { return m_end; }

    /// The span containing t, or npos: a binary search.
    size_t find(int64_t t) const;
    /// The first span that ends after t (size() if none).
    size_t firstEndingAfter(int64_t t) const;

    /// Appends [start, end) with `code`. A gap after endTime() becomes a span of code 0; a start
    /// before endTime() is moved up to it.
    void append(int64_t start, int64_t end, Code code);
    /// Drops everything at or after t; the span containing t now ends at t.
    void truncate(int64_t t);
    void clear();
    /// While deferred, append() keeps only the spans; ending it builds the levels in one pass per
    /// level (reading a whole lane at once, instead of keeping levels up to date span by span).
    void setDeferred(bool deferred);
    /// Releases spare capacity (after a lane was read in one go, e.g. a file opened).
    void squeeze();

    int levelCount() const { return int(m_levels.size()); }
    /// log2 of the bucket width (ns) of a level.
    int levelShift(int level) const { return m_levels[size_t(level)].shift; }
    /// First and last bucket index (bucket k covers [k << shift, (k + 1) << shift)) with content.
    int64_t firstBucket(int level) const { return m_levels[size_t(level)].firstBucket; }
    int64_t lastBucket(int level) const;
    /// The dominant code of bucket k, or kNoCode outside the content.
    Code bucketCode(int level, int64_t bucket) const;
    /// The level a frame at `nsPerPixel` draws from, or -1 for the exact spans.
    int levelFor(double nsPerPixel) const;

    /// The content of [t0, t1) as (start, end, code) pieces in time order, no finer than about a
    /// pixel of `nsPerPixel`: runs of buckets of levelFor(), or the exact spans.
    template<typename Fn> void pieces(int64_t t0, int64_t t1, double nsPerPixel, Fn &&fn) const;
    /// The pixel runs of [map.t0, map.t1) (appended to `out`).
    void pixelRuns(const TimeMapping &map, std::vector<PixelRun> &out) const;

    /// Bytes held (capacities).
    size_t bytes() const;

private:
    struct Level
    {
        int shift = 0;
        bool started = false;
        int64_t firstBucket = 0;
        int64_t closedEnd = 0; ///< buckets [firstBucket, closedEnd) are final
        bool hasOpen = false;  ///< bucket closedEnd is still filling; its mix is `open`
        CodeMix<int64_t> open;
        std::vector<int64_t> runBucket; ///< first bucket of each run of equal closed buckets
        std::vector<Code> runCode;
    };

    void appendSpan(int64_t start, int64_t end, Code code);
    void appendToLevel(Level &level, int64_t start, int64_t end, Code code) const;
    void closeOpen(Level &level) const;
    static void pushClosed(Level &level, int64_t count, Code code);
    static void cutRuns(Level &level, int64_t bucket);
    void truncateLevel(Level &level, int64_t t) const;
    void mixRange(CodeMix<int64_t> &mix, int64_t a, int64_t b, bool add) const;
    void maintainLevels();
    void buildLevels(int shift0);
    void addLevel(int shift);
    int chooseShift() const;

    bool m_zeroIsEmpty = false;
    std::vector<int64_t> m_starts;
    std::vector<Code> m_codes;
    int64_t m_end = 0;
    std::vector<Level> m_levels;
    size_t m_sizeAtBuild = 0;
    bool m_deferred = false;
};

template<typename Fn> void SpanSummary::pieces(int64_t t0, int64_t t1, double nsPerPixel, Fn &&fn) const
{
    if (m_starts.empty() || t1 <= t0 || t1 <= beginTime() || t0 >= m_end)
        return;
    const int li = levelFor(nsPerPixel);
    if (li < 0) {
        for (size_t i = firstEndingAfter(t0); i < m_starts.size() && m_starts[i] < t1; ++i)
            fn(m_starts[i], end(i), m_codes[i]);
        return;
    }
    const Level &lv = m_levels[size_t(li)];
    const int sh = lv.shift;
    const int64_t first = std::max(t0 >> sh, lv.firstBucket);
    const int64_t last = std::min((t1 - 1) >> sh, lastBucket(li));
    const int64_t begin = beginTime();
    auto piece = [&](int64_t b0, int64_t b1, Code code) {
        fn(std::max(b0 << sh, begin), std::min(b1 << sh, m_end), code);
    };
    const auto &rb = lv.runBucket;
    if (!rb.empty() && first < lv.closedEnd) {
        size_t r = size_t(std::upper_bound(rb.begin(), rb.end(), first) - rb.begin());
        r = r > 0 ? r - 1 : 0;
        for (; r < rb.size() && rb[r] <= last; ++r) {
            const int64_t b0 = std::max(rb[r], first);
            const int64_t b1 = std::min(r + 1 < rb.size() ? rb[r + 1] : lv.closedEnd, last + 1);
            if (b0 < b1)
                piece(b0, b1, lv.runCode[r]);
        }
    }
    if (lv.hasOpen && lv.closedEnd >= first && lv.closedEnd <= last)
        piece(lv.closedEnd, lv.closedEnd + 1, lv.open.dominant(m_zeroIsEmpty));
}

} // namespace interleave::ui
