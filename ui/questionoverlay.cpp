// SPDX-License-Identifier: MIT
// The question card over the views in presentation mode.
#include "ui/questionoverlay.h"

#include <QEvent>
#include <QLabel>
#include <QMouseEvent>
#include <QVBoxLayout>

namespace interleave::ui {

QuestionOverlay::QuestionOverlay(QWidget *parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("QuestionOverlay"));
    // A light card with a dark frame reads on every theme's background and over a busy timeline.
    setAutoFillBackground(true);
    setFrameShape(QFrame::Box);
    setLineWidth(3);
    QPalette card = palette();
    card.setColor(QPalette::Window, QColor(0xff, 0xf8, 0xdc));
    card.setColor(QPalette::WindowText, QColor(0x10, 0x10, 0x10));
    setPalette(card);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(28, 18, 28, 18);
    m_heading = new QLabel(this);
    m_question = new QLabel(this);
    m_question->setObjectName(QStringLiteral("QuestionText"));
    m_hint = new QLabel(this);
    for (QLabel *label : {m_heading, m_question, m_hint}) {
        label->setWordWrap(true);
        label->setPalette(card);
        layout->addWidget(label);
    }
    m_hint->setForegroundRole(QPalette::WindowText);
    setPixelSize(32);
    parent->installEventFilter(this);
    hide();
}

void QuestionOverlay::setTexts(const QString &heading, const QString &question, const QString &hint)
{
    m_heading->setText(heading);
    m_question->setText(question);
    m_hint->setText(hint);
    place();
}

QString QuestionOverlay::question() const
{
    return m_question->text();
}

void QuestionOverlay::setPixelSize(int pixels)
{
    auto sized = [](QLabel *label, int size, bool bold) {
        QFont f = label->font();
        f.setPixelSize(size);
        f.setBold(bold);
        label->setFont(f);
    };
    sized(m_heading, pixels, true);
    sized(m_question, pixels, false);
    sized(m_hint, std::max(20, pixels * 2 / 3), false);
    place();
}

bool QuestionOverlay::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == parentWidget() && event->type() == QEvent::Resize)
        place();
    return QFrame::eventFilter(watched, event);
}

void QuestionOverlay::mousePressEvent(QMouseEvent *event)
{
    event->accept();
    hide();
    Q_EMIT dismissed();
}

void QuestionOverlay::showEvent(QShowEvent *event)
{
    place();
    raise();
    QFrame::showEvent(event);
}

void QuestionOverlay::place()
{
    const QWidget *parent = parentWidget();
    if (!parent)
        return;
    // Across the top of the views, leaving their left and right edges (axis, labels) visible.
    const int width = std::max(200, parent->width() * 4 / 5);
    const int height =
        std::min(heightForWidth(width) > 0 ? heightForWidth(width) : sizeHint().height(), parent->height() * 2 / 3);
    setGeometry((parent->width() - width) / 2, parent->height() / 20, width, height);
}

} // namespace interleave::ui
