// SPDX-License-Identifier: MIT
// File -> Export Animation...: which view, which file (.gif, .mp4, .webm), frame rate, speed, size.
#pragma once

#include <QDialog>

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace interleave::ui {

/// Asks which view to replay, where (the suffix picks GIF, MP4 or WebM), at which frame rate and
/// speed, and how large.
class AnimationDialog : public QDialog
{
    Q_OBJECT
public:
    AnimationDialog(const QStringList &views, const QString &currentView, const QString &baseName,
                    QWidget *parent = nullptr);

    QString viewName() const;
    QString path() const;
    QSize frameSize() const;
    int fps() const;
    double speed() const;

private:
    void browse();
    void validate();

    QComboBox *m_view = nullptr;
    QLineEdit *m_path = nullptr;
    QSpinBox *m_fps = nullptr;
    QDoubleSpinBox *m_speed = nullptr;
    QSpinBox *m_width = nullptr;
    QSpinBox *m_height = nullptr;
};

} // namespace interleave::ui
