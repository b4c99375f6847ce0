// SPDX-License-Identifier: MIT
#pragma once

#include "ui/code/codesyntax.h"
#include "ui/theme.h"

#include <QColor>
#include <QPlainTextEdit>
#include <QString>

#include <cstdint>
#include <vector>

namespace interleave::ui {

/// A thread's mark on one line of code.
struct LineMark
{
    int line = 0; ///< 1-based
    uint32_t thread = 0;
    QString name;
    QColor color;
    bool tentative = false; ///< one of several lines it may be at (drawn fainter)
    QString key;            ///< held by the scheduler: the key that lets it go ("1"), else ""
};

/// Which lines a window of code shows: a plain function, unit-tested.
struct CodeWindow
{
    /// The first line (1-based) of a window of `visible` lines over `count` lines that keeps
    /// `marked` in view: unchanged when they already are; all of them centred when they fit; else
    /// the first of them a little below the top.
    static int firstLine(int count, int visible, std::vector<int> marked, int currentFirst);
};

/// A read-only, monospace, highlighted view of one source file with each thread's line marked:
/// the line tinted in the thread's colour and its name in the left margin beside the line number.
class CodeEditor : public QPlainTextEdit
{
    Q_OBJECT
public:
    CodeEditor(CodeLanguage language, QWidget *parent = nullptr);

    void setCode(const QString &text);
    void setTheme(const Theme &theme);
    /// Shows these marks and scrolls so that they are in view.
    void setMarks(std::vector<LineMark> marks);
    /// Where the view rests while no thread is in the file and nobody scrolled: the first line of
    /// code proper, past the licence line and the includes (0: the top).
    void setRestLine(int line) { m_restLine = line; }
    /// The first line of a C++ file that is code: not a comment, an #include, a blank line, a
    /// namespace's opening or a lone brace (1 for a file that has none).
    static int codeStart(const QString &text);
    const std::vector<LineMark> &marks() const { return m_marks; }
    CodeLanguage language() const { return m_language; }
    int lineCount() const;
    /// The text of a 1-based line ("" outside the file).
    QString lineText(int line) const;
    int firstVisibleLine() const;
    int visibleLineCount() const;
    /// Width of the margin with line numbers and thread names.
    int marginWidth() const;
    /// Paints the margin (also used for a margin drawn outside this widget).
    void paintMargin(QPainter &painter, const QRect &area);

protected:
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void updateMarginGeometry();
    void applyMarks();
    /// Scrolls right to the marked lines' indentation when they do not fit, else back to the left edge.
    void alignMarkedLines();

    CodeLanguage m_language;
    const Theme *m_theme = &Theme::get(Theme::Id::Light);
    CodeHighlighter *m_highlighter = nullptr;
    QWidget *m_margin = nullptr;
    std::vector<LineMark> m_marks;
    int m_restLine = 0;
};

/// The colour a mark tints its line with.
QColor markTint(const QColor &thread, bool tentative, const Theme &theme);
/// Black or white, whichever reads better on `fill`.
QColor textOn(const QColor &fill);

} // namespace interleave::ui
