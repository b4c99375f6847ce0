// SPDX-License-Identifier: MIT
#include "ui/theme.h"

#include "../core/trace/tracebuilder.h"
#include "uitest.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

using namespace interleave;
using core::BlockReason;
using core::EventType;
using core::ThreadState;
using core::testing::TraceBuilder;
using ui::Theme;

namespace {

/// CIE76 colour difference (Euclidean distance in CIELAB, D65): about 2.3 is just noticeable,
/// 30 is clearly another colour.
double deltaE(const QColor &a, const QColor &b)
{
    auto lab = [](const QColor &c) {
        auto lin = [](double v) { return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
        const double r = lin(c.redF()), g = lin(c.greenF()), bl = lin(c.blueF());
        const double x = (0.4124 * r + 0.3576 * g + 0.1805 * bl) / 0.95047;
        const double y = 0.2126 * r + 0.7152 * g + 0.0722 * bl;
        const double z = (0.0193 * r + 0.1192 * g + 0.9505 * bl) / 1.08883;
        auto f = [](double t) { return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116.0; };
        return std::array<double, 3>{116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))};
    };
    const auto p = lab(a), q = lab(b);
    return std::sqrt((p[0] - q[0]) * (p[0] - q[0]) + (p[1] - q[1]) * (p[1] - q[1]) + (p[2] - q[2]) * (p[2] - q[2]));
}

const std::vector<BlockReason> kReasons{BlockReason::Lock,      BlockReason::Join, BlockReason::Queue,
                                        BlockReason::Pipe,      BlockReason::Io,   BlockReason::CondVar,
                                        BlockReason::Semaphore, BlockReason::Held};

/// Every colour that means a state or a mark in a theme.
std::vector<std::pair<std::string, QColor>> meaningColours(const Theme &t)
{
    std::vector<std::pair<std::string, QColor>> out;
    for (ThreadState s : {ThreadState::Running, ThreadState::Ready, ThreadState::Sleeping, ThreadState::Exited})
        out.emplace_back(core::threadStateName(s), t.stateColor(s));
    for (BlockReason r : kReasons)
        out.emplace_back(std::string("blocked ") + core::blockReasonName(r), t.stateColor(ThreadState::Blocked, r));
    out.emplace_back("hold", t.hold);
    out.emplace_back("wait", t.wait);
    out.emplace_back("deadlock", t.deadlock);
    out.emplace_back("playhead", t.playhead);
    return out;
}

} // namespace

TEST(Theme, ThreadColoursNeverLookLikeAState)
{
    for (Theme::Id id : {Theme::Id::Light, Theme::Id::Dark, Theme::Id::Projector}) {
        const Theme &t = Theme::get(id);
        for (int i = 0; i < Theme::identityCount(); ++i) {
            const QColor c = t.threadColor(uint32_t(i));
            for (const auto &[name, m] : meaningColours(t))
                EXPECT_GE(deltaE(c, m), 30.0) << Theme::name(id).toStdString() << ": thread colour " << i << " "
                                              << c.name().toStdString() << " is close to " << name;
            for (int j = 0; j < i; ++j)
                EXPECT_GE(deltaE(c, t.threadColor(uint32_t(j))), 30.0) << "thread colours " << i << " and " << j;
        }
    }
}

TEST(Theme, TheDeadlockMarkAndThePlayheadDifferInColourAndShape)
{
    EXPECT_NE(Theme::deadlockStyle, Theme::playheadStyle);
    for (Theme::Id id : {Theme::Id::Light, Theme::Id::Dark, Theme::Id::Projector}) {
        const Theme &t = Theme::get(id);
        EXPECT_GE(deltaE(t.deadlock, t.playhead), 30.0) << Theme::name(id).toStdString();
    }
}

TEST(Theme, EveryWaitHasItsOwnHatch)
{
    const Theme &t = Theme::get(Theme::Id::Light);
    std::map<Qt::BrushStyle, std::string> seen;
    auto add = [&](Qt::BrushStyle style, const std::string &what) {
        const auto [it, fresh] = seen.emplace(style, what);
        EXPECT_TRUE(fresh) << what << " has the hatch of " << it->second;
    };
    for (ThreadState s : {ThreadState::Running, ThreadState::Ready, ThreadState::Sleeping, ThreadState::Exited})
        add(t.statePattern(s), core::threadStateName(s));
    for (BlockReason r : kReasons)
        add(t.statePattern(ThreadState::Blocked, r), std::string("blocked ") + core::blockReasonName(r));
    EXPECT_EQ(t.stateBrush(ThreadState::Blocked, BlockReason::Io).style(),
              t.statePattern(ThreadState::Blocked, BlockReason::Io));
}

