// SPDX-License-Identifier: MIT
// The show of hands before "run N times".
#include "ui/predictdialog.h"

#include <QDialogButtonBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace interleave::ui {

PredictDialog::PredictDialog(const QString &question, const QStringList &choices, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("PredictDialog"));
    setWindowTitle(tr("Predict, Then Run"));
    auto *layout = new QVBoxLayout(this);
    auto *text = new QLabel(question, this);
    text->setObjectName(QStringLiteral("PredictQuestion"));
    text->setWordWrap(true);
    QFont big = text->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.2);
    text->setFont(big);
    layout->addWidget(text);
    layout->addWidget(new QLabel(tr("Ask the class, and count the hands for each answer:"), this));
    auto *grid = new QGridLayout;
    for (qsizetype i = 0; i < choices.size(); ++i) {
        const int row = int(i);
        grid->addWidget(new QLabel(choices[i], this), row, 0);
        auto *count = new QSpinBox(this);
        count->setObjectName(QStringLiteral("PredictHands%1").arg(row + 1));
        count->setRange(0, 999);
        count->setSuffix(tr(" hands"));
        grid->addWidget(count, row, 1);
        auto *plus = new QPushButton(tr("+1"), this);
        plus->setToolTip(tr("One more hand for this answer"));
        plus->setAutoDefault(false);
        connect(plus, &QPushButton::clicked, count, [count] { count->setValue(count->value() + 1); });
        grid->addWidget(plus, row, 2);
        m_hands.push_back(count);
    }
    layout->addLayout(grid);
    auto *runsRow = new QHBoxLayout;
    runsRow->addWidget(new QLabel(tr("Then run it"), this));
    m_runs = new QSpinBox(this);
    m_runs->setObjectName(QStringLiteral("PredictRuns"));
    m_runs->setRange(1, 1000);
    m_runs->setValue(10);
    m_runs->setSuffix(tr(" times"));
    runsRow->addWidget(m_runs);
    runsRow->addStretch(1);
    layout->addLayout(runsRow);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_go = buttons->addButton(tr("Run"), QDialogButtonBox::AcceptRole);
    m_go->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

std::vector<int> PredictDialog::hands() const
{
    std::vector<int> counts;
    for (const QSpinBox *count : m_hands)
        counts.push_back(count->value());
    return counts;
}

void PredictDialog::setHands(int choice, int count)
{
    if (choice >= 0 && size_t(choice) < m_hands.size())
        m_hands[size_t(choice)]->setValue(count);
}

int PredictDialog::runs() const
{
    return m_runs->value();
}

void PredictDialog::setRuns(int runs)
{
    m_runs->setValue(runs);
}

} // namespace interleave::ui
