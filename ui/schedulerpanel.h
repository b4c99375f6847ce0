// SPDX-License-Identifier: MIT
#pragma once

#include "run/session.h"

#include <QStringList>
#include <QWidget>

#include <vector>

class QComboBox;
class QLabel;
class QPushButton;
class QVBoxLayout;

namespace interleave::ui {

/// "Be the scheduler": in a paused live run (or a challenge's, whose threads are held at every
/// step), a button per held thread saying what it does next; the class chooses who goes next
/// (a click, or keys 1-9) and exactly that thread makes exactly one step. Above, the challenges
/// of the scenario with their goal; below, the steps taken, the success when the trace shows the
/// goal reached, and the buttons that replay or save the schedule.
class SchedulerPanel : public QWidget
{
    Q_OBJECT
public:
    explicit SchedulerPanel(QWidget *parent = nullptr);

    /// The challenges of scenario `id` (none: the panel says how to be the scheduler of any run).
    void setScenario(const QString &id);
    /// The threads at the hold point now (`live`: a run goes on); a button for each one held.
    void setHolds(const std::vector<core::ThreadHold> &holds, bool live);
    /// The steps taken so far, whether the challenge `challengeId` ("" for none) was met, and
    /// whether the run ended.
    void setProgress(const QString &challengeId, const QStringList &schedule, bool met, bool ended);
    /// The challenge chosen in the list ("" when the scenario has none).
    QString chosenChallenge() const;
    /// The threads held now, in button order (the n-th is key n + 1).
    const std::vector<core::ThreadHold> &held() const { return m_holds; }
    /// The thread (model index) the n-th button (from 0) steps; kNoEvent when there is none.
    uint32_t heldThread(int n) const;
    /// The sentence under the steps: the goal, the success, or how to begin (read by tests).
    QString statusText() const;

Q_SIGNALS:
    void startChallenge(const QString &id);
    void stepThread(uint32_t thread);
    void replaySchedule();
    void saveSchedule();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void showGoal();
    void rebuildButtons();

    QString m_scenario;
    QComboBox *m_challenges = nullptr;
    QPushButton *m_start = nullptr;
    QLabel *m_goal = nullptr;
    QLabel *m_threadsTitle = nullptr;
    QVBoxLayout *m_buttonBox = nullptr;
    std::vector<QPushButton *> m_buttons;
    QLabel *m_steps = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_replay = nullptr;
    QPushButton *m_save = nullptr;
    std::vector<core::ThreadHold> m_holds; ///< held ones only, in button order
    bool m_live = false;
    QString m_challengeId; ///< of the run shown
    QStringList m_schedule;
    bool m_met = false;
    bool m_ended = false;
};

} // namespace interleave::ui
