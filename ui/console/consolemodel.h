// SPDX-License-Identifier: MIT
#pragma once

#include "trace/tracemodel.h"

#include <QAbstractListModel>
#include <QString>

#include <cstdint>
#include <vector>

namespace interleave::ui {

/// One line a process printed, as the console shows it.
struct ConsoleLine
{
    int64_t time = 0;
    int32_t pid = 0;
    uint32_t thread = 0;
    QString threadName;
    QString text;
    bool stderrStream = false;
};

/// The lines the scenario's processes printed (the model's Output events), one row each. A live
/// run only appends rows (beginInsertRows for the new ones), so thousands of lines cost what is new.
class ConsoleModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role
    {
        PidRole = Qt::UserRole + 1, ///< int
        ThreadRole,                 ///< thread index
        ThreadNameRole,             ///< QString
        StderrRole,                 ///< bool
        TimeRole,                   ///< qint64, trace time
        AfterPlayheadRole,          ///< bool: printed after the playhead
    };

    explicit ConsoleModel(QObject *parent = nullptr);

    void setTraceModel(const core::TraceModel *model);
    /// Picks up lines appended to the trace model since the last call.
    void sync();
    /// Rows printed after `t` are reported as AfterPlayheadRole.
    void setPlayhead(int64_t t);
    /// The number of rows printed at or before the playhead.
    int rowsAtPlayhead() const { return m_atPlayhead; }

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    ConsoleLine line(int row) const;

private:
    int countAt(int64_t t) const;

    const core::TraceModel *m_model = nullptr;
    std::vector<uint32_t> m_rows; ///< entries of model.outputs()
    int64_t m_playhead = core::kTimeMax;
    int m_atPlayhead = 0;
};

} // namespace interleave::ui
