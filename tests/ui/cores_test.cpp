// SPDX-License-Identifier: MIT
#include "trace/tracemodel.h"
#include "ui/theme.h"
#include "ui/timeline/coredata.h"
#include "ui/timeline/coresview.h"

#include "../core/trace/tracebuilder.h"
#include "uitest.h"

#include <QImage>
#include <QPainter>

#include <gtest/gtest.h>

#include <map>
#include <set>

using namespace interleave;
using core::CoreSample;
using core::EventType;
using core::SampleArg;
using core::testing::TraceBuilder;
using ui::CoreData;
using ui::CoreSegment;
using ui::CoresView;

namespace {

constexpr int64_t us(int64_t v)
{
    return v * 1000;
}
constexpr int64_t ms(int64_t v)
{
    return TraceBuilder::ms(v);
}

/// Threads A (tid 101) and B (tid 102) of pid 100, sampled every millisecond by a sampler thread:
/// 1..9 ms A on core 0 and B on core 1; 10..19 ms they have swapped.
struct TwoCores
{
    core::TraceModel model;
    uint32_t a = 0;
    uint32_t b = 0;
};

void addSamples(TraceBuilder &b, uint32_t sampler, int64_t fromMs, int64_t toMs)
{
    for (int64_t t = fromMs; t < toMs; ++t) {
        const bool swapped = t >= 10;
        b.ev(sampler, t, EventType::Sample, 101, SampleArg::pack('R', 0), 0, swapped ? 1 : 0);
        b.ev(sampler, t, EventType::Sample, 102, SampleArg::pack('R', 0), 0, swapped ? 0 : 1).time += us(5);
    }
}

TwoCores twoCores()
{
    TraceBuilder b;
    TwoCores s;
    s.a = b.thread(100, 101);
    s.b = b.thread(100, 102);
    const uint32_t sampler = b.thread(100, 103);
    b.ev(s.a, 0, EventType::ThreadStart);
    b.ev(s.a, 0, EventType::ThreadName, b.str("Thread-A"));
    b.ev(s.b, 0, EventType::ThreadStart);
    b.ev(s.b, 0, EventType::ThreadName, b.str("Thread-B"));
    b.ev(sampler, 0, EventType::ThreadName, b.str("sampler"));
    addSamples(b, sampler, 1, 20);
    b.ev(s.a, 20, EventType::ThreadExit);
    b.ev(s.b, 20, EventType::ThreadExit);
    s.model = core::TraceModel(std::move(b.data));
    return s;
}

QImage render(ui::TraceView &view, QSize size)
{
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::magenta);
    QPainter painter(&image);
    view.renderContent(painter, size);
    return image;
}

/// Colours found along the top band of a row (above any name written in it).
std::set<QRgb> coloursAt(const QImage &image, const ui::LaneFrame &frame, const ui::TimelineRow &row, int64_t t)
{
    std::set<QRgb> out;
    const double x = frame.map.toX(t);
    const double top = frame.rowTop(row) + frame.rowHeight(row) * 0.15;
    for (int dy = 0; dy < 3; ++dy)
        out.insert(image.pixel(int(x), int(top) + dy) | 0xff000000u);
    return out;
}

} // namespace

