// SPDX-License-Identifier: MIT
// The scenario's question, floating over the views in presentation mode until the teacher hides it.
#pragma once

#include <QFrame>

class QLabel;

namespace interleave::ui {

/// A card at the top of its parent widget (the window's centre) with the question the class is
/// asked before and while a run goes on ("Ask the class"), in large type. A click hides it; the
/// window also hides and shows it by key. It follows its parent's size.
class QuestionOverlay : public QFrame
{
    Q_OBJECT
public:
    explicit QuestionOverlay(QWidget *parent);

    /// `heading` in bold above `question`; `hint` small below (the keys that hide and show it).
    void setTexts(const QString &heading, const QString &question, const QString &hint);
    QString question() const;
    /// Type size of the question in pixels (the heading and hint follow it).
    void setPixelSize(int pixels);

Q_SIGNALS:
    /// The card was clicked away.
    void dismissed();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void place();

    QLabel *m_heading = nullptr;
    QLabel *m_question = nullptr;
    QLabel *m_hint = nullptr;
};

} // namespace interleave::ui
