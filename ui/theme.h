// SPDX-License-Identifier: MIT
#pragma once

#include "trace/tracemodel.h"

#include <QBrush>
#include <QColor>
#include <QCoreApplication>
#include <QFont>
#include <QString>

#include <array>

namespace interleave::ui {

/// Colours, patterns, type sizes and line widths of every view. States differ by pattern as well
/// as by colour, and thread colours come from the Okabe-Ito palette, so the pictures stay readable
/// for colour-blind students and on a washed-out projector.
struct Theme
{
    Q_DECLARE_TR_FUNCTIONS(interleave::ui::Theme)
public:
    enum class Id
    {
        Light,
        Dark,
        Projector
    };

    Id id = Id::Light;
    QColor background;
    QColor foreground;        ///< text, axes
    QColor muted;             ///< secondary text, grid
    QColor laneAlternate;     ///< every other lane's background
    QColor playhead;          ///< solid line (playheadStyle)
    QColor deadlock;          ///< the deadlock cycle, deadlock instants; its time line is dashed (deadlockStyle)
    QColor hold;              ///< lock holds
    QColor wait;              ///< lock waits
    QColor flow;              ///< flow arrows
    qreal fontScale = 1.0;    ///< scales paddings, swatches and marks that go with the type
    int basePixelSize = 0;    ///< the views' type size in pixels; 0: the application font's
    int minimumPixelSize = 0; ///< no text of the views or the window is smaller, in pixels; 0: no floor
    int widgetPixelSize = 0;  ///< type size of the window's own widgets in pixels; 0: the desktop's
    qreal lineWidth = 1.0;    ///< pen width of outlines, arrows and edges, in device-independent pixels
    int laneHeight = 22;      ///< timeline / cores lane height, in device-independent pixels

    static constexpr Qt::PenStyle playheadStyle = Qt::SolidLine;
    static constexpr Qt::PenStyle deadlockStyle = Qt::DashLine;

    static const Theme &get(Id id);
    /// "light", "dark" or "projector"; nullptr for anything else.
    static const Theme *byName(const QString &name);
    static QString name(Id id);        ///< "light", ... (as on the command line)
    static QString displayName(Id id); ///< translated

    /// The font of this theme, `relative` times its base size (basePixelSize, or the application
    /// font's), never under minimumPixelSize. Sized in points, as the rest of the window is.
    QFont font(qreal relative = 1.0, bool bold = false) const;
    /// The font of the window's widgets in this theme, given the desktop's own: the desktop font
    /// itself, or (projector) the same family at widgetPixelSize.
    QFont widgetFont(const QFont &desktop) const;
    /// `font` resized to `pixels` pixels on the primary screen, in points (pointSizeF stays valid).
    static QFont withPixelSize(QFont font, qreal pixels);
    /// An identity colour by slot (index modulo identityCount()); never a state colour.
    QColor threadColor(uint32_t index) const;
    /// A thread's identity colour: the same for the same process and thread names in every run.
    QColor threadColor(const core::TraceModel &model, uint32_t thread) const;
    /// The identity slot of a thread (see threadColor(model, thread)).
    static int identitySlot(const core::TraceModel &model, uint32_t thread);
    static int identityCount();
    /// Fill colour of a thread state (blocked: by reason).
    QColor stateColor(core::ThreadState state, core::BlockReason reason = core::BlockReason::None) const;
    /// Fill pattern of a thread state (blocked: by reason), so states differ without colour too.
    Qt::BrushStyle statePattern(core::ThreadState state, core::BlockReason reason = core::BlockReason::None) const;
    /// Colour + pattern together, as a brush to fill a span.
    QBrush stateBrush(core::ThreadState state, core::BlockReason reason = core::BlockReason::None) const;
    /// Translated name of a state ("running", "blocked (lock)", ...), for legends and hover text.
    static QString stateLabel(core::ThreadState state, core::BlockReason reason = core::BlockReason::None);
};

} // namespace interleave::ui