TEST(CoreData, SamplesBecomeSegmentsOfTheThreadThatRan)
{
    const uint32_t A = 1;
    const uint32_t B = 2;
    // Core 0: in the 1 ms tick both are runnable, A waited less; at 2 ms B waited less and takes
    // over; at 3 ms both sleep; at 5 ms A runs again, with no later sample yet.
    const std::vector<CoreSample> samples = {
        {ms(1), A, 0, 'R', 0},       {ms(1) + us(10), B, 0, 'R', 500'000},
        {ms(2), A, 0, 'R', 600'000}, {ms(2) + us(10), B, 0, 'R', 100'000},
        {ms(3), A, 0, 'S', 0},       {ms(3) + us(10), B, 0, 'S', 0},
        {ms(5), A, 0, 'R', 0},
    };
    const std::map<uint32_t, std::vector<int64_t>> times = {{A, {ms(1), ms(2), ms(3), ms(5)}},
                                                            {B, {ms(1) + us(10), ms(2) + us(10), ms(3) + us(10)}}};
    auto next = [&](uint32_t thread, int64_t t) {
        const auto &v = times.at(thread);
        auto it = std::upper_bound(v.begin(), v.end(), t);
        return it == v.end() ? core::kTimeMax : *it;
    };
    const auto segments = CoreData::segments(samples, next, ms(6));
    EXPECT_EQ(segments, (std::vector<CoreSegment>{
                            {ms(1), ms(2), A, false}, {ms(2), ms(3) + us(10), B, false}, {ms(5), ms(6), A, true}}));
}

TEST(CoresView, EachCoreLaneShowsTheColourOfTheThreadThatRanThere)
{
    ui::testing::app();
    TwoCores s = twoCores();
    CoresView view;
    view.setModel(&s.model);
    EXPECT_EQ(view.data().cores(), (std::vector<uint32_t>{0, 1}));
    const QSize size(1000, 300);
    view.resize(size);
    const QImage image = render(view, size);
    const ui::LaneFrame frame = view.frameFor(size, &image, true);
    const ui::TimelineLayout &layout = view.layoutOf(frame);
    ASSERT_EQ(layout.rows.size(), 2u);
    const ui::TimelineRow &core0 = layout.rows[0];
    const ui::TimelineRow &core1 = layout.rows[1];
    EXPECT_EQ(core0.index, 0u);
    EXPECT_EQ(core1.index, 1u);
    const QRgb colourA = view.threadColor(s.a).rgb();
    const QRgb colourB = view.threadColor(s.b).rgb();
    EXPECT_TRUE(coloursAt(image, frame, core0, ms(5)).count(colourA));
    EXPECT_FALSE(coloursAt(image, frame, core0, ms(5)).count(colourB));
    EXPECT_TRUE(coloursAt(image, frame, core1, ms(5)).count(colourB));
    EXPECT_TRUE(coloursAt(image, frame, core0, ms(15)).count(colourB));
    EXPECT_TRUE(coloursAt(image, frame, core1, ms(15)).count(colourA));
    EXPECT_FALSE(coloursAt(image, frame, core1, ms(15)).count(colourB));
    // Before the first sample nobody is shown on a core.
    EXPECT_FALSE(coloursAt(image, frame, core0, us(500)).count(colourA));

    // The hover text and the legend name the threads.
    view.resize(size);
    const ui::LaneFrame wf = view.currentFrame();
    const ui::TimelineRow &w0 = view.layoutOf(wf).rows[0];
    const auto hit = view.hitTest(QPointF(wf.map.toX(ms(5)), wf.rowTop(w0) + wf.rowHeight(w0) / 2));
    EXPECT_EQ(hit.core, 0);
    EXPECT_EQ(hit.thread, s.a);
    EXPECT_TRUE(view.hoverText(QPointF(wf.map.toX(ms(5)), wf.rowTop(w0) + wf.rowHeight(w0) / 2))
                    .contains(QStringLiteral("Thread-A")));
    QStringList legend;
    for (const ui::LegendEntry &e : view.legend())
        legend << e.label;
    EXPECT_TRUE(legend.contains(QStringLiteral("Thread-A")));
    EXPECT_TRUE(legend.contains(QStringLiteral("Thread-B")));
    EXPECT_FALSE(legend.contains(QStringLiteral("sampler"))) << "it never ran on a sampled core";
}

TEST(CoresView, GrowsSampleBySampleLikeAFreshBuild)
{
    ui::testing::app();
    TwoCores s = twoCores();
    const core::TraceData &all = s.model.data();
    core::TraceModel growing;
    growing.data().threads = all.threads;
    growing.data().strings = all.strings;
    CoresView view;
    view.setModel(&growing);
    view.resize(800, 200);
    for (size_t i = 0; i < all.events.size(); i += 3) {
        for (size_t k = i; k < std::min(all.events.size(), i + 3); ++k)
            growing.data().events.push_back(all.events[k]);
        growing.update();
        view.refresh();
        CoreData fresh;
        fresh.update(growing);
        ASSERT_EQ(view.data().cores(), fresh.cores());
        for (uint32_t c : fresh.cores()) {
            const ui::SpanSummary &x = view.data().lane(c);
            const ui::SpanSummary &y = fresh.lane(c);
            ASSERT_EQ(x.size(), y.size()) << "after " << i << " core " << c;
            for (size_t k = 0; k < x.size(); ++k) {
                ASSERT_EQ(x.start(k), y.start(k));
                ASSERT_EQ(x.end(k), y.end(k));
                ASSERT_EQ(x.code(k), y.code(k));
            }
        }
    }
    EXPECT_EQ(view.data().threads().size(), 2u);
}
