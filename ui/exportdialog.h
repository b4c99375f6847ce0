// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace interleave::ui {

/// Asks which view to export, where (the suffix picks PNG, SVG or PDF), how large, and how sharp.
class ExportDialog : public QDialog
{
    Q_OBJECT
public:
    ExportDialog(const QStringList &views, const QString &currentView, const QString &baseName,
                 QWidget *parent = nullptr);

    QString viewName() const;
    QString path() const;
    QSize imageSize() const;
    qreal scale() const;

private:
    void browse();
    void validate();

    QComboBox *m_view = nullptr;
    QLineEdit *m_path = nullptr;
    QSpinBox *m_width = nullptr;
    QSpinBox *m_height = nullptr;
    QDoubleSpinBox *m_scale = nullptr;
};

} // namespace interleave::ui
