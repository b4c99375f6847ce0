// SPDX-License-Identifier: MIT
#pragma once

#include <QCoreApplication>
#include <QString>

#include <cstdint>
#include <utility>
#include <vector>

namespace interleave::ui {

/// Maps trace time (ns) onto the x pixels of a plot area and back: [t0, t1) onto [left, left + width).
/// A plain value, so zoom, pan and hit-testing are unit-tested without painting.
struct TimeMapping
{
    int64_t t0 = 0;
    int64_t t1 = 1;
    double left = 0;
    double width = 1;

    TimeMapping() = default;
    TimeMapping(int64_t from, int64_t to, double x, double w)
        : t0(from)
        , t1(to > from ? to : from + 1)
        , left(x)
        , width(w > 1e-9 ? w : 1e-9)
    {}

    double nsPerPixel() const { return double(t1 - t0) / width; }
    double toX(int64_t t) const { return left + double(t - t0) * width / double(t1 - t0); }
    /// The time under pixel x (rounded to the nearest ns).
    int64_t toTime(double x) const;

    /// [t0, t1) after zooming by `factor` (< 1 zooms in) so that the time under pixel x stays under
    /// it, kept inside [lo, hi] and at least `minSpan` long.
    std::pair<int64_t, int64_t> zoomed(double factor, double x, int64_t lo, int64_t hi, int64_t minSpan) const;
    /// [t0, t1) after moving the content `dx` pixels to the right (the view looks earlier), kept inside [lo, hi].
    std::pair<int64_t, int64_t> panned(double dx, int64_t lo, int64_t hi) const;
    /// [a, b) moved as a whole to lie inside [lo, hi] (shortened only if longer than hi - lo).
    static std::pair<int64_t, int64_t> clamped(int64_t a, int64_t b, int64_t lo, int64_t hi);
};

/// One labelled tick of a time axis.
struct TimeTick
{
    int64_t time = 0; ///< absolute trace time
    QString label;    ///< relative to the trace start: "0", "250 µs", "1.5 ms"
};

/// Human-readable times for axes and hover texts (ns, µs, ms, s relative to the trace start).
struct TimeFormat
{
    Q_DECLARE_TR_FUNCTIONS(interleave::ui::TimeFormat)
public:
    /// A 1-2-5 step in ns such that ticks are at least `minSpacing` pixels apart.
    static int64_t tickStep(const TimeMapping &map, double minSpacing);
    /// Ticks of `map`'s range at tickStep(), labelled relative to `origin`.
    static std::vector<TimeTick> ticks(const TimeMapping &map, int64_t origin, double minSpacing);
    /// `relative` ns in the unit that suits ticks `step` ns apart, with just enough decimals.
    static QString tickLabel(int64_t relative, int64_t step);
    /// A duration or a time with three significant digits: "850 ns", "12.3 µs", "1.50 s".
    static QString duration(int64_t ns);
};

} // namespace interleave::ui
