// SPDX-License-Identifier: MIT
// A monochrome icon drawn in the palette's button-text colour.
#include "ui/inkicon.h"

#include <QGuiApplication>
#include <QIconEngine>
#include <QPainter>
#include <QPalette>

namespace interleave::ui {

namespace {

class InkIconEngine : public QIconEngine
{
public:
    explicit InkIconEngine(QIcon shape)
        : m_shape(std::move(shape))
    {}

    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        return scaledPixmap(size, mode, state, 1.0);
    }

    QPixmap scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State state, qreal scale) override
    {
        QPixmap pm = m_shape.pixmap(size, scale, QIcon::Normal, state);
        if (pm.isNull())
            return pm;
        const QPalette::ColorGroup group = mode == QIcon::Disabled ? QPalette::Disabled : QPalette::Active;
        QPainter painter(&pm);
        painter.setCompositionMode(QPainter::CompositionMode_SourceIn);
        painter.fillRect(QRectF(QPointF(0, 0), pm.deviceIndependentSize()),
                         QGuiApplication::palette().color(group, QPalette::ButtonText));
        return pm;
    }

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State state) override
    {
        painter->drawPixmap(rect, scaledPixmap(rect.size(), mode, state, painter->device()->devicePixelRatioF()));
    }

    QSize actualSize(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        return m_shape.actualSize(size, mode, state);
    }

    QList<QSize> availableSizes(QIcon::Mode mode, QIcon::State state) override
    {
        return m_shape.availableSizes(mode, state);
    }

    QIconEngine *clone() const override { return new InkIconEngine(m_shape); }
    QString key() const override { return QStringLiteral("InkIconEngine"); }

private:
    QIcon m_shape;
};

} // namespace

QIcon inkIcon(const QIcon &shape)
{
    return QIcon(new InkIconEngine(shape));
}

} // namespace interleave::ui
