// SPDX-License-Identifier: MIT
#pragma once

#include "ui/traceview.h"

#include <QFontMetricsF>
#include <QTimer>
#include <QWidget>

#include <vector>

namespace interleave::ui {

struct Theme;

/// A view's legend laid out in rows of `width`: swatch, label, swatch, label, wrapping as needed.
/// Shared by image exports and the strip under the window's timeline, so both say the same.
class LegendLayout
{
public:
    LegendLayout(std::vector<LegendEntry> entries, const QFontMetricsF &metrics, qreal width);
    qreal height() const { return m_height; }
    /// Paints at `origin` (the top left of the first row) in `theme`, with the painter's font.
    void paint(QPainter &painter, const QPointF &origin, const Theme &theme) const;

private:
    std::vector<LegendEntry> m_entries;
    std::vector<QPointF> m_at;
    qreal m_lineHeight = 0;
    qreal m_swatch = 0;
    qreal m_height = 0;
};

/// The legend of a view, drawn as a strip (under the timeline in the window), in that view's theme.
/// A few times a second while shown, the strip checks whether the entries changed (new states in a
/// live run, another trace, theme or language) and follows.
class LegendStrip : public QWidget
{
    Q_OBJECT
public:
    explicit LegendStrip(TraceView *view, QWidget *parent = nullptr);
    /// The height that shows every row at `width`.
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    /// The view's entries may have changed (new states in a live run, a theme or a language).
    void refresh();

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    LegendLayout layout(int width) const;
    QString signature() const;
    void follow();
    TraceView *m_view;
    QTimer *m_timer;
    int m_height = -1;
    QString m_signature;
};

} // namespace interleave::ui
