// SPDX-License-Identifier: MIT
// The "be the scheduler" panel: who is held, what each does next, who goes next.
#include "ui/schedulerpanel.h"

#include "run/challenge.h"

#include <QComboBox>
#include <QEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include <algorithm>

namespace interleave::ui {

namespace {

/// "race.cpp:21" of "core/scenarios/lessons/race.cpp:21"; a traced program's site as it is.
QString shortSite(const std::string &site)
{
    const QString text = QString::fromStdString(site);
    return text.contains(QLatin1Char('/')) ? QFileInfo(text).fileName() : text;
}

} // namespace

SchedulerPanel::SchedulerPanel(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("SchedulerPanel"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    auto *row = new QHBoxLayout;
    m_challenges = new QComboBox(this);
    m_challenges->setObjectName(QStringLiteral("SchedulerChallenges"));
    m_start = new QPushButton(this);
    m_start->setObjectName(QStringLiteral("SchedulerStart"));
    row->addWidget(m_challenges, 1);
    row->addWidget(m_start);
    layout->addLayout(row);
    m_goal = new QLabel(this);
    m_goal->setWordWrap(true);
    layout->addWidget(m_goal);
    m_threadsTitle = new QLabel(this);
    layout->addWidget(m_threadsTitle);
    m_buttonBox = new QVBoxLayout;
    layout->addLayout(m_buttonBox);
    m_steps = new QLabel(this);
    m_steps->setObjectName(QStringLiteral("SchedulerSteps"));
    m_steps->setWordWrap(true);
    m_steps->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_steps);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("SchedulerStatus"));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    auto *actions = new QHBoxLayout;
    m_replay = new QPushButton(this);
    m_replay->setObjectName(QStringLiteral("SchedulerReplay"));
    m_save = new QPushButton(this);
    m_save->setObjectName(QStringLiteral("SchedulerSave"));
    actions->addWidget(m_replay);
    actions->addWidget(m_save);
    actions->addStretch(1);
    layout->addLayout(actions);
    layout->addStretch(1);
    connect(m_start, &QPushButton::clicked, this, [this] {
        if (!chosenChallenge().isEmpty())
            Q_EMIT startChallenge(chosenChallenge());
    });
    connect(m_challenges, &QComboBox::currentIndexChanged, this, &SchedulerPanel::showGoal);
    connect(m_replay, &QPushButton::clicked, this, &SchedulerPanel::replaySchedule);
    connect(m_save, &QPushButton::clicked, this, &SchedulerPanel::saveSchedule);
    retranslate();
}

void SchedulerPanel::setScenario(const QString &id)
{
    if (id == m_scenario)
        return;
    m_scenario = id;
    retranslate();
}

QString SchedulerPanel::chosenChallenge() const
{
    return m_challenges->currentData().toString();
}

void SchedulerPanel::setHolds(const std::vector<core::ThreadHold> &holds, bool live)
{
    std::vector<core::ThreadHold> held;
    for (const core::ThreadHold &hold : holds)
        if (hold.held && hold.thread != core::kNoEvent)
            held.push_back(hold);
    auto same = [](const core::ThreadHold &a, const core::ThreadHold &b) {
        return a.thread == b.thread && a.next == b.next && a.object == b.object && a.site == b.site;
    };
    const bool unchanged =
        live == m_live && held.size() == m_holds.size() && std::equal(held.begin(), held.end(), m_holds.begin(), same);
    if (unchanged)
        return;
    m_holds = std::move(held);
    m_live = live;
    rebuildButtons();
    showGoal();
}

uint32_t SchedulerPanel::heldThread(int n) const
{
    return n >= 0 && size_t(n) < m_holds.size() ? m_holds[size_t(n)].thread : core::kNoEvent;
}