TEST(Theme, AThreadKeepsItsColourWhateverOrderThreadsArriveIn)
{
    const std::vector<std::string> names{"MainThread", "Thread-1", "Thread-2", "LoopThread", "PoolWorker-1"};
    auto build = [&](const std::vector<size_t> &order) {
        TraceBuilder b;
        int32_t tid = 10;
        for (size_t i : order) {
            const uint32_t t = b.thread(1, tid++);
            b.ev(t, int64_t(tid), EventType::ThreadName, b.str(names[i]));
        }
        return core::TraceModel(std::move(b.data));
    };
    const core::TraceModel a = build({0, 1, 2, 3, 4});
    const core::TraceModel b = build({4, 2, 0, 3, 1});
    auto slotsOf = [](const core::TraceModel &m) {
        std::map<std::string, int> out;
        for (uint32_t t = 0; t < m.threadCount(); ++t)
            out[m.threadName(t)] = Theme::identitySlot(m, t);
        return out;
    };
    const auto sa = slotsOf(a);
    EXPECT_EQ(sa, slotsOf(b));
    // Five threads, ten colours: no two share one.
    std::set<int> distinct;
    for (const auto &[name, slot] : sa)
        distinct.insert(slot);
    EXPECT_EQ(distinct.size(), names.size());
    const Theme &t = Theme::get(Theme::Id::Light);
    EXPECT_EQ(t.threadColor(a, 0), t.threadColor(uint32_t(sa.at(a.threadName(0)))));

    // An unnamed thread ("pid/tid", different in every run) and the recorder's own never move a
    // named thread to another colour.
    for (int32_t unnamedTid = 1000; unnamedTid < 1040; ++unnamedTid) {
        TraceBuilder builder;
        int32_t tid = 10;
        for (size_t i = 0; i < names.size(); ++i)
            builder.ev(builder.thread(1, tid++), 1, EventType::ThreadName, builder.str(names[i]));
        builder.ev(builder.thread(1, unnamedTid), 2, EventType::ThreadStart);
        builder.ev(builder.thread(1, unnamedTid + 500), 0, EventType::RecorderThread);
        const core::TraceModel withOthers(std::move(builder.data));
        std::map<std::string, int> named = slotsOf(withOthers);
        named.erase(withOthers.threadName(withOthers.threadByTid(unnamedTid)));
        named.erase(withOthers.threadName(withOthers.threadByTid(unnamedTid + 500)));
        EXPECT_EQ(named, sa) << "unnamed tid " << unnamedTid;
    }
}

namespace {

/// WCAG 2 contrast ratio of two opaque colours, from 1 (same) to 21 (black on white).
double contrast(const QColor &a, const QColor &b)
{
    auto luminance = [](const QColor &c) {
        auto lin = [](double v) { return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF());
    };
    const double x = luminance(a), y = luminance(b);
    return (std::max(x, y) + 0.05) / (std::min(x, y) + 0.05);
}

} // namespace

TEST(Theme, ContrastIsComputedAsWcagDoes)
{
    EXPECT_NEAR(contrast(Qt::black, Qt::white), 21.0, 1e-9);
    EXPECT_NEAR(contrast(QColor(0x77, 0x77, 0x77), Qt::white), 4.48, 0.01);
    EXPECT_DOUBLE_EQ(contrast(Qt::red, Qt::red), 1.0);
}

TEST(Theme, EveryStateFillAndHatchStandsOutFromBothLaneBackgrounds)
{
    for (Theme::Id id : {Theme::Id::Light, Theme::Id::Dark, Theme::Id::Projector}) {
        const Theme &t = Theme::get(id);
        std::vector<std::pair<std::string, QBrush>> fills;
        for (ThreadState s : {ThreadState::Running, ThreadState::Ready, ThreadState::Sleeping, ThreadState::Exited})
            fills.emplace_back(core::threadStateName(s), t.stateBrush(s));
        for (BlockReason r : kReasons)
            fills.emplace_back(std::string("blocked ") + core::blockReasonName(r),
                               t.stateBrush(ThreadState::Blocked, r));
        for (const auto &[name, brush] : fills) {
            // A hatch's lines are drawn in the brush's colour: that is what must show.
            EXPECT_EQ(brush.color().alpha(), 255) << name;
            for (const QColor &lane : {t.background, t.laneAlternate})
                EXPECT_GE(contrast(brush.color(), lane), 3.0)
                    << Theme::name(id).toStdString() << ": " << name << " " << brush.color().name().toStdString()
                    << " on " << lane.name().toStdString();
        }
    }
}

TEST(Theme, StatesKeepTheirFamilyAndDifferFromEachOther)
{
    for (Theme::Id id : {Theme::Id::Light, Theme::Id::Dark, Theme::Id::Projector}) {
        const Theme &t = Theme::get(id);
        const std::string theme = Theme::name(id).toStdString();
        // Sleeping reads as a blue, a lock wait as an orange, running as a green.
        const QColor sleeping = t.stateColor(ThreadState::Sleeping);
        EXPECT_GT(sleeping.blue(), sleeping.red() + 60) << theme;
        EXPECT_GE(sleeping.hslHue(), 180) << theme;
        EXPECT_LE(sleeping.hslHue(), 220) << theme;
        const QColor lock = t.stateColor(ThreadState::Blocked, BlockReason::Lock);
        EXPECT_GE(lock.hslHue(), 15) << theme;
        EXPECT_LE(lock.hslHue(), 40) << theme;
        const QColor ready = t.stateColor(ThreadState::Ready);
        EXPECT_GE(ready.hslHue(), 30) << theme;
        EXPECT_LE(ready.hslHue(), 45) << theme;
        const QColor running = t.stateColor(ThreadState::Running);
        EXPECT_GE(running.hslHue(), 150) << theme;
        EXPECT_LE(running.hslHue(), 170) << theme;
        // Colours that share a lane's meaning family still differ at a glance (CIE76 >= 10).
        const auto all = meaningColours(t);
        for (size_t i = 0; i < 12; ++i)
            for (size_t j = 0; j < i; ++j) {
                if (all[i].second == all[j].second)
                    continue; // the same colour on purpose: lock and semaphore, queue and pipe
                EXPECT_GE(deltaE(all[i].second, all[j].second), 10.0)
                    << theme << ": " << all[i].first << " and " << all[j].first;
            }
    }
}
