// SPDX-License-Identifier: MIT
#include "ui/theme.h"

#include <QGuiApplication>

namespace interleave::ui {

using core::BlockReason;
using core::ThreadState;

namespace {

// Okabe & Ito's palette, distinguishable with every common form of colour blindness.
constexpr std::array<QRgb, 7> kOkabeIto = {0xff0072b2, 0xffe69f00, 0xff009e73, 0xffcc79a7,
                                           0xff56b4e9, 0xffd55e00, 0xfff0e442};

Theme makeLight()
{
    Theme t;
    t.id = Theme::Id::Light;
    t.background = QColor(0xff, 0xff, 0xff);
    t.foreground = QColor(0x20, 0x20, 0x20);
    t.muted = QColor(0x80, 0x80, 0x80);
    t.laneAlternate = QColor(0xf3, 0xf4, 0xf6);
    t.playhead = QColor(0xd0, 0x10, 0x10);
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
    t.playhead = QColor(0xff, 0x55, 0x55);
    t.deadlock = QColor(0xff, 0x40, 0x40);
    t.hold = QColor(0x56, 0xb4, 0xe9);
    t.wait = QColor(0xe6, 0x9f, 0x00);
    t.flow = QColor(0xe0, 0xe0, 0xe0);
    return t;
}

// A projector washes out light tints and thin lines: pure white, black text, big type, thick lines.
Theme makeProjector()
{
    Theme t = makeLight();
    t.id = Theme::Id::Projector;
    t.foreground = QColor(0, 0, 0);
    t.muted = QColor(0x50, 0x50, 0x50);
    t.laneAlternate = QColor(0xe8, 0xea, 0xee);
    t.flow = QColor(0, 0, 0);
    t.fontScale = 1.6;
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
    const qreal base = f.pointSizeF() > 0 ? f.pointSizeF() : 10.0;
    f.setPointSizeF(base * fontScale * relative);
    f.setBold(bold);
    return f;
}

QColor Theme::threadColor(uint32_t index) const
{
    QColor c = QColor::fromRgb(kOkabeIto[index % kOkabeIto.size()]);
    // Past the palette, vary lightness so neighbours still differ.
    const uint32_t round = uint32_t(index / kOkabeIto.size()) % 3;
    if (round == 1)
        c = c.darker(135);
    else if (round == 2)
        c = c.lighter(125);
    return c;
}

QColor Theme::stateColor(ThreadState state, BlockReason reason) const
{
    switch (state) {
    case ThreadState::Running:
        return QColor(0x00, 0x9e, 0x73); // bluish green
    case ThreadState::Ready:
        return QColor(0xe6, 0x9f, 0x00); // orange
    case ThreadState::Sleeping:
        return QColor(0x56, 0xb4, 0xe9); // sky blue
    case ThreadState::Blocked:
        switch (reason) {
        case BlockReason::Lock:
        case BlockReason::Semaphore:
            return QColor(0xd5, 0x5e, 0x00); // vermillion
        case BlockReason::Queue:
        case BlockReason::Pipe:
            return QColor(0xcc, 0x79, 0xa7); // reddish purple
        case BlockReason::Join:
            return QColor(0x00, 0x72, 0xb2); // blue
        case BlockReason::Io:
            return QColor(0x6a, 0x8a, 0xa8);
        case BlockReason::CondVar:
            return QColor(0xa0, 0x50, 0x90);
        case BlockReason::None:
            break;
        }
        return QColor(0xd5, 0x5e, 0x00);
    case ThreadState::Exited:
        return id == Id::Dark ? QColor(0x55, 0x55, 0x55) : QColor(0xbb, 0xbb, 0xbb);
    case ThreadState::None:
        break;
    }
    return Qt::transparent;
}

Qt::BrushStyle Theme::statePattern(ThreadState state) const
{
    switch (state) {
    case ThreadState::Running:
        return Qt::SolidPattern;
    case ThreadState::Ready:
        return Qt::Dense4Pattern;
    case ThreadState::Blocked:
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
    return QBrush(stateColor(state, reason), statePattern(state));
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
