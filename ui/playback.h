// SPDX-License-Identifier: MIT
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <cstdint>
#include <utility>
#include <vector>

namespace interleave::core {
class TraceModel;
}

namespace interleave::ui {

/// Where the playhead goes next, as plain functions of a model (no timers): unit-tested.
struct PlaybackMath
{
    /// The replay speeds offered, slowest first (1/1000 of real time shows a microsecond race).
    static const std::vector<double> &speeds();
    /// The next offered speed above / below `speed` (or `speed` itself at either end).
    static double faster(double speed);
    static double slower(double speed);
    /// The earliest event time strictly after `t`, or `t` if there is none.
    static int64_t nextEventTime(const core::TraceModel &model, int64_t t);
    /// The latest event time strictly before `t`, or `t` if there is none.
    static int64_t previousEventTime(const core::TraceModel &model, int64_t t);
    /// The time range a view shows after a step to `t`: centred on `t`, zoomed in just enough that
    /// the neighbouring steps (`previous` < t < `next`; equal to `t` when there is none) lie a
    /// visible distance away (at least 1/kStepSpan of the width), never zoomed out; unchanged when
    /// `t` is already well inside a range that close.
    static std::pair<int64_t, int64_t> revealRange(std::pair<int64_t, int64_t> visible, int64_t t, int64_t previous,
                                                   int64_t next);
    static constexpr int64_t kStepSpan = 40;
    /// The position after `wallNs` of real time at `speed`, clamped to [start, end].
    static int64_t advance(int64_t position, int64_t wallNs, double speed, int64_t start, int64_t end);
};

/// The playhead of the window: follows the end of a live run, replays a finished one at a chosen
/// speed, steps event by event and can be scrubbed. Views get its position through
/// positionChanged; the window maps Pause/Step during a live run onto the session.
class Playback : public QObject
{
    Q_OBJECT
public:
    enum class Mode
    {
        Live,
        Playing,
        Paused
    };

    explicit Playback(QObject *parent = nullptr);

    /// The model whose time range is played (not owned); nullptr stops everything.
    void setModel(const core::TraceModel *model);
    Mode mode() const { return m_mode; }
    int64_t position() const { return m_position; }
    double speed() const { return m_speed; }

    /// A run started: the playhead follows the end of the growing trace.
    void startLive();
    /// The model grew: in Live mode the playhead moves to its end.
    void modelGrew();
    /// The run ended: stay at the end, paused.
    void finishLive();

public Q_SLOTS:
    void play();
    void pause();
    void togglePlay();
    void stepForward();
    void stepBackward();
    void seek(int64_t time);
    void setSpeed(double speed);
    void faster() { setSpeed(PlaybackMath::faster(m_speed)); }
    void slower() { setSpeed(PlaybackMath::slower(m_speed)); }

Q_SIGNALS:
    void positionChanged(int64_t time);
    void modeChanged(interleave::ui::Playback::Mode mode);
    void speedChanged(double speed);

private:
    void setMode(Mode mode);
    void setPosition(int64_t time);
    void tick();

    const core::TraceModel *m_model = nullptr;
    Mode m_mode = Mode::Paused;
    int64_t m_position = 0;
    double m_speed = 1.0;
    QTimer m_timer;
    QElapsedTimer m_wall;
};

} // namespace interleave::ui
