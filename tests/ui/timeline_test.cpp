// SPDX-License-Identifier: MIT
#include "trace/tracemodel.h"
#include "ui/theme.h"
#include "ui/timeline/lanepainter.h"
#include "ui/timeline/spansummary.h"
#include "ui/timeline/timelinedata.h"
#include "ui/timeline/timelinelayout.h"
#include "ui/timeline/timelineview.h"
#include "ui/timeline/timemapping.h"

#include "../core/scenarios/scenariorun.h"
#include "../core/trace/tracebuilder.h"
#include "uitest.h"

#include <QCoreApplication>
#include <QFile>
#include <QImage>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPdfWriter>
#include <QSignalSpy>
#include <QSvgGenerator>
#include <QTemporaryDir>
#include <QWheelEvent>

#include <gtest/gtest.h>

#include <random>

using namespace interleave;
using core::BlockReason;
using core::EventType;
using core::ObjectKind;
using core::ThreadState;
using core::testing::TraceBuilder;
using ui::PixelRun;
using ui::SpanSummary;
using ui::TimeFormat;
using ui::TimelineData;
using ui::TimelineView;
using ui::TimeMapping;

namespace {

constexpr int64_t ms(int64_t v)
{
    return TraceBuilder::ms(v);
}

struct Span
{
    int64_t start;
    int64_t end;
    uint16_t code;
    bool operator==(const Span &) const = default;
};

std::vector<Span> spansOf(const SpanSummary &s)
{
    std::vector<Span> out;
    for (size_t i = 0; i < s.size(); ++i)
        out.push_back({s.start(i), s.end(i), s.code(i)});
    return out;
}

/// Adjacent spans of one code merged (lock bars may be split where an update cut them).
std::vector<Span> merged(const SpanSummary &s)
{
    std::vector<Span> out;
    for (const Span &x : spansOf(s)) {
        if (!out.empty() && out.back().end == x.start && out.back().code == x.code)
            out.back().end = x.end;
        else
            out.push_back(x);
    }
    return out;
}

/// The dominant code of [a, b) by a plain scan: most time, ties to the lower code, code 0 last
/// when `zeroIsEmpty`.
uint16_t bruteDominant(const std::vector<Span> &spans, int64_t a, int64_t b, bool zeroIsEmpty)
{
    std::map<uint16_t, int64_t> time;
    for (const Span &s : spans) {
        const int64_t w = std::min(s.end, b) - std::max(s.start, a);
        if (w > 0)
            time[s.code] += w;
    }
    uint16_t best = 0;
    int64_t bestTime = -1;
    for (const auto &[code, t] : time) {
        if (zeroIsEmpty && code == 0)
            continue;
        if (t > bestTime) {
            best = code;
            bestTime = t;
        }
    }
    return best;
}

/// Every bucket of every level against a brute-force scan of the spans. Returns buckets checked.
size_t checkLevels(const SpanSummary &s, const std::vector<Span> &spans)
{
    size_t checked = 0;
    for (int level = 0; level < s.levelCount(); ++level) {
        const int sh = s.levelShift(level);
        // A sweep: the spans overlapping bucket k start at index i.
        size_t i = 0;
        for (int64_t k = s.firstBucket(level); k <= s.lastBucket(level); ++k) {
            const int64_t a = k << sh;
            const int64_t b = (k + 1) << sh;
            while (i < spans.size() && spans[i].end <= a)
                ++i;
            std::map<uint16_t, int64_t> time;
            for (size_t j = i; j < spans.size() && spans[j].start < b; ++j) {
                const int64_t w = std::min(spans[j].end, b) - std::max(spans[j].start, a);
                if (w > 0)
                    time[spans[j].code] += w;
            }
            uint16_t best = 0;
            int64_t bestTime = -1;
            for (const auto &[code, t] : time) {
                if (s.zeroIsEmpty() && code == 0)
                    continue;
                if (t > bestTime) {
                    best = code;
                    bestTime = t;
                }
            }
            EXPECT_EQ(s.bucketCode(level, k), best) << "level " << level << " bucket " << k;
            if (s.bucketCode(level, k) != best)
                return checked;
            ++checked;
        }
        EXPECT_EQ(s.bucketCode(level, s.firstBucket(level) - 1), SpanSummary::kNoCode);
        EXPECT_EQ(s.bucketCode(level, s.lastBucket(level) + 1), SpanSummary::kNoCode);
    }
    return checked;
}

/// Random tiled spans: mostly short, now and then a long one (a sleep), codes 0..12.
std::vector<Span> randomSpans(std::mt19937_64 &rng, size_t n, int64_t start)
{
    std::vector<Span> out;
    std::uniform_int_distribution<int> codeDist(0, 12);
    std::uniform_int_distribution<int64_t> shortDist(1, 2000);
    std::uniform_int_distribution<int64_t> longDist(10'000, 5'000'000);
    std::uniform_int_distribution<int> pick(0, 99);
    int64_t t = start;
    for (size_t i = 0; i < n; ++i) {
        const int64_t len = pick(rng) < 2 ? longDist(rng) : shortDist(rng);
        out.push_back({t, t + len, uint16_t(codeDist(rng))});
        t += len;
    }
    return out;
}

/// Main thread (pid 100) and a worker sharing lock 7, a sleep and an exit:
///   main:   running 0-10, blocked on lock 10-20, holds it 20-25, running to 30, sleeping 30-40, running to 50, exits
///   worker: running 1-5, holds the lock 5-20, sleeps 20-45, running to 60
struct Synthetic
{
    core::TraceModel model;
    uint32_t main = 0;
    uint32_t worker = 0;
};

Synthetic synthetic()
{
    TraceBuilder b;
    Synthetic s;
    s.main = b.thread(100, 100);
    s.worker = b.thread(100, 101);
    b.ev(s.main, 0, EventType::ProcessStart, b.str("python"), 1);
    b.ev(s.main, 0, EventType::ThreadName, b.str("MainThread"));
    b.object(s.main, 0, 7, ObjectKind::Mutex, "balance_lock");
    b.ev(s.worker, 1, EventType::ThreadStart, 0, 100);
    b.ev(s.worker, 1, EventType::ThreadName, b.str("Worker"));
    b.ev(s.worker, 5, EventType::LockObtain, 7);
    b.ev(s.main, 10, EventType::LockWait, 7);
    b.ev(s.worker, 20, EventType::LockRelease, 7);
    b.ev(s.main, 20, EventType::LockObtain, 7);
    b.ev(s.worker, 20, EventType::SleepBegin, 0, ms(25));
    b.ev(s.main, 25, EventType::LockRelease, 7);
    b.ev(s.main, 30, EventType::SleepBegin, 0, ms(10));
    b.ev(s.main, 40, EventType::SleepEnd);
    b.ev(s.worker, 45, EventType::SleepEnd);
    b.ev(s.main, 50, EventType::ThreadExit);
    b.ev(s.worker, 60, EventType::Output, b.str("done"), 1);
    s.model = core::TraceModel(std::move(b.data));
    return s;
}

QImage render(ui::TraceView &view, QSize size)
{
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::magenta);
    QPainter painter(&image);
    view.renderContent(painter, size);
    painter.end();
    return image;
}

/// Colours in a small box around (x, y).
std::set<QRgb> coloursAround(const QImage &image, double x, double y, int rx, int ry)
{
    std::set<QRgb> out;
    for (int dy = -ry; dy <= ry; ++dy)
        for (int dx = -rx; dx <= rx; ++dx)
            out.insert(image.pixel(int(x) + dx, int(y) + dy) | 0xff000000u);
    return out;
}

double rowCentre(const ui::LaneFrame &frame, const ui::TimelineRow &row)
{
    return frame.rowTop(row) + frame.rowHeight(row) / 2;
}

} // namespace

