// SPDX-License-Identifier: MIT
#include "ui/playback.h"

#include "trace/modelqueries.h"
#include "trace/tracemodel.h"

#include <algorithm>
#include <cmath>

namespace interleave::ui {

const std::vector<double> &PlaybackMath::speeds()
{
    static const std::vector<double> speeds = {0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10};
    return speeds;
}

double PlaybackMath::faster(double speed)
{
    for (double s : speeds())
        if (s > speed * 1.0001)
            return s;
    return speeds().back();
}

double PlaybackMath::slower(double speed)
{
    const auto &all = speeds();
    for (auto it = all.rbegin(); it != all.rend(); ++it)
        if (*it < speed * 0.9999)
            return *it;
    return all.front();
}

int64_t PlaybackMath::nextEventTime(const core::TraceModel &model, int64_t t)
{
    return core::nextEventTime(model, t);
}

int64_t PlaybackMath::previousEventTime(const core::TraceModel &model, int64_t t)
{
    return core::previousEventTime(model, t);
}

std::pair<int64_t, int64_t> PlaybackMath::revealRange(std::pair<int64_t, int64_t> visible, int64_t t, int64_t previous,
                                                      int64_t next)
{
    auto [t0, t1] = visible;
    int64_t width = std::max<int64_t>(1, t1 - t0);
    int64_t gap = INT64_MAX;
    if (previous < t)
        gap = t - previous;
    if (next > t)
        gap = std::min(gap, next - t);
    if (gap != INT64_MAX && gap <= INT64_MAX / kStepSpan)
        width = std::min(width, std::max<int64_t>(gap * kStepSpan, kStepSpan));
    // Well inside (a tenth of the width from either edge) at a close enough zoom: leave it.
    if (width == t1 - t0 && t >= t0 + width / 10 && t <= t1 - width / 10)
        return visible;
    return {t - width / 2, t - width / 2 + width};
}

int64_t PlaybackMath::advance(int64_t position, int64_t wallNs, double speed, int64_t start, int64_t end)
{
    const double moved = std::llround(double(wallNs) * speed);
    const int64_t next = position + int64_t(moved);
    return std::clamp(next, start, std::max(start, end));
}

Playback::Playback(QObject *parent)
    : QObject(parent)
{
    m_timer.setInterval(16); // about one step per frame
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &Playback::tick);
}

void Playback::setModel(const core::TraceModel *model)
{
    m_model = model;
    m_timer.stop();
    setMode(Mode::Paused);
    setPosition(model ? model->endTime() : 0);
}

void Playback::startLive()
{
    m_timer.stop();
    setMode(Mode::Live);
    modelGrew();
}

void Playback::modelGrew()
{
    if (m_mode == Mode::Live && m_model)
        setPosition(m_model->endTime());
}

void Playback::finishLive()
{
    if (m_mode == Mode::Live) {
        modelGrew();
        setMode(Mode::Paused);
    }
}

void Playback::play()
{
    if (!m_model || m_mode == Mode::Live)
        return;
    // Play at the end starts over: what a student expects from a replay button.
    if (m_position >= m_model->endTime())
        setPosition(m_model->startTime());
    m_wall.start();
    m_timer.start();
    setMode(Mode::Playing);
}

void Playback::pause()
{
    m_timer.stop();
    setMode(Mode::Paused);
}

void Playback::togglePlay()
{
    if (m_mode == Mode::Playing)
        pause();
    else
        play();
}

void Playback::stepForward()
{
    if (!m_model || m_mode == Mode::Live)
        return;
    pause();
    setPosition(PlaybackMath::nextEventTime(*m_model, m_position));
}

void Playback::stepBackward()
{
    if (!m_model || m_mode == Mode::Live)
        return;
    pause();
    setPosition(PlaybackMath::previousEventTime(*m_model, m_position));
}

void Playback::seek(int64_t time)
{
    if (!m_model)
        return;
    if (m_mode == Mode::Live) // scrubbing a live run looks back; the window resumes following on Play
        setMode(Mode::Paused);
    setPosition(std::clamp(time, m_model->startTime(), std::max(m_model->startTime(), m_model->endTime())));
    if (m_mode == Mode::Playing)
        m_wall.restart();
}

void Playback::setSpeed(double speed)
{
    if (!(speed > 0) || speed == m_speed)
        return;
    m_speed = speed;
    Q_EMIT speedChanged(speed);
}

void Playback::setMode(Mode mode)
{
    if (mode == m_mode)
        return;
    m_mode = mode;
    Q_EMIT modeChanged(mode);
}

void Playback::setPosition(int64_t time)
{
    if (time == m_position)
        return;
    m_position = time;
    Q_EMIT positionChanged(time);
}

void Playback::tick()
{
    if (!m_model || m_mode != Mode::Playing) {
        m_timer.stop();
        return;
    }
    const int64_t wall = m_wall.nsecsElapsed();
    m_wall.restart();
    setPosition(PlaybackMath::advance(m_position, wall, m_speed, m_model->startTime(), m_model->endTime()));
    if (m_position >= m_model->endTime())
        pause();
}

} // namespace interleave::ui
