// SPDX-License-Identifier: MIT
// Ctrl+F: find threads, processes, locks, queues, printed lines and phases of the trace on show.
#pragma once

#include "analysis/tracesearch.h"

#include <QTimer>
#include <QWidget>

#include <vector>

class QLabel;
class QLineEdit;
class QListWidget;

namespace interleave::ui {

/// A query line and the list of what it finds in the model (core::searchTrace), searched as the
/// user types. Up / Down move through the hits, Enter or a click chooses one, Esc closes.
class SearchPanel : public QWidget
{
    Q_OBJECT
public:
    explicit SearchPanel(QWidget *parent = nullptr);

    /// The model to search (not owned); a different one clears the hits and searches again.
    void setModel(const core::TraceModel *model);
    /// Puts the cursor in the query, its text selected.
    void focusQuery();
    /// Searches now (typing searches after a short pause).
    void search();
    const std::vector<core::SearchHit> &hits() const { return m_hits; }
    QLineEdit *queryEdit() const { return m_query; }
    QListWidget *hitList() const { return m_list; }
    /// "Thread-1 (thread, 2.000 – 8.000 ms)": a hit as the list shows it.
    static QString hitText(const core::TraceModel &model, const core::SearchHit &hit);

Q_SIGNALS:
    void hitChosen(const interleave::core::SearchHit &hit);
    void closeRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void choose(int row);
    void retranslate();

    const core::TraceModel *m_model = nullptr;
    QLineEdit *m_query = nullptr;
    QLabel *m_count = nullptr;
    QListWidget *m_list = nullptr;
    QTimer m_typing;
    std::vector<core::SearchHit> m_hits;
};

} // namespace interleave::ui
