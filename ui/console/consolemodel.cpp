// SPDX-License-Identifier: MIT
#include "ui/console/consolemodel.h"

#include "trace/modelqueries.h"

#include <algorithm>

namespace interleave::ui {

ConsoleModel::ConsoleModel(QObject *parent)
    : QAbstractListModel(parent)
{}

void ConsoleModel::setTraceModel(const core::TraceModel *model)
{
    beginResetModel();
    m_model = model;
    m_rows.clear();
    m_atPlayhead = 0;
    endResetModel();
    sync();
}

void ConsoleModel::sync()
{
    if (!m_model) {
        if (!m_rows.empty()) {
            beginResetModel();
            m_rows.clear();
            m_atPlayhead = 0;
            endResetModel();
        }
        return;
    }
    const std::vector<uint32_t> &outputs = m_model->outputs();
    const size_t have = m_rows.size();
    // Lines are appended in time order; one that arrived late from another process lands in the
    // middle and shifts the lines after it (so our last row moves): then the rows are laid out anew.
    const bool appended = outputs.size() >= have && (have == 0 || outputs[have - 1] == m_rows.back());
    if (!appended) {
        beginResetModel();
        m_rows.assign(outputs.begin(), outputs.end());
        m_atPlayhead = countAt(m_playhead);
        endResetModel();
        return;
    }
    if (outputs.size() == have)
        return;
    beginInsertRows(QModelIndex(), int(have), int(outputs.size()) - 1);
    m_rows.insert(m_rows.end(), outputs.begin() + qsizetype(have), outputs.end());
    m_atPlayhead = countAt(m_playhead);
    endInsertRows();
}

int ConsoleModel::countAt(int64_t t) const
{
    if (!m_model)
        return 0;
    const core::TraceModel &model = *m_model;
    return int(std::upper_bound(m_rows.begin(), m_rows.end(), t,
                                [&](int64_t time, uint32_t row) { return time < core::outputTime(model, row); }) -
               m_rows.begin());
}

void ConsoleModel::setPlayhead(int64_t t)
{
    m_playhead = t;
    const int at = countAt(t);
    if (at == m_atPlayhead)
        return;
    const int from = std::min(at, m_atPlayhead);
    const int to = std::max(at, m_atPlayhead) - 1;
    m_atPlayhead = at;
    Q_EMIT dataChanged(index(from), index(to), {AfterPlayheadRole, Qt::ForegroundRole});
}

int ConsoleModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

ConsoleLine ConsoleModel::line(int row) const
{
    ConsoleLine l;
    if (!m_model || row < 0 || size_t(row) >= m_rows.size())
        return l;
    const core::OutputLine out = core::outputLine(*m_model, m_rows[size_t(row)]);
    l.time = out.time;
    l.thread = out.thread;
    l.pid = out.pid;
    l.threadName = QString::fromStdString(m_model->threadName(out.thread));
    l.text = QString::fromUtf8(out.text.data(), qsizetype(out.text.size()));
    l.stderrStream = out.stderrStream;
    return l;
}

QVariant ConsoleModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || !m_model || size_t(index.row()) >= m_rows.size())
        return {};
    const int row = index.row();
    const core::OutputLine out = core::outputLine(*m_model, m_rows[size_t(row)]);
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        return QString::fromUtf8(out.text.data(), qsizetype(out.text.size()));
    case PidRole:
        return out.pid;
    case ThreadRole:
        return out.thread;
    case ThreadNameRole:
        return QString::fromStdString(m_model->threadName(out.thread));
    case StderrRole:
        return out.stderrStream;
    case TimeRole:
        return qint64(out.time);
    case AfterPlayheadRole:
        return row >= m_atPlayhead;
    default:
        break;
    }
    return {};
}

} // namespace interleave::ui
