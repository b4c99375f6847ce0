// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

class QSocketNotifier;

namespace interleave::ui {

/// Makes SIGTERM (a logout, `kill PID`), SIGINT (Ctrl+C in the terminal the window was started
/// from) and SIGHUP (that terminal closed) close the windows the way their close buttons do: the
/// run is stopped, its processes are gone, and the remembered settings are written, where the
/// default action would have ended the process on the spot. The handler only writes a byte to a
/// pipe; the event loop reads it and closes the windows. A second signal of the kind while the
/// first is being handled ends the process at once, as it would have without this.
/// One at a time; the handlers go back to the default when it is destroyed.
class CloseOnSignal : public QObject
{
    Q_OBJECT
public:
    explicit CloseOnSignal(QObject *parent = nullptr);
    ~CloseOnSignal() override;

private:
    void closeWindows();

    QSocketNotifier *m_notifier = nullptr;
};

} // namespace interleave::ui
