// SPDX-License-Identifier: MIT
#include "ui/animationdialog.h"

#include "ui/animationencoder.h"
#include "ui/animationexport.h"
#include "ui/imageexport.h"
#include "ui/traceview.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>

namespace interleave::ui {

AnimationDialog::AnimationDialog(const QStringList &views, const QString &currentView, const QString &baseName,
                                 QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Export Animation"));
    QSettings settings;
    auto *form = new QFormLayout(this);
    m_view = new QComboBox(this);
    for (const QString &name : views) {
        std::unique_ptr<TraceView> view = ImageExport::createView(name);
        m_view->addItem(view ? view->title() : name, name);
    }
    m_view->setCurrentIndex(std::max<qsizetype>(0, views.indexOf(currentView)));
    form->addRow(tr("View"), m_view);

    auto *pathRow = new QHBoxLayout;
    const QString dir = settings.value(QStringLiteral("export/dir"), QDir::homePath()).toString();
    const QString suffix = settings.value(QStringLiteral("animation/suffix"), QStringLiteral("gif")).toString();
    m_path = new QLineEdit(QDir(dir).filePath((baseName.isEmpty() ? QStringLiteral("trace") : baseName) +
                                              QLatin1Char('-') + currentView + QLatin1Char('.') + suffix),
                           this);
    auto *browseButton = new QPushButton(tr("Browse..."), this);
    connect(browseButton, &QPushButton::clicked, this, &AnimationDialog::browse);
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browseButton);
    form->addRow(tr("File (.gif, .mp4, .webm)"), pathRow);

    m_fps = new QSpinBox(this);
    m_fps->setRange(1, AnimationExport::kMaxFps);
    m_fps->setValue(settings.value(QStringLiteral("animation/fps"), 15).toInt());
    form->addRow(tr("Frames per second"), m_fps);
    m_speed = new QDoubleSpinBox(this);
    m_speed->setDecimals(4);
    m_speed->setRange(0.0001, 10000);
    m_speed->setValue(settings.value(QStringLiteral("animation/speed"), 1.0).toDouble());
    m_speed->setToolTip(tr("Trace time per second of animation: 1 is real time, 0.1 ten times slower"));
    form->addRow(tr("Speed"), m_speed);

    auto *sizeRow = new QHBoxLayout;
    m_width = new QSpinBox(this);
    m_width->setRange(200, 16000);
    m_width->setValue(settings.value(QStringLiteral("animation/width"), 1280).toInt());
    m_height = new QSpinBox(this);
    m_height->setRange(150, 16000);
    m_height->setValue(settings.value(QStringLiteral("animation/height"), 720).toInt());
    sizeRow->addWidget(m_width);
    sizeRow->addWidget(new QLabel(QStringLiteral("×"), this));
    sizeRow->addWidget(m_height);
    form->addRow(tr("Size"), sizeRow);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &AnimationDialog::validate);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
}

QString AnimationDialog::viewName() const
{
    return m_view->currentData().toString();
}
QString AnimationDialog::path() const
{
    return m_path->text();
}
QSize AnimationDialog::frameSize() const
{
    return QSize(m_width->value(), m_height->value());
}
int AnimationDialog::fps() const
{
    return m_fps->value();
}
double AnimationDialog::speed() const
{
    return m_speed->value();
}

void AnimationDialog::browse()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Animation"), m_path->text(),
                                                      tr("Animations (*.gif *.mp4 *.webm)"));
    if (!path.isEmpty())
        m_path->setText(path);
}

void AnimationDialog::validate()
{
    QString p = m_path->text();
    if (QFileInfo(p).suffix().isEmpty())
        m_path->setText(p += QStringLiteral(".gif"));
    if (!AnimationEncoder::supportedSuffix(QFileInfo(p).suffix())) {
        m_path->setFocus();
        m_path->selectAll();
        setToolTip(tr("Give the file a .gif, .mp4 or .webm name"));
        return;
    }
    QSettings settings;
    settings.setValue(QStringLiteral("export/dir"), QFileInfo(p).absolutePath());
    settings.setValue(QStringLiteral("animation/suffix"), QFileInfo(p).suffix().toLower());
    settings.setValue(QStringLiteral("animation/fps"), m_fps->value());
    settings.setValue(QStringLiteral("animation/speed"), m_speed->value());
    settings.setValue(QStringLiteral("animation/width"), m_width->value());
    settings.setValue(QStringLiteral("animation/height"), m_height->value());
    accept();
}

} // namespace interleave::ui
