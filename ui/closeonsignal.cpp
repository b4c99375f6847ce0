// SPDX-License-Identifier: MIT
#include "ui/closeonsignal.h"

#include <QApplication>
#include <QSocketNotifier>

namespace interleave::ui {

CloseOnSignal::CloseOnSignal(QObject *parent)
    : QObject(parent)
{
    if (m_signals.fd() < 0)
        return;
    m_notifier = std::make_unique<QSocketNotifier>(m_signals.fd(), QSocketNotifier::Read);
    connect(m_notifier.get(), &QSocketNotifier::activated, this, [this] {
        m_notifier->setEnabled(false); // once: a second signal is the handler's to deal with
        // Every top-level window, an open dialog included, gets its close event; then the loop ends.
        QApplication::closeAllWindows();
        QCoreApplication::quit();
    });
}

CloseOnSignal::~CloseOnSignal() = default; // here, where QSocketNotifier is complete

} // namespace interleave::ui