// Time mapping and labels -------------------------------------------------------------------------

TEST(TimeMapping, MapsTimeToPixelsAndBack)
{
    const TimeMapping m(1'000'000, 2'000'000, 100, 500); // 1 ms over 500 px: 2000 ns per pixel
    EXPECT_DOUBLE_EQ(m.nsPerPixel(), 2000);
    EXPECT_DOUBLE_EQ(m.toX(1'000'000), 100);
    EXPECT_DOUBLE_EQ(m.toX(2'000'000), 600);
    EXPECT_DOUBLE_EQ(m.toX(1'500'000), 350);
    EXPECT_EQ(m.toTime(350), 1'500'000);
    EXPECT_EQ(m.toTime(101), 1'002'000);
    for (int64_t t = 1'000'000; t <= 2'000'000; t += 77'777)
        EXPECT_NEAR(double(m.toTime(m.toX(t))), double(t), 1.0);
}

TEST(TimeMapping, ZoomKeepsTheTimeUnderThePointerAndStaysInside)
{
    const TimeMapping m(0, 1'000'000, 0, 1000);
    const auto [a, b] = m.zoomed(0.5, 250, 0, 1'000'000, 100);
    EXPECT_EQ(b - a, 500'000);
    const TimeMapping z(a, b, 0, 1000);
    EXPECT_NEAR(double(z.toTime(250)), 250'000.0, 1.0); // what was under x = 250 still is
    // Zooming out past the trace shows the whole trace, never more.
    EXPECT_EQ(z.zoomed(10, 500, 0, 1'000'000, 100), std::make_pair(int64_t(0), int64_t(1'000'000)));
    // Zooming in stops at the minimum span.
    const auto [c, d] = m.zoomed(1e-9, 500, 0, 1'000'000, 100);
    EXPECT_EQ(d - c, 100);
    // Panning right by 100 px looks 100 px earlier, and stops at the start.
    EXPECT_EQ(z.panned(100, 0, 1'000'000).first, a - 50'000);
    EXPECT_EQ(z.panned(1e6, 0, 1'000'000), std::make_pair(int64_t(0), int64_t(500'000)));
    EXPECT_EQ(TimeMapping::clamped(-10, 90, 0, 50), std::make_pair(int64_t(0), int64_t(50)));
}

TEST(TimeFormat, TicksAreRoundAndLabelledInReadableUnits)
{
    // 2 ms over 1000 px with ticks at least 100 px apart: a 200 µs step, labelled in ms.
    const TimeMapping m(5'000'000, 7'000'000, 0, 1000);
    EXPECT_EQ(TimeFormat::tickStep(m, 100), 200'000);
    const auto ticks = TimeFormat::ticks(m, 5'000'000, 100);
    ASSERT_EQ(ticks.size(), 11u);
    EXPECT_EQ(ticks.front().time, 5'000'000);
    EXPECT_EQ(ticks.front().label, QStringLiteral("0"));
    EXPECT_EQ(ticks[1].label, QStringLiteral("0.2 ms"));
    EXPECT_EQ(ticks[6].label, QStringLiteral("1.2 ms"));
    EXPECT_EQ(TimeFormat::tickLabel(3'000'000'000, 1'000'000'000), QStringLiteral("3 s"));
    EXPECT_EQ(TimeFormat::tickLabel(1'500, 500), QStringLiteral("1.5 µs"));
    EXPECT_EQ(TimeFormat::tickLabel(40, 20), QStringLiteral("40 ns"));
    EXPECT_EQ(TimeFormat::tickLabel(250'000'000, 50'000'000), QStringLiteral("250 ms"));
    EXPECT_EQ(TimeFormat::tickLabel(2'500'000'000, 500'000'000), QStringLiteral("2.5 s"));
    EXPECT_EQ(TimeFormat::duration(850), QStringLiteral("850 ns"));
    EXPECT_EQ(TimeFormat::duration(12'345), QStringLiteral("12.3 µs"));
    EXPECT_EQ(TimeFormat::duration(1'500'000'000), QStringLiteral("1.50 s"));
    EXPECT_EQ(TimeFormat::duration(250'000'000), QStringLiteral("250 ms"));
    // Ticks that do not start at the origin are still multiples of the step from it.
    const auto later = TimeFormat::ticks(TimeMapping(5'030'000, 5'090'000, 0, 600), 5'000'000, 100);
    ASSERT_FALSE(later.empty());
    EXPECT_EQ((later.front().time - 5'000'000) % TimeFormat::tickStep(TimeMapping(5'030'000, 5'090'000, 0, 600), 100),
              0);
    EXPECT_GE(later.front().time, 5'030'000);
}

// The multi-resolution summary -------------------------------------------------------------------

TEST(SpanSummary, EveryBucketHoldsTheDominantCodeOfABruteForceScan)
{
    for (uint64_t seed : {1u, 2u, 3u}) {
        for (bool zeroIsEmpty : {false, true}) {
            std::mt19937_64 rng(seed);
            const std::vector<Span> spans = randomSpans(rng, 20'000, 1'000'000'000'000);
            SpanSummary s(zeroIsEmpty);
            for (const Span &x : spans)
                s.append(x.start, x.end, x.code);
            ASSERT_EQ(spansOf(s), spans);
            ASSERT_GE(s.levelCount(), 3);
            // Each level's buckets are twice as wide as the level below, and the top is small.
            for (int l = 1; l < s.levelCount(); ++l)
                EXPECT_EQ(s.levelShift(l), s.levelShift(l - 1) + 1);
            EXPECT_LE(s.lastBucket(s.levelCount() - 1) - s.firstBucket(s.levelCount() - 1) + 1,
                      SpanSummary::kTopBuckets);
            EXPECT_GT(checkLevels(s, spans), 20'000u);
            // Read in one go (levels built at the end) it is the same.
            SpanSummary bulk(zeroIsEmpty);
            bulk.setDeferred(true);
            for (const Span &x : spans)
                bulk.append(x.start, x.end, x.code);
            EXPECT_EQ(bulk.levelCount(), 0);
            bulk.setDeferred(false);
            ASSERT_GE(bulk.levelCount(), 3);
            EXPECT_GT(checkLevels(bulk, spans), 20'000u);
        }
    }
}

TEST(SpanSummary, CuttingBackAndGrowingAgainKeepsEveryLevelExact)
{
    std::mt19937_64 rng(7);
    SpanSummary s;
    std::vector<Span> reference;
    int64_t t = 5'000'000'000;
    for (int round = 0; round < 60; ++round) {
        // A live thread: new spans arrive, and the tail (or, now and then, more) is cut and redone.
        std::vector<Span> more = randomSpans(rng, 50 + size_t(rng() % 300), t);
        for (const Span &x : more) {
            s.append(x.start, x.end, x.code);
            reference.push_back(x);
        }
        t = reference.back().end;
        if (round % 3 != 2) {
            const size_t back = rng() % 8 == 0 ? reference.size() / 2 : reference.size() - 1 - rng() % 5;
            const int64_t cut =
                reference[back].start + int64_t(rng() % uint64_t(reference[back].end - reference[back].start));
            s.truncate(cut);
            while (!reference.empty() && reference.back().start >= cut)
                reference.pop_back();
            if (!reference.empty())
                reference.back().end = std::min(reference.back().end, cut);
            t = cut;
        }
        ASSERT_EQ(spansOf(s), reference) << "round " << round;
        checkLevels(s, reference);
        if (::testing::Test::HasFailure())
            return;
    }
    EXPECT_GT(s.levelCount(), 0);
}

TEST(SpanSummary, FindReturnsTheSpanContainingATime)
{
    std::mt19937_64 rng(11);
    const std::vector<Span> spans = randomSpans(rng, 5000, 777);
    SpanSummary s;
    for (const Span &x : spans)
        s.append(x.start, x.end, x.code);
    std::uniform_int_distribution<int64_t> when(0, spans.back().end + 100);
    for (int i = 0; i < 2000; ++i) {
        const int64_t t = when(rng);
        size_t expected = SpanSummary::npos;
        for (size_t k = 0; k < spans.size(); ++k)
            if (spans[k].start <= t && t < spans[k].end)
                expected = k;
        ASSERT_EQ(s.find(t), expected) << t;
    }
}

TEST(SpanSummary, GapsBecomeCodeZeroAndOverlapsAreTrimmed)
{
    SpanSummary s;
    s.append(100, 200, 3);
    s.append(250, 300, 4); // a gap 200..250
    s.append(280, 400, 5); // overlaps: starts at 300
    EXPECT_EQ(spansOf(s), (std::vector<Span>{{100, 200, 3}, {200, 250, 0}, {250, 300, 4}, {300, 400, 5}}));
    s.truncate(260);
    EXPECT_EQ(spansOf(s), (std::vector<Span>{{100, 200, 3}, {200, 250, 0}, {250, 260, 4}}));
    s.truncate(50);
    EXPECT_TRUE(s.empty());
}

TEST(PixelRunBuilder, EachColumnGetsTheCodeCoveringMostOfIt)
{
    std::mt19937_64 rng(5);
    const std::vector<Span> spans = randomSpans(rng, 3000, 0);
    const TimeMapping map(spans[100].start, spans[2500].end, 0, 333);
    std::vector<PixelRun> runs;
    ui::PixelRunBuilder builder(map, false, runs);
    for (const Span &x : spans)
        builder.add(x.start, x.end, x.code);
    builder.finish();
    std::vector<int> columnCode(334, -1);
    for (const PixelRun &r : runs)
        for (int x = r.x0; x < r.x1; ++x)
            columnCode[size_t(x)] = r.code;
    const double P = map.nsPerPixel();
    // Columns well inside the range, compared with a scan of each column's time.
    for (int x = 0; x < 333; ++x) {
        const auto a = int64_t(std::ceil(double(map.t0) + x * P));
        const auto b = int64_t(std::ceil(double(map.t0) + (x + 1) * P));
        std::map<uint16_t, int64_t> time;
        for (const Span &s : spans) {
            const int64_t w = std::min(s.end, b) - std::max(s.start, a);
            if (w > 0)
                time[s.code] += w;
        }
        // Skip columns whose two best codes are within rounding of each other.
        std::vector<int64_t> ts;
        for (const auto &[c, t] : time)
            ts.push_back(t);
        std::sort(ts.rbegin(), ts.rend());
        if (ts.size() > 1 && ts[0] - ts[1] < 4)
            continue;
        EXPECT_EQ(columnCode[size_t(x)], bruteDominant(spans, a, b, false)) << "column " << x;
    }
    // Runs are ordered, disjoint and merged.
    for (size_t i = 1; i < runs.size(); ++i) {
        EXPECT_GE(runs[i].x0, runs[i - 1].x1);
        EXPECT_FALSE(runs[i].x0 == runs[i - 1].x1 && runs[i].code == runs[i - 1].code);
    }
}

TEST(SpanSummary, AFrameReadsOnTheOrderOfPixelsNotSpans)
{
    // 2 million spans of 1 µs: a frame of 1000 px reads at most ~2 pieces per pixel at any zoom.
    SpanSummary s;
    for (int64_t i = 0; i < 2'000'000; ++i)
        s.append(i * 1000, (i + 1) * 1000, uint16_t(1 + (i % 3 == 0)));
    for (double fraction : {1.0, 0.1, 0.01, 0.001, 0.0001}) {
        const auto span = int64_t(2e9 * fraction);
        const int64_t t0 = 1'000'000'000 - span / 2;
        const TimeMapping map(t0, t0 + span, 0, 1000);
        size_t pieces = 0;
        s.pieces(map.t0, map.t1, map.nsPerPixel(), [&](int64_t, int64_t, uint16_t) { ++pieces; });
        EXPECT_LE(pieces, 2 * 1000u + 2) << fraction;
        EXPECT_GT(pieces, 0u);
        std::vector<PixelRun> runs;
        s.pixelRuns(map, runs);
        EXPECT_FALSE(runs.empty());
        EXPECT_LE(runs.back().x1, 1000);
    }
}

// Timeline data --------------------------------------------------------------------------------

TEST(TimelineData, LanesHoldTheModelsStatesAndLockBars)
{
    Synthetic s = synthetic();
    TimelineData data;
    ASSERT_TRUE(data.update(s.model));
    ASSERT_EQ(data.lanes().size(), 2u);
    for (uint32_t t : {s.main, s.worker}) {
        std::vector<Span> expected;
        for (const core::StateSpan &x : s.model.states(t))
            expected.push_back({x.start, x.end, TimelineData::stateCode(x.state, x.reason)});
        EXPECT_EQ(spansOf(data.lanes()[t].states), expected) << t;
    }
    const auto blocked = TimelineData::stateCode(ThreadState::Blocked, BlockReason::Lock);
    EXPECT_EQ(data.stateAt(s.main, ms(15)).code, blocked);
    EXPECT_EQ(data.stateAt(s.main, ms(15)).start, ms(10));
    EXPECT_EQ(data.stateAt(s.main, ms(15)).end, ms(20));
    EXPECT_EQ(data.stateAt(s.main, ms(55)).code, TimelineData::stateCode(ThreadState::Exited, BlockReason::None));
    EXPECT_EQ(merged(data.lanes()[s.worker].holds), (std::vector<Span>{{ms(5), ms(20), 1}}));
    EXPECT_EQ(merged(data.lanes()[s.main].waits), (std::vector<Span>{{ms(10), ms(20), 1}}));
    EXPECT_EQ(merged(data.lanes()[s.main].holds), (std::vector<Span>{{ms(20), ms(25), 1}}));
    EXPECT_TRUE(data.presentCodes().test(blocked));
    EXPECT_TRUE(data.hasHolds());
    EXPECT_FALSE(data.update(s.model)); // nothing new
}

TEST(TimelineLayout, TheRecordersOwnThreadsGetNoLaneWhateverTheirNames)
{
    TraceBuilder b;
    const uint32_t main = b.thread(100, 100);
    const uint32_t sampler = b.thread(100, 102);
    const uint32_t worker = b.thread(100, 103);
    const uint32_t oldSampler = b.thread(100, 104);
    b.ev(main, 0, EventType::ProcessStart, b.str("python"), 1);
    b.ev(main, 0, EventType::ThreadName, b.str("MainThread"));
    // Marked as the recorder's: no lane, whatever it is called.
    b.ev(sampler, 1, EventType::RecorderThread);
    b.ev(sampler, 1, EventType::ThreadName, b.str("helper"));
    // A program's thread that happens to be called "sampler" keeps its lane.
    b.ev(worker, 2, EventType::ThreadName, b.str("sampler"));
    // A trace from before the mark: the thread that wrote Samples is the sampler.
    b.ev(oldSampler, 3, EventType::Sample, uint32_t(100), core::SampleArg::pack('R', 0), 0, 100);
    b.ev(worker, 8, EventType::ThreadExit);
    b.ev(main, 10, EventType::ThreadExit);
    const core::TraceModel model(std::move(b.data));
    TimelineData data;
    data.update(model);
    const ui::TimelineLayout layout = ui::TimelineLayout::build(model, data, {});
    EXPECT_GE(layout.threadRow[main], 0);
    EXPECT_GE(layout.threadRow[worker], 0);
    EXPECT_EQ(layout.threadRow[sampler], -1);
    EXPECT_EQ(layout.threadRow[oldSampler], -1);
    EXPECT_EQ(std::count_if(layout.rows.begin(), layout.rows.end(),
                            [](const ui::TimelineRow &r) { return r.kind == ui::TimelineRow::Kind::Thread; }),
              2);
    EXPECT_TRUE(model.states(sampler).empty());
    EXPECT_FALSE(model.states(worker).empty());
}

TEST(TimelineData, GrowsEventByEventExactlyLikeAFreshBuild)
{
    // Events arrive a few at a time, with samples that turn part of the past Ready.
    TraceBuilder b;
    const uint32_t main = b.thread(10, 10);
    const uint32_t worker = b.thread(10, 11);
    const uint32_t sampler = b.thread(10, 12);
    std::mt19937_64 rng(3);
    int64_t tm = 0;
    int64_t tw = 1;
    b.ev(main, 0, EventType::ThreadStart);
    b.ev(worker, 1, EventType::ThreadStart);
    for (int i = 0; i < 300; ++i) {
        tm += 1 + int64_t(rng() % 3);
        b.ev(main, tm, i % 2 ? EventType::SleepEnd : EventType::SleepBegin);
        tw += 1 + int64_t(rng() % 4);
        b.ev(worker, tw,
             i % 3 == 0   ? EventType::LockWait
             : i % 3 == 1 ? EventType::LockObtain
                          : EventType::LockRelease,
             3);
        if (i % 5 == 0)
            b.ev(sampler, std::max(tm, tw), EventType::Sample, 11, core::SampleArg::pack('R', 700'000), 0, 1);
    }
    b.ev(worker, tw + 1, EventType::ThreadExit);
    core::TraceData all = std::move(b.data);

    core::TraceModel growing;
    growing.data().threads = all.threads;
    growing.data().strings = all.strings;
    TimelineData data;
    for (size_t i = 0; i < all.events.size();) {
        const size_t n = std::min(all.events.size() - i, size_t(1 + rng() % 9));
        for (size_t k = 0; k < n; ++k)
            growing.data().events.push_back(all.events[i + k]);
        i += n;
        growing.update();
        data.update(growing);
        TimelineData fresh;
        fresh.update(growing);
        for (uint32_t t = 0; t < growing.threadCount(); ++t) {
            ASSERT_EQ(spansOf(data.lanes()[t].states), spansOf(fresh.lanes()[t].states)) << "after " << i;
            ASSERT_EQ(merged(data.lanes()[t].holds), merged(fresh.lanes()[t].holds)) << "after " << i;
            ASSERT_EQ(merged(data.lanes()[t].waits), merged(fresh.lanes()[t].waits)) << "after " << i;
        }
    }
    // The sampler's delays did make part of the worker's running time Ready.
    bool ready = false;
    for (const Span &x : spansOf(data.lanes()[worker].states))
        ready |= TimelineData::codeState(x.code) == ThreadState::Ready;
    EXPECT_TRUE(ready);
}

// The view -------------------------------------------------------------------------------------

TEST(TimelineView, PaintsEachStateWhereItsSpanIs)
{
    ui::testing::app();
    Synthetic s = synthetic();
    TimelineView view;
    view.setModel(&s.model);
    const QSize size(1000, 400);
    view.resize(size);
    const QImage image = render(view, size);
    const ui::LaneFrame frame = view.frameFor(size, &image, true);
    const ui::TimelineLayout &layout = view.layoutOf(frame);
    ASSERT_GE(layout.threadRow[s.main], 0);
    const ui::TimelineRow &row = layout.rows[size_t(layout.threadRow[s.main])];
    const double y = rowCentre(frame, row);
    const ui::Theme &th = view.theme();
    const QRgb running = th.stateColor(ThreadState::Running).rgb();
    const QRgb blocked = th.stateColor(ThreadState::Blocked, BlockReason::Lock).rgb();
    const QRgb blockedTint = ui::LanePainter::mix(th.background, QColor::fromRgb(blocked), 0.3).rgb();
    const QRgb sleeping = th.stateColor(ThreadState::Sleeping).rgb();
    // Running: solid colour.
    EXPECT_EQ(image.pixel(int(frame.map.toX(ms(5))), int(y)) | 0xff000000u, running);
    EXPECT_EQ(image.pixel(int(frame.map.toX(ms(45))), int(y)) | 0xff000000u, running);
    // Blocked on the lock: its pattern over its tint, no running colour.
    const auto b = coloursAround(image, frame.map.toX(ms(15)), y, 12, 2);
    EXPECT_TRUE(b.count(blocked)) << "blocked colour";
    EXPECT_TRUE(b.count(blockedTint)) << "blocked tint";
    EXPECT_FALSE(b.count(running));
    // Sleeping: the sleeping colour, no blocked colour.
    const auto z = coloursAround(image, frame.map.toX(ms(35)), y, 12, 6);
    EXPECT_TRUE(z.count(sleeping));
    EXPECT_FALSE(z.count(blocked));
    // The worker's lock hold shows as a bar in the hold colour over its tiles, 5..20 ms.
    const ui::TimelineRow &wrow = layout.rows[size_t(layout.threadRow[s.worker])];
    bool hold = false;
    for (double yy = frame.rowTop(wrow); yy < rowCentre(frame, wrow); yy += 1)
        hold |= (image.pixel(int(frame.map.toX(ms(12))), int(yy)) | 0xff000000u) == th.hold.rgb();
    EXPECT_TRUE(hold);
    bool holdLater = false;
    for (double yy = frame.rowTop(wrow); yy < rowCentre(frame, wrow); yy += 1)
        holdLater |= (image.pixel(int(frame.map.toX(ms(30))), int(yy)) | 0xff000000u) == th.hold.rgb();
    EXPECT_FALSE(holdLater);
    // Nothing of a thread is drawn before it started: the worker's lane at 0.5 ms is background.
    const auto before = coloursAround(image, frame.map.toX(ms(0)) + 1, rowCentre(frame, wrow), 0, 2);
    EXPECT_FALSE(before.count(running));
}

TEST(TimelineView, HitTestFindsTheSpanAndTheLockBars)
{
    ui::testing::app();
    Synthetic s = synthetic();
    TimelineView view;
    view.setModel(&s.model);
    view.resize(900, 300);
    const ui::LaneFrame frame = view.currentFrame();
    const ui::TimelineLayout layout = view.layout();
    const ui::TimelineRow &row = layout.rows[size_t(layout.threadRow[s.main])];
    const double y = rowCentre(frame, row);
    auto hit = view.hitTest(QPointF(frame.map.toX(ms(15)), y));
    EXPECT_EQ(hit.kind, TimelineView::Hit::Kind::State);
    EXPECT_EQ(hit.index, s.main);
    ASSERT_TRUE(hit.span.found);
    EXPECT_EQ(hit.span.start, ms(10));
    EXPECT_EQ(hit.span.end, ms(20));
    EXPECT_EQ(TimelineData::codeReason(hit.span.code), BlockReason::Lock);
    hit = view.hitTest(QPointF(frame.map.toX(ms(35)), y));
    EXPECT_EQ(TimelineData::codeState(hit.span.code), ThreadState::Sleeping);
    EXPECT_EQ(hit.span.start, ms(30));
    // The bar over the worker's tiles is its hold.
    const ui::TimelineRow &wrow = layout.rows[size_t(layout.threadRow[s.worker])];
    hit = view.hitTest(QPointF(frame.map.toX(ms(10)), frame.rowTop(wrow) + frame.rowHeight(wrow) * 0.15));
    EXPECT_EQ(hit.kind, TimelineView::Hit::Kind::Hold);
    EXPECT_EQ(hit.index, s.worker);
    // The process header row.
    const ui::TimelineRow &header = layout.rows[size_t(layout.processRow[0])];
    hit = view.hitTest(QPointF(frame.map.toX(ms(10)), rowCentre(frame, header)));
    EXPECT_EQ(hit.kind, TimelineView::Hit::Kind::Process);
    // Hover text names the thread, the state and the lock, and when.
    const QString tip = view.hoverText(QPointF(frame.map.toX(ms(15)), y));
    EXPECT_TRUE(tip.contains(QStringLiteral("MainThread"))) << tip.toStdString();
    EXPECT_TRUE(tip.contains(ui::Theme::stateLabel(ThreadState::Blocked, BlockReason::Lock))) << tip.toStdString();
    EXPECT_TRUE(tip.contains(QStringLiteral("balance_lock"))) << tip.toStdString();
    EXPECT_TRUE(tip.contains(TimeFormat::duration(ms(10)))) << tip.toStdString();
    const QString holdTip =
        view.hoverText(QPointF(frame.map.toX(ms(10)), frame.rowTop(wrow) + frame.rowHeight(wrow) * 0.15));
    EXPECT_TRUE(holdTip.contains(TimelineView::tr("holds %1").arg(QStringLiteral("balance_lock"))))
        << holdTip.toStdString();
    EXPECT_TRUE(
        view.hoverText(QPointF(frame.map.toX(ms(10)), rowCentre(frame, header))).contains(QStringLiteral("python")));
}

TEST(TimelineView, DrawsFlowsForkAndInstantsAndListsThemInTheLegend)
{
    ui::testing::app();
    TraceBuilder b;
    const uint32_t a = b.thread(100, 100);
    const uint32_t c = b.thread(200, 200);
    b.ev(a, 0, EventType::ProcessStart, b.str("parent"), 1);
    b.object(a, 0, 9, ObjectKind::ProcessQueue, "q");
    b.ev(a, 5, EventType::ForkReturn, 0, 200);
    b.ev(c, 6, EventType::ProcessStart, b.str("child"), 100);
    b.ev(c, 6, EventType::ForkReturn, 0, 0);
    b.ev(c, 20, EventType::QueueGetWait, 9);
    b.ev(a, 30, EventType::QueuePut, 9, 1);
    b.ev(a, 30, EventType::QueueDepth, 9, 1);
    b.ev(c, 31, EventType::QueueGet, 9, 1);
    b.ev(c, 31, EventType::QueueDepth, 9, 0);
    b.ev(a, 40, EventType::Signal, 200, 15);
    b.ev(a, 41, EventType::ProcessExit, 200, 15, core::ExitSignal);
    b.ev(a, 60, EventType::ThreadExit);
    core::TraceModel model(std::move(b.data));

    TimelineView view;
    view.setModel(&model);
    view.setTheme(ui::Theme::get(ui::Theme::Id::Projector));
    ASSERT_EQ(view.data().flows().size(), 2u);
    std::set<core::FlowKind> kinds;
    for (const core::Flow &f : view.data().flows())
        kinds.insert(f.kind);
    EXPECT_EQ(kinds, (std::set<core::FlowKind>{core::FlowKind::Fork, core::FlowKind::Queue}));
    ASSERT_EQ(view.data().queues().size(), 1u);
    EXPECT_EQ(view.data().queues()[0].maxDepth, 1);

    const QSize size(1200, 500);
    view.resize(size);
    const QImage image = render(view, size);
    const ui::LaneFrame frame = view.frameFor(size, &image, true);
    const ui::TimelineLayout &layout = view.layoutOf(frame);
    const ui::Theme &th = view.theme();
    const QRgb ink = th.flow.rgb() | 0xff000000u;
    const ui::TimelineRow &ra = layout.rows[size_t(layout.threadRow[a])];
    const ui::TimelineRow &rc = layout.rows[size_t(layout.threadRow[c])];
    // The queue arrow, halfway from the put (parent, 30 ms) to the get (child, 31 ms).
    const QPointF p0(frame.map.toX(ms(30)), rowCentre(frame, ra));
    const QPointF p1(frame.map.toX(ms(31)), rowCentre(frame, rc));
    const QPointF mid = (p0 + p1) / 2;
    EXPECT_TRUE(coloursAround(image, mid.x(), mid.y(), 1, 0).count(ink)) << "queue arrow";
    // The fork arrow, from the parent's fork (5 ms) to the child's start (6 ms).
    const QPointF f0(frame.map.toX(ms(5)), rowCentre(frame, ra));
    const QPointF f1(frame.map.toX(ms(6)), rowCentre(frame, rc));
    const QPointF fmid = (f0 + f1) / 2;
    EXPECT_TRUE(coloursAround(image, fmid.x(), fmid.y(), 2, 2).count(ink)) << "fork arrow";
    // The fork instant: a filled triangle at the top of the parent's lane.
    EXPECT_TRUE(coloursAround(image, frame.map.toX(ms(5)), frame.rowTop(ra) + 3, 1, 1).count(th.foreground.rgb()));
    // The exit of the child: a cross on its process header; the signal: a bolt in the alarm colour.
    const ui::TimelineRow &child = layout.rows[size_t(layout.processRow[1])];
    EXPECT_TRUE(coloursAround(image, frame.map.toX(ms(41)), rowCentre(frame, child), 1, 1).count(th.foreground.rgb()));
    EXPECT_TRUE(coloursAround(image, frame.map.toX(ms(40)), rowCentre(frame, child), 4, 6).count(th.deadlock.rgb()));
    // The queue's depth lane shows a step up between put and get.
    ASSERT_FALSE(layout.rows.empty());
    EXPECT_EQ(layout.rows.back().kind, ui::TimelineRow::Kind::Queue);

    QStringList legend;
    for (const ui::LegendEntry &e : view.legend())
        legend << e.label;
    EXPECT_TRUE(legend.contains(ui::Theme::stateLabel(ThreadState::Blocked, BlockReason::Queue)));
    EXPECT_TRUE(legend.contains(TimelineView::tr("queue: put → get")));
    EXPECT_TRUE(legend.contains(TimelineView::tr("fork: parent → child")));
    EXPECT_FALSE(legend.contains(TimelineView::tr("deadlock")));
}

TEST(TimelineView, ADeadlockIsDrawnAcrossTheLanesWithItsCycle)
{
    ui::testing::app();
    TraceBuilder b;
    const uint32_t a = b.thread(100, 100);
    const uint32_t w = b.thread(100, 101);
    b.object(a, 0, 1, ObjectKind::Mutex, "lock_a");
    b.object(a, 0, 2, ObjectKind::Mutex, "lock_b");
    b.ev(a, 0, EventType::ThreadStart);
    b.ev(w, 0, EventType::ThreadStart);
    b.ev(a, 1, EventType::LockObtain, 1);
    b.ev(w, 1, EventType::LockObtain, 2);
    b.ev(a, 2, EventType::LockWait, 2);
    b.ev(w, 2, EventType::LockWait, 1);
    b.ev(a, 10, EventType::Deadlock, 0, 2);
    core::TraceModel model(std::move(b.data));
    TimelineView view;
    view.setModel(&model);
    ASSERT_EQ(view.data().deadlocks().size(), 1u);
    EXPECT_EQ(view.data().deadlocks()[0].cycle.size(), 2u);
    const QSize size(800, 300);
    const QImage image = render(view, size);
    const ui::LaneFrame frame = view.frameFor(size, &image, true);
    const ui::TimelineLayout &layout = view.layoutOf(frame);
    const ui::TimelineRow &row = layout.rows[size_t(layout.threadRow[w])];
    EXPECT_EQ(image.pixel(int(frame.map.toX(ms(10))), int(rowCentre(frame, row))) | 0xff000000u,
              view.theme().deadlock.rgb());
    // The blocked spans of both threads are outlined in the deadlock colour.
    const double x = frame.map.toX(ms(5));
    bool outlined = false;
    for (double y = frame.rowTop(row); y < frame.rowTop(row) + frame.rowHeight(row); y += 1)
        outlined |= (image.pixel(int(x), int(y)) | 0xff000000u) == view.theme().deadlock.rgb();
    EXPECT_TRUE(outlined);
}

TEST(TimelineView, ExportsAsVectorsToSvgAndPdf)
{
    ui::testing::app();
    Synthetic s = synthetic();
    TimelineView view;
    view.setModel(&s.model);
    const QSize size(900, 360);
    view.resize(size);
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString svgPath = dir.filePath(QStringLiteral("timeline.svg"));
    {
        QSvgGenerator svg;
        svg.setFileName(svgPath);
        svg.setSize(size);
        svg.setViewBox(QRect(QPoint(), size));
        QPainter painter(&svg);
        view.renderContent(painter, size);
    }
    QFile svgFile(svgPath);
    ASSERT_TRUE(svgFile.open(QIODevice::ReadOnly));
    const QByteArray svg = svgFile.readAll();
    EXPECT_GT(svg.size(), 2000);
    EXPECT_TRUE(svg.contains("<path") || svg.contains("<rect"));
    EXPECT_TRUE(svg.contains("<text")) << "labels are text, not pixels";
    EXPECT_FALSE(svg.contains("<image")) << "no bitmap";
    // The running colour fills, and the blocked pattern is drawn as real strokes in its colour.
    const ui::Theme &light = ui::Theme::get(ui::Theme::Id::Light);
    EXPECT_TRUE(svg.contains(light.stateColor(core::ThreadState::Running).name().toLatin1()));
    EXPECT_TRUE(svg.contains("stroke=\"#d55e00\""));

    const QString pdfPath = dir.filePath(QStringLiteral("timeline.pdf"));
    {
        QPdfWriter pdf(pdfPath);
        pdf.setResolution(96);
        pdf.setPageSize(QPageSize(QSizeF(size) * 72.0 / 96, QPageSize::Point));
        pdf.setPageMargins(QMarginsF());
        QPainter painter(&pdf);
        view.renderContent(painter, size);
    }
    QFile pdfFile(pdfPath);
    ASSERT_TRUE(pdfFile.open(QIODevice::ReadOnly));
    const QByteArray pdf = pdfFile.readAll();
    EXPECT_TRUE(pdf.startsWith("%PDF"));
    EXPECT_GT(pdf.size(), 2000);
}

TEST(TimelineView, ZoomPanKeysAndClicks)
{
    ui::testing::app();
    Synthetic s = synthetic();
    TimelineView view;
    view.setModel(&s.model);
    view.resize(1000, 300);
    const int64_t start = s.model.startTime();
    const int64_t end = s.model.endTime();
    EXPECT_EQ(view.visibleRange(), std::make_pair(start, end));
    EXPECT_TRUE(view.showsAll());

    auto key = [&](int k) {
        QKeyEvent e(QEvent::KeyPress, k, Qt::NoModifier);
        QCoreApplication::sendEvent(&view, &e);
    };
    key(Qt::Key_Plus);
    auto [a, b] = view.visibleRange();
    EXPECT_NEAR(double(b - a), double(end - start) / 2, 2);
    EXPECT_NEAR(double(a + b) / 2, double(start + end) / 2, double(end - start) / 100);
    EXPECT_FALSE(view.showsAll());
    key(Qt::Key_Right);
    const auto [a2, b2] = view.visibleRange();
    EXPECT_GT(a2, a);
    EXPECT_EQ(b2 - a2, b - a);
    key(Qt::Key_Minus);
    key(Qt::Key_Minus);
    EXPECT_EQ(view.visibleRange(), std::make_pair(start, end));
    key(Qt::Key_Plus);
    key(Qt::Key_Home);
    EXPECT_TRUE(view.showsAll());

    // The wheel zooms around the pointer: the time under it stays under it.
    const ui::LaneFrame f = view.currentFrame();
    const double x = f.map.left + f.map.width * 0.25;
    const int64_t under = f.map.toTime(x);
    QWheelEvent wheel(QPointF(x, f.plot.center().y()), QPointF(), QPoint(), QPoint(0, 240), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QCoreApplication::sendEvent(view.surface(), &wheel);
    const ui::LaneFrame g = view.currentFrame();
    EXPECT_LT(g.map.t1 - g.map.t0, f.map.t1 - f.map.t0);
    EXPECT_NEAR(double(g.map.toTime(x)), double(under), g.map.nsPerPixel());

    // A click asks to move the playhead to the time under it.
    QSignalSpy seek(&view, &ui::TraceView::seekRequested);
    const QPointF at(g.map.left + g.map.width * 0.6, g.plot.center().y());
    QMouseEvent press(QEvent::MouseButtonPress, at, at, Qt::LeftButton, Qt::LeftButton, Qt::NoModifier);
    QMouseEvent release(QEvent::MouseButtonRelease, at, at, Qt::LeftButton, Qt::NoButton, Qt::NoModifier);
    QCoreApplication::sendEvent(view.surface(), &press);
    QCoreApplication::sendEvent(view.surface(), &release);
    ASSERT_EQ(seek.count(), 1);
    EXPECT_NEAR(double(seek.at(0).at(0).toLongLong()), double(g.map.toTime(at.x())), g.map.nsPerPixel());

    // A drag pans by the distance dragged, and does not seek.
    const auto before = view.visibleRange();
    const QPointF to = at + QPointF(100, 0);
    QMouseEvent press2(QEvent::MouseButtonPress, at, at, Qt::LeftButton, Qt::LeftButton, Qt::NoModifier);
    QMouseEvent move(QEvent::MouseMove, to, to, Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
    QMouseEvent release2(QEvent::MouseButtonRelease, to, to, Qt::LeftButton, Qt::NoButton, Qt::NoModifier);
    QCoreApplication::sendEvent(view.surface(), &press2);
    QCoreApplication::sendEvent(view.surface(), &move);
    QCoreApplication::sendEvent(view.surface(), &release2);
    EXPECT_EQ(seek.count(), 1);
    const auto after = view.visibleRange();
    EXPECT_NEAR(double(before.first - after.first), 100 * g.map.nsPerPixel(), g.map.nsPerPixel() * 2);

    // setVisibleRange (an export copying the window's zoom) and back.
    view.setVisibleRange(ms(10), ms(20));
    EXPECT_EQ(view.visibleRange(), std::make_pair(ms(10), ms(20)));
    view.setVisibleRange(0, 0);
    EXPECT_TRUE(view.showsAll());
}

TEST(TimelineView, MovingThePlayheadRebuildsNothingAndRedrawsTheLine)
{
    ui::testing::app();
    Synthetic s = synthetic();
    TimelineView view;
    view.setModel(&s.model);
    view.resize(900, 300);
    view.show();
    view.replotNow();
    QCoreApplication::processEvents(); // replots queued while the view was shown
    const uint64_t version = view.contentVersion();
    const uint64_t paints = view.lanePaints();
    EXPECT_GT(paints, 0u);
    for (int i = 0; i <= 60; ++i) {
        view.setPlayhead(ms(i));
        QCoreApplication::processEvents();
    }
    EXPECT_EQ(view.contentVersion(), version);
    view.setPlayhead(ms(33));
    const QImage image = view.grab().toImage();
    EXPECT_EQ(view.lanePaints(), paints) << "the lanes were not drawn again";
    const ui::LaneFrame frame = view.currentFrame();
    const double x = frame.map.toX(ms(33));
    const QRgb playhead = view.theme().playhead.rgb();
    EXPECT_TRUE(coloursAround(image, x, frame.plot.center().y(), 1, 0).count(playhead));
    EXPECT_FALSE(coloursAround(image, frame.map.toX(ms(20)), frame.plot.center().y(), 1, 0).count(playhead));
    EXPECT_EQ(view.contentVersion(), version);
}

TEST(TimelineView, CopesWithNoModelAnEmptyModelAThemeAndALanguageChange)
{
    ui::testing::app();
    TimelineView view;
    view.resize(600, 200);
    const QImage none = render(view, QSize(600, 200));
    EXPECT_EQ(none.pixel(2, 2) | 0xff000000u, view.theme().background.rgb());
    bool text = false;
    for (int x = 0; x < 600 && !text; ++x)
        text = (none.pixel(x, 100) | 0xff000000u) != view.theme().background.rgb();
    EXPECT_TRUE(text) << "an explanation instead of nothing";
    core::TraceModel empty;
    view.setModel(&empty);
    EXPECT_EQ(view.visibleRange(), std::make_pair(int64_t(0), int64_t(1)));
    render(view, QSize(600, 200));
    view.setPlayhead(123456);
    view.refresh();

    Synthetic s = synthetic();
    view.setModel(&s.model);
    const double light = view.layout().rows[size_t(view.layout().threadRow[s.main])].height;
    view.setTheme(ui::Theme::get(ui::Theme::Id::Projector));
    const double projector = view.layout().rows[size_t(view.layout().threadRow[s.main])].height;
    EXPECT_GE(projector, 38);
    EXPECT_GT(projector, light);
    const uint64_t version = view.contentVersion();
    QEvent change(QEvent::LanguageChange);
    QCoreApplication::sendEvent(&view, &change);
    EXPECT_GT(view.contentVersion(), version);
    EXPECT_EQ(view.title(), TimelineView::tr("Timeline"));
    view.setModel(nullptr);
    render(view, QSize(300, 150));
}

TEST(TimelineView, LanesAppearAsARealRunGrows)
{
    ui::testing::app();
    const auto run = core::testing::runScenario("lock", {{QStringLiteral("iterations"), QStringLiteral("2000")}});
    ASSERT_EQ(run.status(), core::RunStatus::Finished);
    const core::TraceData &all = run.model().data();
    ASSERT_GT(all.events.size(), 1000u);

    // Replay the run into a model that grows, refreshing the view between batches as the window does.
    core::TraceModel growing;
    growing.data().threads = all.threads;
    growing.data().strings = all.strings;
    TimelineView view;
    view.setModel(&growing);
    view.resize(1200, 500);
    std::vector<size_t> lanes;
    const size_t batches = 40;
    for (size_t k = 1; k <= batches; ++k) {
        // The first batch is the run's first few events, before the workers have started.
        const size_t upto = k == 1 ? size_t(10) : all.events.size() * k / batches;
        while (growing.data().events.size() < upto)
            growing.data().events.push_back(all.events[growing.data().events.size()]);
        growing.update();
        view.refresh();
        size_t n = 0;
        for (const ui::TimelineRow &r : view.layout().rows)
            n += r.kind == ui::TimelineRow::Kind::Thread;
        lanes.push_back(n);
        EXPECT_EQ(view.visibleRange(), std::make_pair(growing.startTime(), growing.endTime()));
    }
    std::string counts;
    for (size_t n : lanes)
        counts += std::to_string(n) + ' ';
    EXPECT_LT(lanes.front(), lanes.back()) << "threads appear as the run goes on: " << counts;
    EXPECT_TRUE(std::is_sorted(lanes.begin(), lanes.end()));
    // In the end the view holds exactly what a fresh look at the whole run holds.
    TimelineData fresh;
    fresh.update(growing);
    size_t threadsWithEvents = 0;
    for (uint32_t t = 0; t < growing.threadCount(); ++t) {
        // Every thread with events has a lane, except the runner's own sampler.
        threadsWithEvents += growing.thread(t).start != core::kTimeMax && !growing.thread(t).recorder;
        EXPECT_EQ(spansOf(view.data().lanes()[t].states), spansOf(fresh.lanes()[t].states)) << t;
        EXPECT_EQ(merged(view.data().lanes()[t].holds), merged(fresh.lanes()[t].holds)) << t;
        EXPECT_EQ(merged(view.data().lanes()[t].waits), merged(fresh.lanes()[t].waits)) << t;
    }
    EXPECT_EQ(lanes.back(), threadsWithEvents);
    EXPECT_TRUE(view.data().hasHolds());
    // Rendered, the two workers' lanes show the lock's hold colour somewhere.
    const QImage image = render(view, QSize(1200, 500));
    bool hold = false;
    for (int y = 0; y < image.height() && !hold; ++y)
        for (int x = 0; x < image.width() && !hold; ++x)
            hold = (image.pixel(x, y) | 0xff000000u) == view.theme().hold.rgb();
    EXPECT_TRUE(hold);
    core::testing::expectNothingLeft(run);
}
