// SPDX-License-Identifier: MIT
#include "ui/timeline/spansummary.h"

#include <bit>
#include <cmath>

namespace interleave::ui {

// PixelRunBuilder ------------------------------------------------------------------------------

PixelRunBuilder::PixelRunBuilder(const TimeMapping &map, bool zeroIsEmpty, std::vector<PixelRun> &out)
    : m_t0(map.t0)
    , m_pixelsPerNs(map.width / double(map.t1 - map.t0))
    , m_width(std::ceil(map.width))
    , m_zeroIsEmpty(zeroIsEmpty)
    , m_out(out)
{}

void PixelRunBuilder::push(int x0, int x1, uint16_t code)
{
    if (x1 <= x0)
        return;
    if (!m_out.empty() && m_out.back().x1 == x0 && m_out.back().code == code) {
        m_out.back().x1 = x1;
        return;
    }
    m_out.push_back({x0, x1, code});
}

void PixelRunBuilder::flushColumn()
{
    if (m_column >= 0 && !m_mix.empty())
        push(m_column, m_column + 1, m_mix.dominant(m_zeroIsEmpty));
    m_mix.clear();
    m_column = -1;
}

void PixelRunBuilder::add(int64_t start, int64_t end, uint16_t code)
{
    double a = std::clamp(double(start - m_t0) * m_pixelsPerNs, 0.0, m_width);
    const double b = std::clamp(double(end - m_t0) * m_pixelsPerNs, 0.0, m_width);
    while (a < b) {
        const int column = int(a);
        if (column != m_column) {
            flushColumn();
            m_column = column;
        }
        const double columnEnd = column + 1;
        if (b < columnEnd) {
            m_mix.add(code, b - a);
            return;
        }
        m_mix.add(code, columnEnd - a);
        flushColumn();
        // Whole columns inside the piece need no mix.
        const int full = int(b) - column - 1;
        if (full > 0)
            push(column + 1, column + 1 + full, code);
        a = columnEnd + std::max(full, 0);
    }
}

void PixelRunBuilder::finish()
{
    flushColumn();
}

// SpanSummary ----------------------------------------------------------------------------------

size_t SpanSummary::find(int64_t t) const
{
    if (m_starts.empty() || t < m_starts.front() || t >= m_end)
        return npos;
    return size_t(std::upper_bound(m_starts.begin(), m_starts.end(), t) - m_starts.begin()) - 1;
}

size_t SpanSummary::firstEndingAfter(int64_t t) const
{
    if (m_starts.empty() || t >= m_end)
        return m_starts.size();
    const size_t i = size_t(std::upper_bound(m_starts.begin(), m_starts.end(), t) - m_starts.begin());
    return i > 0 ? i - 1 : 0;
}

void SpanSummary::clear()
{
    m_starts.clear();
    m_codes.clear();
    m_end = 0;
    m_levels.clear();
    m_sizeAtBuild = 0;
}

void SpanSummary::setDeferred(bool deferred)
{
    if (deferred == m_deferred)
        return;
    m_deferred = deferred;
    if (deferred) {
        m_levels.clear();
        m_sizeAtBuild = 0;
    } else if (m_starts.size() >= kMinSpansForLevels) {
        buildLevels(chooseShift());
    }
}

void SpanSummary::squeeze()
{
    m_starts.shrink_to_fit();
    m_codes.shrink_to_fit();
    for (Level &lv : m_levels) {
        lv.runBucket.shrink_to_fit();
        lv.runCode.shrink_to_fit();
    }
}

void SpanSummary::append(int64_t start, int64_t end, Code code)
{
    if (!m_starts.empty()) {
        start = std::max(start, m_end);
        if (start > m_end)
            appendSpan(m_end, start, 0);
    }
    if (end <= start)
        return;
    appendSpan(start, end, code);
}

void SpanSummary::appendSpan(int64_t start, int64_t end, Code code)
{
    m_starts.push_back(start);
    m_codes.push_back(code);
    m_end = end;
    if (m_deferred)
        return;
    for (Level &lv : m_levels)
        appendToLevel(lv, start, end, code);
    maintainLevels();
}

void SpanSummary::pushClosed(Level &lv, int64_t count, Code code)
{
    if (count <= 0)
        return;
    if (lv.runCode.empty() || lv.runCode.back() != code) {
        lv.runBucket.push_back(lv.closedEnd);
        lv.runCode.push_back(code);
    }
    lv.closedEnd += count;
}

void SpanSummary::closeOpen(Level &lv) const
{
    pushClosed(lv, 1, lv.open.dominant(m_zeroIsEmpty));
    lv.open.clear();
    lv.hasOpen = false;
}

void SpanSummary::appendToLevel(Level &lv, int64_t start, int64_t end, Code code) const
{
    const int sh = lv.shift;
    const int64_t k0 = start >> sh;
    const int64_t k1 = (end - 1) >> sh;
    if (!lv.started) {
        lv.started = true;
        lv.firstBucket = lv.closedEnd = k0;
        lv.hasOpen = false;
    }
    if (lv.hasOpen && k0 > lv.closedEnd)
        closeOpen(lv);
    if (!lv.hasOpen) {
        // Spans are tiled, so there is no hole; an empty bucket would read as code 0.
        pushClosed(lv, k0 - lv.closedEnd, 0);
        lv.hasOpen = true;
        lv.open.clear();
    }
    if (k1 == k0) {
        lv.open.add(code, end - start);
        return;
    }
    lv.open.add(code, ((k0 + 1) << sh) - start);
    closeOpen(lv);
    pushClosed(lv, k1 - (k0 + 1), code); // buckets the span covers whole
    lv.hasOpen = true;
    lv.open.add(code, end - (k1 << sh));
}

void SpanSummary::cutRuns(Level &lv, int64_t bucket)
{
    while (!lv.runBucket.empty() && lv.runBucket.back() >= bucket) {
        lv.runBucket.pop_back();
        lv.runCode.pop_back();
    }
    lv.closedEnd = std::max(bucket, lv.firstBucket);
}

void SpanSummary::mixRange(CodeMix<int64_t> &mix, int64_t a, int64_t b, bool add) const
{
    for (size_t i = firstEndingAfter(a); i < m_starts.size() && m_starts[i] < b; ++i) {
        const int64_t w = std::min(end(i), b) - std::max(m_starts[i], a);
        if (w <= 0)
            continue;
        if (add)
            mix.add(m_codes[i], w);
        else
            mix.subtract(m_codes[i], w);
    }
}

void SpanSummary::truncateLevel(Level &lv, int64_t t) const
{
    const int sh = lv.shift;
    const int64_t kb = (t - 1) >> sh; // the last bucket with content before t
    const int64_t bucketStart = kb << sh;
    const int64_t bucketEnd = (kb + 1) << sh;
    if (lv.hasOpen && kb == lv.closedEnd) {
        // The cut falls in the bucket still filling: take out what lies after t.
        mixRange(lv.open, t, std::min(m_end, bucketEnd), false);
        return;
    }
    lv.open.clear();
    lv.hasOpen = false;
    if (t >= bucketEnd) {
        // Bucket kb ends exactly at the cut and stays final.
        cutRuns(lv, kb + 1);
        return;
    }
    // Bucket kb keeps only its part before t: reopen it with the exact mix of that part.
    cutRuns(lv, kb);
    lv.hasOpen = true;
    mixRange(lv.open, std::max(bucketStart, beginTime()), t, true);
}

void SpanSummary::truncate(int64_t t)
{
    if (m_starts.empty() || t >= m_end)
        return;
    if (t <= m_starts.front()) {
        clear();
        return;
    }
    for (Level &lv : m_levels)
        truncateLevel(lv, t);
    const size_t i = find(t);
    const size_t keep = m_starts[i] == t ? i : i + 1;
    m_starts.resize(keep);
    m_codes.resize(keep);
    m_end = t;
    if (m_starts.size() < kMinSpansForLevels / 2) {
        m_levels.clear();
        m_sizeAtBuild = 0;
    }
}

int64_t SpanSummary::lastBucket(int level) const
{
    const Level &lv = m_levels[size_t(level)];
    return lv.hasOpen ? lv.closedEnd : lv.closedEnd - 1;
}

SpanSummary::Code SpanSummary::bucketCode(int level, int64_t bucket) const
{
    if (level < 0 || level >= levelCount())
        return kNoCode;
    const Level &lv = m_levels[size_t(level)];
    if (!lv.started || bucket < lv.firstBucket)
        return kNoCode;
    if (bucket == lv.closedEnd)
        return lv.hasOpen ? lv.open.dominant(m_zeroIsEmpty) : kNoCode;
    if (bucket > lv.closedEnd || lv.runBucket.empty())
        return kNoCode;
    const auto it = std::upper_bound(lv.runBucket.begin(), lv.runBucket.end(), bucket);
    return lv.runCode[size_t(it - lv.runBucket.begin()) - 1];
}

int SpanSummary::levelFor(double nsPerPixel) const
{
    int chosen = -1;
    for (int i = 0; i < levelCount(); ++i) {
        if (double(int64_t(1) << m_levels[size_t(i)].shift) <= nsPerPixel)
            chosen = i;
        else
            break;
    }
    return chosen;
}

void SpanSummary::pixelRuns(const TimeMapping &map, std::vector<PixelRun> &out) const
{
    PixelRunBuilder builder(map, m_zeroIsEmpty, out);
    pieces(map.t0, map.t1, map.nsPerPixel(), [&](int64_t a, int64_t b, Code code) { builder.add(a, b, code); });
    builder.finish();
}

int SpanSummary::chooseShift() const
{
    // Level 0 a few times wider than a typical span: finer levels would cost as much as the
    // spans themselves, coarser ones would leave many spans per pixel to the exact path.
    const size_t n = m_starts.size();
    const size_t samples = std::min<size_t>(n, 1024);
    std::vector<int64_t> d;
    d.reserve(samples);
    for (size_t k = 0; k < samples; ++k) {
        const size_t i = k * n / samples;
        d.push_back(std::max<int64_t>(1, end(i) - m_starts[i]));
    }
    std::nth_element(d.begin(), d.begin() + ptrdiff_t(d.size() / 2), d.end());
    const uint64_t target = uint64_t(d[d.size() / 2]) * 4;
    return std::max(0, int(std::bit_width(target)) - 1);
}

void SpanSummary::addLevel(int shift)
{
    Level lv;
    lv.shift = shift;
    for (size_t i = 0; i < m_starts.size(); ++i)
        appendToLevel(lv, m_starts[i], end(i), m_codes[i]);
    m_levels.push_back(std::move(lv));
}

void SpanSummary::buildLevels(int shift0)
{
    m_levels.clear();
    addLevel(shift0);
    while (lastBucket(levelCount() - 1) - m_levels.back().firstBucket + 1 > kTopBuckets && m_levels.back().shift < 62)
        addLevel(m_levels.back().shift + 1);
    m_sizeAtBuild = m_starts.size();
}

void SpanSummary::maintainLevels()
{
    const size_t n = m_starts.size();
    if (m_levels.empty()) {
        if (n >= kMinSpansForLevels)
            buildLevels(chooseShift());
        return;
    }
    if (n >= 4 * m_sizeAtBuild) {
        // The lane got denser or sparser than when level 0 was chosen: rebuild if it is far off.
        const int shift = chooseShift();
        m_sizeAtBuild = n;
        if (std::abs(shift - m_levels.front().shift) >= 2) {
            buildLevels(shift);
            return;
        }
    }
    while (lastBucket(levelCount() - 1) - m_levels.back().firstBucket + 1 > kTopBuckets && m_levels.back().shift < 62)
        addLevel(m_levels.back().shift + 1);
}

size_t SpanSummary::bytes() const
{
    size_t b = sizeof(*this) + m_starts.capacity() * sizeof(int64_t) + m_codes.capacity() * sizeof(Code) +
               m_levels.capacity() * sizeof(Level);
    for (const Level &lv : m_levels)
        b += lv.runBucket.capacity() * sizeof(int64_t) + lv.runCode.capacity() * sizeof(Code) +
             lv.open.items().capacity() * sizeof(std::pair<uint16_t, int64_t>);
    return b;
}

} // namespace interleave::ui
