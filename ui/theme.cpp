// SPDX-License-Identifier: MIT
#include "ui/theme.h"

#include <QFontInfo>
#include <QGuiApplication>
#include <QScreen>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

namespace interleave::ui {

using core::BlockReason;
using core::ThreadState;

namespace {

// Thread identity colours. The state colours are Okabe & Ito's palette; a thread's own colour must
// never read as a state (a green thread is not "running"), so these keep a CIE76 distance of at
// least 30 from every state, lock, deadlock and playhead colour of every theme (tests/ui/theme_test.cpp
// measures it) and of 30 from each other.
constexpr std::array<QRgb, 10> kIdentity = {0xffbfef45, 0xfff032e6, 0xff000075, 0xff661100, 0xffb8e186,
                                            0xff808000, 0xff9e0142, 0xff4363d8, 0xffffe119, 0xffdcbeff};

Theme makeLight()
{
    Theme t;
    t.id = Theme::Id::Light;
    t.background = QColor(0xff, 0xff, 0xff);
    t.foreground = QColor(0x20, 0x20, 0x20);
    t.muted = QColor(0x80, 0x80, 0x80);
    t.laneAlternate = QColor(0xf3, 0xf4, 0xf6);
    // The playhead is ink-dark and solid, the deadlock mark red and dashed: they never look alike.
    t.playhead = QColor(0x10, 0x10, 0x10);
    t.deadlock = QColor(0xd5, 0x00, 0x00);
    t.hold = QColor(0x00, 0x72, 0xb2);
    t.wait = QColor(0xd5, 0x5e, 0x00);
    t.flow = QColor(0x30, 0x30, 0x30);
    return t;
}

Theme makeDark()
{
    Theme t = makeLight();
    t.id = Theme::Id::Dark;
    t.background = QColor(0x1e, 0x1f, 0x22);
    t.foreground = QColor(0xe8, 0xe8, 0xe8);
    t.muted = QColor(0x9a, 0x9a, 0x9a);
    t.laneAlternate = QColor(0x2a, 0x2b, 0x2f);
    t.playhead = QColor(0xf5, 0xf5, 0xf5);
    t.deadlock = QColor(0xff, 0x40, 0x40);
    t.hold = QColor(0x56, 0xb4, 0xe9);
    t.wait = QColor(0xe6, 0x9f, 0x00);
    t.flow = QColor(0xe0, 0xe0, 0xe0);
    return t;
}

// A projector washes out light tints and thin lines: pure white, black text, big type, thick lines.
// Type is at least 20 px (15 pt at 96 dpi) everywhere, readable from the back row of a hall at
// 1920x1080; the views' base is a little larger, so their smaller texts stay at 20 px or more.
Theme makeProjector()
{
    Theme t = makeLight();
    t.id = Theme::Id::Projector;
    t.foreground = QColor(0, 0, 0);
    t.muted = QColor(0x50, 0x50, 0x50);
    t.laneAlternate = QColor(0xe8, 0xea, 0xee);
    t.flow = QColor(0, 0, 0);
    t.fontScale = 1.6;
    t.basePixelSize = 24;
    t.minimumPixelSize = 20;
    t.widgetPixelSize = 22;
    t.lineWidth = 2.5;
    t.laneHeight = 38;
    return t;
}

} // namespace

const Theme &Theme::get(Id id)
{
    static const Theme light = makeLight();
    static const Theme dark = makeDark();
    static const Theme projector = makeProjector();
    switch (id) {
    case Id::Dark:
        return dark;
    case Id::Projector:
        return projector;
    case Id::Light:
        break;
    }
    return light;
}

const Theme *Theme::byName(const QString &name)
{
    for (Id id : {Id::Light, Id::Dark, Id::Projector})
        if (name == Theme::name(id))
            return &get(id);
    return nullptr;
}

QString Theme::name(Id id)
{
    switch (id) {
    case Id::Dark:
        return QStringLiteral("dark");
    case Id::Projector:
        return QStringLiteral("projector");
    case Id::Light:
        break;
    }
    return QStringLiteral("light");
}

QString Theme::displayName(Id id)
{
    switch (id) {
    case Id::Dark:
        return tr("Dark");
    case Id::Projector:
        return tr("Projector");
    case Id::Light:
        break;
    }
    return tr("Light");
}

QFont Theme::font(qreal relative, bool bold) const
{
    QFont f = QGuiApplication::font();
    if (basePixelSize > 0)
        f = withPixelSize(f, std::max<qreal>(minimumPixelSize, basePixelSize * relative));
    else if (f.pixelSize() > 0)
        f = withPixelSize(f, std::max<qreal>(minimumPixelSize, f.pixelSize() * relative));
    else
        f.setPointSizeF((f.pointSizeF() > 0 ? f.pointSizeF() : 10.0) * relative);
    f.setBold(bold);
    return f;
}

QFont Theme::widgetFont(const QFont &desktop) const
{
    if (widgetPixelSize <= 0 || QFontInfo(desktop).pixelSize() >= widgetPixelSize)
        return desktop;
    return withPixelSize(desktop, widgetPixelSize);
}

QFont Theme::withPixelSize(QFont font, qreal pixels)
{
    const QScreen *screen = QGuiApplication::primaryScreen();
    const qreal dpi = screen && screen->logicalDotsPerInchY() > 0 ? screen->logicalDotsPerInchY() : 96.0;
    font.setPointSizeF(pixels * 72.0 / dpi);
    return font;
}

QColor Theme::threadColor(uint32_t index) const
{
    return QColor::fromRgb(kIdentity[index % kIdentity.size()]);
}

int Theme::identityCount()
{
    return int(kIdentity.size());
}

QColor Theme::threadColor(const core::TraceModel &model, uint32_t thread) const
{
    return threadColor(uint32_t(identitySlot(model, thread)));
}

int Theme::identitySlot(const core::TraceModel &model, uint32_t thread)
{
    // Slots by a hash of "process name/thread name", not by the order threads arrived in, so the
    // same scenario's threads keep their colours from run to run. Two names on one slot: the one
    // that sorts first keeps it, the other takes the next free one (same set, same answer).
    struct Cache
    {
        const core::TraceModel *model = nullptr;
        size_t threads = 0;
        size_t events = 0; // names arrive after threads; another run may reuse the same model object
        std::vector<int> slotOf;
    };
    static thread_local Cache cache;
    const size_t n = model.threadCount();
    if (thread >= n)
        return int(thread % kIdentity.size());
    if (cache.model != &model || cache.threads != n || cache.events != model.ingestedEvents()) {
        // Named threads first: an unnamed one's "pid/tid" differs from run to run, and were it to
        // sort among them it could take a named thread's slot. The recorder's own take none.
        std::vector<std::tuple<bool, std::string, uint32_t>> keys;
        keys.reserve(n);
        for (uint32_t t = 0; t < n; ++t) {
            const core::ThreadRecord &record = model.thread(t);
            if (record.recorder)
                continue;
            const core::ProcessInfo *p = model.process(record.pid);
            keys.emplace_back(record.name == 0, (p ? p->name : std::string()) + '/' + model.threadName(t), t);
        }
        std::sort(keys.begin(), keys.end(), [](const auto &a, const auto &b) {
            const bool unnamedA = std::get<0>(a), unnamedB = std::get<0>(b);
            if (unnamedA != unnamedB)
                return unnamedB;
            return unnamedA ? std::get<2>(a) < std::get<2>(b) : std::get<1>(a) < std::get<1>(b);
        });
        cache.model = &model;
        cache.threads = n;
        cache.events = model.ingestedEvents();
        cache.slotOf.assign(n, 0);
        std::vector<int> taken(kIdentity.size(), 0);
        for (const auto &[unnamed, key, t] : keys) {
            // FNV-1a: stable across runs and builds, unlike std::hash.
            uint32_t h = 2166136261u;
            for (unsigned char c : key)
                h = (h ^ c) * 16777619u;
            size_t slot = h % kIdentity.size();
            // Only when every slot is used as often as this one do two threads share a colour.
            const int least = *std::min_element(taken.begin(), taken.end());
            while (taken[slot] > least)
                slot = (slot + 1) % kIdentity.size();
            ++taken[slot];
            cache.slotOf[t] = int(slot);
        }
    }
    return cache.slotOf[thread];
}

QColor Theme::stateColor(ThreadState state, BlockReason reason) const
{
    // Okabe & Ito's hues, each at least 3:1 (WCAG) against both lane backgrounds of its theme, so a
    // thin hatch line still shows: darker on the white themes, lighter on the dark one.
    const bool dark = id == Id::Dark;
    switch (state) {
    case ThreadState::Running:
        return dark ? QColor(0x00, 0x9e, 0x73) : QColor(0x00, 0x80, 0x60); // bluish green
    case ThreadState::Ready:
        return dark ? QColor(0xe6, 0x9f, 0x00) : QColor(0xb8, 0x70, 0x00); // orange
    case ThreadState::Sleeping:
        return dark ? QColor(0x56, 0xb4, 0xe9) : QColor(0x16, 0x85, 0xa8); // sky blue
    case ThreadState::Blocked:
        switch (reason) {
        case BlockReason::Lock:
        case BlockReason::Semaphore:
            return QColor(0xd5, 0x5e, 0x00); // vermillion
        case BlockReason::Queue:
        case BlockReason::Pipe:
            return dark ? QColor(0xcc, 0x79, 0xa7) : QColor(0xbb, 0x67, 0x85); // reddish purple
        case BlockReason::Join:
            return dark ? QColor(0x4f, 0x9d, 0xe0) : QColor(0x00, 0x50, 0x8c); // blue
        case BlockReason::Io:
            return dark ? QColor(0x6a, 0x8a, 0xa8) : QColor(0x5a, 0x78, 0x96);
        case BlockReason::CondVar:
            return dark ? QColor(0xc8, 0x60, 0xc8) : QColor(0xa0, 0x50, 0x90);
        case BlockReason::Held:
            // Grey, as the pause band: held by the teacher, not by the program.
            return dark ? QColor(0xa8, 0xa8, 0xa8) : QColor(0x4d, 0x4d, 0x4d);
        case BlockReason::None:
            break;
        }
        return QColor(0xd5, 0x5e, 0x00);
    case ThreadState::Exited:
        return dark ? QColor(0x7a, 0x7a, 0x7a) : QColor(0x82, 0x82, 0x82);
    case ThreadState::None:
        break;
    }
    return Qt::transparent;
}

Qt::BrushStyle Theme::statePattern(ThreadState state, BlockReason reason) const
{
    switch (state) {
    case ThreadState::Running:
        return Qt::SolidPattern;
    case ThreadState::Ready:
        return Qt::Dense4Pattern;
    case ThreadState::Blocked:
        // Each reason its own hatch, so two waits never look alike without colour either.
        switch (reason) {
        case BlockReason::Join:
            return Qt::CrossPattern;
        case BlockReason::Io:
            return Qt::FDiagPattern;
        case BlockReason::Queue:
            return Qt::DiagCrossPattern;
        case BlockReason::Pipe:
            return Qt::VerPattern;
        case BlockReason::CondVar:
            return Qt::Dense5Pattern;
        case BlockReason::Semaphore:
            return Qt::Dense3Pattern;
        case BlockReason::Held:
            return Qt::Dense7Pattern;
        case BlockReason::Lock:
        case BlockReason::None:
            break;
        }
        return Qt::BDiagPattern;
    case ThreadState::Sleeping:
        return Qt::HorPattern;
    case ThreadState::Exited:
        return Qt::Dense6Pattern;
    case ThreadState::None:
        break;
    }
    return Qt::NoBrush;
}

QBrush Theme::stateBrush(ThreadState state, BlockReason reason) const
{
    return QBrush(stateColor(state, reason), statePattern(state, reason));
}

QString Theme::stateLabel(ThreadState state, BlockReason reason)
{
    switch (state) {
    case ThreadState::Running:
        return tr("running");
    case ThreadState::Ready:
        return tr("ready (waiting for a core)");
    case ThreadState::Sleeping:
        return tr("sleeping");
    case ThreadState::Exited:
        return tr("exited");
    case ThreadState::Blocked:
        switch (reason) {
        case BlockReason::Lock:
            return tr("blocked on a lock");
        case BlockReason::Join:
            return tr("blocked in join");
        case BlockReason::Queue:
            return tr("blocked on a queue");
        case BlockReason::Pipe:
            return tr("blocked on a pipe");
        case BlockReason::Io:
            return tr("blocked in IO");
        case BlockReason::CondVar:
            return tr("blocked on a condition");
        case BlockReason::Semaphore:
            return tr("blocked on a semaphore");
        case BlockReason::Held:
            return tr("held by Pause");
        case BlockReason::None:
            break;
        }
        return tr("blocked");
    case ThreadState::None:
        break;
    }
    return tr("not started");
}

} // namespace interleave::ui
