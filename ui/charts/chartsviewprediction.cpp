// SPDX-License-Identifier: MIT
// ChartsView's "predict, then run" chart: per choice, the share of the class's hands beside the
// share of the runs that came out that way.
#include "ui/qcp.h"

#include "ui/charts/chartsview.h"

#include <algorithm>

namespace interleave::ui {

void ChartsView::buildPrediction()
{
    const Prediction &p = m_prediction;
    addTitle(p.question);
    QCPAxisRect *rect = addAxisRect(1);
    QCPAxis *x = rect->axis(QCPAxis::atBottom);
    QCPAxis *y = rect->axis(QCPAxis::atLeft);
    styleAxis(x, QString());
    styleAxis(y, tr("share (%)"));
    x->grid()->setVisible(false);
    auto *ticker = new QCPAxisTickerText;
    for (qsizetype i = 0; i < p.choices.size(); ++i)
        ticker->addTick(double(i + 1), p.choices[i]);
    x->setTicker(QSharedPointer<QCPAxisTicker>(ticker));
    x->setSubTicks(false);
    x->setTickLabelFont(theme().font(1.1, true));
    x->setRange(0.4, double(p.choices.size()) + 0.6);
    y->setRange(0, 118); // room for the counts over a bar of 100 %

    const int hands = p.totalHands();
    const int runs = p.totalRuns();
    QCPLegend *legend = addLegend(rect, Qt::AlignTop | Qt::AlignRight);
    // Left bar: the class's guess; right bar: what happened. Each is a share of its own total,
    // so 30 hands and 10 runs compare.
    const struct
    {
        const std::vector<int> &counts;
        int total;
        double offset;
        QString name;
        QString unit;
    } series[] = {{p.hands, hands, -0.19, tr("the class predicted (%1 hands)").arg(hands), tr("%1 hands")},
                  {p.runs, runs, 0.19, tr("the runs gave (%1 runs)").arg(runs), tr("%1 runs")}};
    for (int s = 0; s < 2; ++s) {
        const QColor color = seriesColor(s);
        auto *bars = new QCPBars(x, y);
        bars->setName(series[s].name);
        bars->setWidth(0.36);
        bars->setBrush(color);
        bars->setPen(QPen(color.darker(130), std::max<qreal>(1, theme().lineWidth / 2)));
        bars->addToLegend(legend);
        for (size_t i = 0; i < series[s].counts.size() && i < size_t(p.choices.size()); ++i) {
            const double key = double(i + 1) + series[s].offset;
            const int count = series[s].counts[i];
            const double share = series[s].total > 0 ? 100.0 * count / series[s].total : 0.0;
            bars->addData(key, share);
            if (count == 0)
                continue;
            auto *label = new QCPItemText(m_plot);
            label->setClipToAxisRect(false);
            label->position->setAxes(x, y);
            label->position->setCoords(key, share);
            label->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
            label->setText(series[s].unit.arg(count));
            label->setFont(theme().font(0.95, true));
            label->setColor(theme().foreground);
            label->setPadding(QMargins(0, 0, 0, 3));
        }
    }
}

} // namespace interleave::ui
