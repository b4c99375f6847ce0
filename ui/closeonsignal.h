// SPDX-License-Identifier: MIT
#pragma once

#include "run/stopsignals.h"

#include <QObject>

#include <memory>

class QSocketNotifier;

namespace interleave::ui {

/// Makes SIGTERM (a logout, `kill PID`), SIGINT (Ctrl+C in the terminal the window was started
/// from) and SIGHUP (that terminal closed) close the windows the way their close buttons do: the
/// run is stopped, its processes are gone, and the remembered settings are written, where the
/// default action would have ended the process on the spot. The event loop learns of the signal
/// through core::StopSignals; a second signal ends the process at once.
class CloseOnSignal : public QObject
{
    Q_OBJECT
public:
    explicit CloseOnSignal(QObject *parent = nullptr);
    ~CloseOnSignal() override;

private:
    core::StopSignals m_signals;
    // Watches m_signals.fd(): declared after it, so it is destroyed before the pipe is closed.
    std::unique_ptr<QSocketNotifier> m_notifier;
};

} // namespace interleave::ui
