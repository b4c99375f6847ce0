// SPDX-License-Identifier: MIT
#pragma once

#include "ui/console/consolemodel.h"
#include "ui/traceview.h"

#include <QFont>
#include <QFontMetricsF>

class QLabel;
class QListView;

namespace interleave::ui {

/// Where the columns of a console row go: time, "pid thread" tag, stream, text. A plain struct
/// shared by the list's delegate and the exported image.
struct ConsoleLayout
{
    qreal rowHeight = 0;
    qreal timeLeft = 0, timeWidth = 0;
    qreal tagLeft = 0, tagWidth = 0;
    qreal streamLeft = 0, streamWidth = 0;
    qreal textLeft = 0;

    static ConsoleLayout compute(const QFontMetricsF &metrics);
    /// The first row of a window of `fit` rows over `count` that shows the playhead's last row
    /// (`atPlayhead` rows printed by then) and up to `after` dimmed rows below it.
    static int firstRow(int count, int fit, int atPlayhead, int after = 2);
};

/// The console: what the scenario's processes printed, each line tagged with the pid and thread
/// that printed it in the thread's colour, stderr marked, lines printed after the playhead
/// dimmed. Dimmed rather than hidden: the lines stay where they are while the playhead is
/// dragged (nothing jumps), a class can read what comes next, and a line at the playhead marks "now".
class ConsoleView : public TraceView
{
    Q_OBJECT
public:
    explicit ConsoleView(QWidget *parent = nullptr);
    ~ConsoleView() override;

    QString title() const override;
    QString viewName() const override { return QStringLiteral("console"); }
    std::vector<LegendEntry> legend() const override;
    /// The rows around the playhead, drawn as vector text.
    void renderContent(QPainter &painter, const QSize &size) override;

    ConsoleModel *consoleModel() const { return m_lines; }
    QListView *list() const { return m_list; }
    /// The monospace font rows are drawn in (the theme's size).
    QFont rowFont() const;
    /// "(paused 2.1 s before this line)": beside every line printed after a pause.
    static QString pauseNote(int64_t pausedNs);
    /// Paints one row: what the list's delegate and the exporter both draw.
    void paintRow(QPainter &painter, const QRectF &rect, const ConsoleLine &line, const ConsoleLayout &layout,
                  bool dimmed, bool firstAfterPlayhead) const;

public Q_SLOTS:
    void refresh() override;

protected:
    void modelChanged() override;
    void playheadChanged() override;
    void themeChanged() override;
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void sync();
    void retranslate();
    void updateEmpty();

    ConsoleModel *m_lines = nullptr;
    QListView *m_list = nullptr;
    QLabel *m_empty = nullptr;
    bool m_dirty = true;
};

} // namespace interleave::ui
