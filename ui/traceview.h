// SPDX-License-Identifier: MIT
#pragma once

#include "trace/tracemodel.h"
#include "ui/theme.h"

#include <QBrush>
#include <QJsonObject>
#include <QPen>
#include <QString>
#include <QWidget>

#include <cstdint>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

class QPainter;

namespace interleave::ui {

/// What the views know about a run besides its trace: for titles, legends and charts.
struct RunInfo
{
    QString scenario;     ///< scenario id; empty for a trace opened from a file
    QString title;        ///< translated scenario title, or the file name
    QJsonObject params;   ///< parameter values
    QJsonObject findings; ///< the scenario's findings (includes what run() noted)
    QString status;       ///< "finished", "deadlocked", ... (empty while running)
};

/// One entry of an exported image's legend.
struct LegendEntry
{
    QString label;
    QBrush brush;               ///< a filled swatch (Qt::NoBrush: a line only)
    QPen pen = QPen(Qt::NoPen); ///< a line swatch or the swatch's outline
};

/// Base of the window's views of a trace (timeline, cores, graph, charts, code, console).
/// A view shows a model it does not own, at a playhead time, in a theme; it never changes the model.
/// While a run goes on, the model grows and the window calls refresh() a few times a second.
class TraceView : public QWidget
{
    Q_OBJECT
public:
    explicit TraceView(QWidget *parent = nullptr);

    /// The model to show (it must outlive the view, or be replaced first); nullptr shows nothing.
    void setModel(const core::TraceModel *model);
    /// A view's first look at a finished trace (decoding millions of events) can take a second.
    /// A view that does such work gives it here as a function of the model alone, touching nothing
    /// of the view: the window runs it on the thread that opens a file, and hands what it made to
    /// setModel(model, prepared), which takes it instead of doing the work on the GUI thread.
    using Prepared = std::shared_ptr<void>;
    using Prepare = std::function<Prepared(const core::TraceModel &)>;
    virtual Prepare preparer() const { return {}; }
    void setModel(const core::TraceModel *model, Prepared prepared);
    const core::TraceModel *model() const { return m_model; }
    void setRunInfo(const RunInfo &info);
    const RunInfo &runInfo() const { return m_runInfo; }
    void setTheme(const Theme &theme);
    const Theme &theme() const { return *m_theme; }
    /// A thread's identity colour: by its process and thread names, the same in every run.
    QColor threadColor(uint32_t thread) const
    {
        return m_model ? m_theme->threadColor(*m_model, thread) : m_theme->threadColor(thread);
    }
    /// The time (ns, the trace's clock) the views show "now" at; follows the end during a live run.
    void setPlayhead(int64_t time);
    int64_t playhead() const { return m_playhead; }

    /// Translated name for tabs and image titles ("Timeline").
    virtual QString title() const = 0;
    /// Name on the command line: "timeline", "cores", "graph", "chart", "code" or "console".
    virtual QString viewName() const = 0;
    /// Entries for the legend of an exported image.
    virtual std::vector<LegendEntry> legend() const { return {}; }
    /// The time range shown; default: the whole trace.
    virtual std::pair<int64_t, int64_t> visibleRange() const;
    /// Shows [t0, t1) where the view has a time axis (an export copies the window's zoom).
    virtual void setVisibleRange(int64_t t0, int64_t t1);
    /// The playhead of an export that names none: the end of the trace, unless a view has a better moment.
    virtual int64_t exportPlayhead() const;
    /// Paints the content for an image export into a painter whose device is `size` large. The
    /// exporter has resized this widget to `size` first. Default: QWidget::render without background.
    virtual void renderContent(QPainter &painter, const QSize &size);

public Q_SLOTS:
    /// The model grew (a live run) or finished: update cheaply.
    virtual void refresh() = 0;

Q_SIGNALS:
    /// The user picked a time in this view (a click, a drag of the playhead).
    void seekRequested(int64_t time);

protected:
    /// The model was replaced (or cleared): drop caches and show it.
    /// During modelChanged() of setModel(model, prepared): what this view's preparer made for the
    /// model, else null. The view takes it (it is the view's own type behind the void).
    Prepared takePrepared() { return std::move(m_prepared); }
    virtual void modelChanged() {}
    virtual void playheadChanged() {}
    virtual void themeChanged() {}
    virtual void runInfoChanged() {}

private:
    const core::TraceModel *m_model = nullptr;
    Prepared m_prepared; ///< only while setModel(model, prepared) runs
    const Theme *m_theme = &Theme::get(Theme::Id::Light);
    RunInfo m_runInfo;
    int64_t m_playhead = 0;
};

} // namespace interleave::ui
