// SPDX-License-Identifier: MIT
#include "ui/exportdialog.h"

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

ExportDialog::ExportDialog(const QStringList &views, const QString &currentView, const QString &baseName,
                           QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Export Image"));
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
    m_path = new QLineEdit(QDir(dir).filePath((baseName.isEmpty() ? QStringLiteral("trace") : baseName) +
                                              QLatin1Char('-') + currentView + QStringLiteral(".png")),
                           this);
    auto *browseButton = new QPushButton(tr("Browse..."), this);
    connect(browseButton, &QPushButton::clicked, this, &ExportDialog::browse);
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browseButton);
    form->addRow(tr("File (.png, .svg, .pdf)"), pathRow);

    auto *sizeRow = new QHBoxLayout;
    m_width = new QSpinBox(this);
    m_width->setRange(200, 16000);
    m_width->setValue(settings.value(QStringLiteral("export/width"), 1600).toInt());
    m_height = new QSpinBox(this);
    m_height->setRange(150, 16000);
    m_height->setValue(settings.value(QStringLiteral("export/height"), 900).toInt());
    sizeRow->addWidget(m_width);
    sizeRow->addWidget(new QLabel(QStringLiteral("×"), this));
    sizeRow->addWidget(m_height);
    form->addRow(tr("Size"), sizeRow);
    m_scale = new QDoubleSpinBox(this);
    m_scale->setRange(0.5, 4);
    m_scale->setSingleStep(0.5);
    m_scale->setValue(settings.value(QStringLiteral("export/scale"), 2.0).toDouble());
    m_scale->setToolTip(tr("Pixels per point in a PNG: 2 keeps a slide sharp on a large screen"));
    form->addRow(tr("Scale (PNG)"), m_scale);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &ExportDialog::validate);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
    connect(m_view, &QComboBox::currentIndexChanged, this, [this] {
        // Keep the file name in step with the view when it still names the previous one.
        QFileInfo info(m_path->text());
        for (const QString &name : ImageExport::viewNames())
            if (info.completeBaseName().endsWith(QLatin1Char('-') + name)) {
                const QString base = info.completeBaseName().chopped(name.size()) + viewName();
                m_path->setText(info.dir().filePath(base + QLatin1Char('.') + info.suffix()));
                break;
            }
    });
}

QString ExportDialog::viewName() const
{
    return m_view->currentData().toString();
}
QString ExportDialog::path() const
{
    return m_path->text();
}
QSize ExportDialog::imageSize() const
{
    return QSize(m_width->value(), m_height->value());
}
qreal ExportDialog::scale() const
{
    return m_scale->value();
}

void ExportDialog::browse()
{
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export Image"), m_path->text(), tr("Images (*.png *.svg *.pdf)"));
    if (!path.isEmpty())
        m_path->setText(path);
}

void ExportDialog::validate()
{
    QString p = m_path->text();
    if (QFileInfo(p).suffix().isEmpty())
        m_path->setText(p += QStringLiteral(".png"));
    if (!ImageExport::supportedSuffix(QFileInfo(p).suffix())) {
        m_path->setFocus();
        m_path->selectAll();
        setToolTip(tr("Give the file a .png, .svg or .pdf name"));
        return;
    }
    QSettings settings;
    settings.setValue(QStringLiteral("export/dir"), QFileInfo(p).absolutePath());
    settings.setValue(QStringLiteral("export/width"), m_width->value());
    settings.setValue(QStringLiteral("export/height"), m_height->value());
    settings.setValue(QStringLiteral("export/scale"), m_scale->value());
    accept();
}

} // namespace interleave::ui
