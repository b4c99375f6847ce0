// SPDX-License-Identifier: MIT
#include "ui/timeline/timemapping.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace interleave::ui {

int64_t TimeMapping::toTime(double x) const
{
    return t0 + int64_t(std::llround((x - left) * double(t1 - t0) / width));
}

std::pair<int64_t, int64_t> TimeMapping::clamped(int64_t a, int64_t b, int64_t lo, int64_t hi)
{
    if (hi <= lo)
        return {lo, lo + 1};
    if (b - a > hi - lo)
        return {lo, hi};
    if (a < lo) {
        b += lo - a;
        a = lo;
    }
    if (b > hi) {
        a -= b - hi;
        b = hi;
    }
    return {a, b};
}

std::pair<int64_t, int64_t> TimeMapping::zoomed(double factor, double x, int64_t lo, int64_t hi, int64_t minSpan) const
{
    const double span = double(t1 - t0);
    double next = span * factor;
    next = std::clamp(next, double(std::max<int64_t>(1, minSpan)), double(std::max<int64_t>(1, hi - lo)));
    const double anchorFraction = std::clamp((x - left) / width, 0.0, 1.0);
    const double anchor = double(t0) + anchorFraction * span;
    const auto a = int64_t(std::llround(anchor - anchorFraction * next));
    return clamped(a, a + int64_t(std::llround(next)), lo, hi);
}

std::pair<int64_t, int64_t> TimeMapping::panned(double dx, int64_t lo, int64_t hi) const
{
    const auto dt = int64_t(std::llround(dx * nsPerPixel()));
    return clamped(t0 - dt, t1 - dt, lo, hi);
}

int64_t TimeFormat::tickStep(const TimeMapping &map, double minSpacing)
{
    const double wanted = std::max(1.0, map.nsPerPixel() * std::max(1.0, minSpacing));
    int64_t decade = 1;
    while (double(decade) * 10 <= wanted && decade < INT64_MAX / 100)
        decade *= 10;
    for (int64_t m : {1, 2, 5, 10})
        if (double(decade * m) >= wanted)
            return decade * m;
    return decade * 10;
}

std::vector<TimeTick> TimeFormat::ticks(const TimeMapping &map, int64_t origin, double minSpacing)
{
    std::vector<TimeTick> out;
    const int64_t step = tickStep(map, minSpacing);
    // The first multiple of `step` (relative to the origin) at or after t0.
    const int64_t rel0 = map.t0 - origin;
    int64_t k = rel0 >= 0 ? (rel0 + step - 1) / step : -((-rel0) / step);
    for (int64_t rel = k * step; origin + rel <= map.t1 && out.size() < 1000; rel += step)
        out.push_back({origin + rel, tickLabel(rel, step)});
    return out;
}

namespace {

struct Unit
{
    int64_t ns;
    int which; // 0 ns, 1 µs, 2 ms, 3 s
};

QString withUnit(const QString &number, int which)
{
    switch (which) {
    case 3:
        return TimeFormat::tr("%1 s").arg(number);
    case 2:
        return TimeFormat::tr("%1 ms").arg(number);
    case 1:
        return TimeFormat::tr("%1 µs").arg(number);
    default:
        break;
    }
    return TimeFormat::tr("%1 ns").arg(number);
}

} // namespace

QString TimeFormat::tickLabel(int64_t relative, int64_t step)
{
    if (relative == 0)
        return QStringLiteral("0");
    // The largest unit no more than ten steps long: labels stay short ("1.2 ms", not "1200 µs").
    Unit unit{1, 0};
    for (Unit u : {Unit{1'000'000'000, 3}, Unit{1'000'000, 2}, Unit{1'000, 1}}) {
        if (u.ns <= step * 10) {
            unit = u;
            break;
        }
    }
    const int decimals = step % unit.ns == 0 ? 0 : 1;
    return withUnit(QString::number(double(relative) / double(unit.ns), 'f', decimals), unit.which);
}

QString TimeFormat::duration(int64_t ns)
{
    const int64_t a = std::llabs(ns);
    Unit unit{1, 0};
    if (a >= 1'000'000'000)
        unit = {1'000'000'000, 3};
    else if (a >= 1'000'000)
        unit = {1'000'000, 2};
    else if (a >= 1'000)
        unit = {1'000, 1};
    if (unit.ns == 1)
        return withUnit(QString::number(ns), 0);
    const double v = double(ns) / double(unit.ns);
    const double av = std::fabs(v);
    const int decimals = av >= 100 ? 0 : av >= 10 ? 1 : 2;
    return withUnit(QString::number(v, 'f', decimals), unit.which);
}

} // namespace interleave::ui