void SchedulerPanel::rebuildButtons()
{
    // Later, not now: the button clicked may be the one whose step brought these holds.
    for (QPushButton *button : m_buttons) {
        button->hide();
        button->deleteLater();
    }
    m_buttons.clear();
    for (size_t i = 0; i < m_holds.size(); ++i) {
        const core::ThreadHold &hold = m_holds[i];
        QString text = tr("%1  %2: next %3")
                           .arg(i < 9 ? QString::number(i + 1) : QStringLiteral(" "), QString::fromStdString(hold.name),
                                QString::fromStdString(hold.nextStep()));
        if (!hold.site.empty())
            text += QStringLiteral("  (") + shortSite(hold.site) + QLatin1Char(')');
        auto *button = new QPushButton(text, this);
        button->setObjectName(QStringLiteral("SchedulerThread%1").arg(i + 1));
        button->setStyleSheet(QStringLiteral("text-align: left; padding: 4px 8px;"));
        button->setToolTip(
            tr("Let %1 make exactly this one step; the others stay held").arg(QString::fromStdString(hold.name)));
        const uint32_t thread = hold.thread;
        connect(button, &QPushButton::clicked, this, [this, thread] { Q_EMIT stepThread(thread); });
        m_buttonBox->addWidget(button);
        m_buttons.push_back(button);
    }
}

void SchedulerPanel::setProgress(const QString &challengeId, const QStringList &schedule, bool met, bool ended)
{
    if (challengeId == m_challengeId && schedule == m_schedule && met == m_met && ended == m_ended)
        return;
    m_challengeId = challengeId;
    m_schedule = schedule;
    m_met = met;
    m_ended = ended;
    showGoal();
}

QString SchedulerPanel::statusText() const
{
    return m_status->text();
}

void SchedulerPanel::showGoal()
{
    const core::Challenge *chosen = core::findChallenge(chosenChallenge());
    const core::Challenge *running = core::findChallenge(m_challengeId);
    m_goal->setText(
        chosen ? QStringLiteral("<b>%1</b><br>%2").arg(chosen->title().toHtmlEscaped(), chosen->task().toHtmlEscaped())
               : QString());
    m_goal->setVisible(chosen != nullptr);
    m_threadsTitle->setText(m_holds.empty() ? QString() : tr("Who goes next? Click a thread or press its number:"));
    m_steps->setText(m_schedule.isEmpty() ? QString()
                                          : tr("Your schedule (%n step(s)): %1", nullptr, int(m_schedule.size()))
                                                .arg(m_schedule.join(QStringLiteral(", "))));
    QString status;
    if (running && m_met)
        status =
            tr("Done in %n step(s)! The trace shows it: %1.", nullptr, int(m_schedule.size())).arg(running->title());
    else if (running && m_ended)
        status = tr("The run ended without that. Start again, or replay your schedule to watch it.");
    else if (running && m_live)
        status = tr("Goal: %1").arg(running->title());
    else if (!m_live && m_challenges->count() > 0)
        status = tr("Choose a challenge and press Start: its threads wait for you at every step.");
    else if (!m_live || m_holds.empty())
        status = tr("Pause a run (Space): every thread waits at its next step, and you choose who goes next.");
    m_status->setText(status);
    m_status->setStyleSheet(running && m_met ? QStringLiteral("font-weight: bold; color: #1a7f37;") : QString());
    m_replay->setEnabled(!m_schedule.isEmpty() && running != nullptr);
    m_save->setEnabled(!m_schedule.isEmpty());
    m_start->setEnabled(chosen != nullptr);
}

void SchedulerPanel::retranslate()
{
    const QString chosen = chosenChallenge();
    {
        const QSignalBlocker blocker(m_challenges);
        m_challenges->clear();
        for (const core::Challenge &challenge : core::challengesFor(m_scenario))
            m_challenges->addItem(challenge.title(), challenge.id);
        const int index = m_challenges->findData(chosen);
        m_challenges->setCurrentIndex(index >= 0 ? index : 0);
    }
    m_challenges->setVisible(m_challenges->count() > 0);
    m_start->setVisible(m_challenges->count() > 0);
    m_start->setText(tr("Start"));
    m_start->setToolTip(tr("Run the scenario with the challenge's threads held at every step"));
    m_replay->setText(tr("Replay My Schedule"));
    m_replay->setToolTip(tr("Run it again and let the same threads take the same steps, one by one"));
    m_save->setText(tr("Save Schedule..."));
    m_save->setToolTip(tr("A file for interleave run ID --schedule-file FILE"));
    rebuildButtons();
    showGoal();
}

void SchedulerPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

} // namespace interleave::ui
