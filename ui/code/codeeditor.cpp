// SPDX-License-Identifier: MIT
#include "ui/code/codeeditor.h"

#include <QFontDatabase>
#include <QPainter>
#include <QScrollBar>
#include <QStringList>
#include <QTextBlock>

#include <algorithm>
#include <cmath>
#include <map>

namespace interleave::ui {

namespace {

constexpr int kTagChars = 10; // thread names longer than this are elided in the margin

class CodeMargin : public QWidget
{
public:
    explicit CodeMargin(CodeEditor *editor)
        : QWidget(editor)
        , m_editor(editor)
    {}

protected:
    void paintEvent(QPaintEvent *event) override
    {
        QPainter painter(this);
        m_editor->paintMargin(painter, event->rect());
    }

private:
    CodeEditor *m_editor;
};

} // namespace

QColor markTint(const QColor &thread, bool tentative, const Theme &theme)
{
    QColor c = thread;
    const int alpha = theme.id == Theme::Id::Dark ? 110 : 80;
    c.setAlpha(tentative ? alpha / 2 : alpha);
    return c;
}

QColor textOn(const QColor &fill)
{
    const double luminance = 0.299 * fill.redF() + 0.587 * fill.greenF() + 0.114 * fill.blueF();
    return luminance > 0.55 ? QColor(Qt::black) : QColor(Qt::white);
}

int CodeWindow::firstLine(int count, int visible, std::vector<int> marked, int currentFirst)
{
    visible = std::max(1, visible);
    const int lastFirst = std::max(1, count - visible + 1);
    marked.erase(std::remove_if(marked.begin(), marked.end(), [&](int l) { return l < 1 || l > count; }), marked.end());
    if (marked.empty())
        return std::clamp(currentFirst, 1, lastFirst);
    const auto [lo, hi] = std::minmax_element(marked.begin(), marked.end());
    if (*lo >= currentFirst && *hi < currentFirst + visible)
        return std::clamp(currentFirst, 1, lastFirst);
    const int span = *hi - *lo + 1;
    const int first = span <= visible ? *lo - (visible - span) / 2 : *lo - visible / 5;
    return std::clamp(first, 1, lastFirst);
}

CodeEditor::CodeEditor(CodeLanguage language, QWidget *parent)
    : QPlainTextEdit(parent)
    , m_language(language)
{
    setReadOnly(true);
    setLineWrapMode(QPlainTextEdit::NoWrap); // one block per line: scrolling counts lines
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_highlighter = new CodeHighlighter(document(), language, *m_theme);
    m_margin = new CodeMargin(this);
    connect(this, &QPlainTextEdit::updateRequest, this, [this](const QRect &rect, int dy) {
        if (dy)
            m_margin->scroll(0, dy);
        else
            m_margin->update(0, rect.y(), m_margin->width(), rect.height());
    });
    connect(this, &QPlainTextEdit::blockCountChanged, this, [this] { updateMarginGeometry(); });
    setTheme(*m_theme);
}

void CodeEditor::setCode(const QString &text)
{
    setPlainText(text);
    m_marks.clear();
    applyMarks();
    updateMarginGeometry();
}

void CodeEditor::setTheme(const Theme &theme)
{
    m_theme = &theme;
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setPointSizeF(theme.font().pointSizeF());
    setFont(mono);
    document()->setDefaultFont(mono);
    QPalette p = palette();
    p.setColor(QPalette::Base, theme.background);
    p.setColor(QPalette::Text, theme.foreground);
    setPalette(p);
    m_highlighter->setTheme(theme);
    applyMarks();
    updateMarginGeometry();
}

void CodeEditor::setMarks(std::vector<LineMark> marks)
{
    m_marks = std::move(marks);
    applyMarks();
    std::vector<int> lines;
    for (const LineMark &m : m_marks)
        lines.push_back(m.line);
    const int current = m_marks.empty() && m_restLine > 0 && firstVisibleLine() == 1 ? m_restLine : firstVisibleLine();
    const int first = CodeWindow::firstLine(lineCount(), visibleLineCount(), lines, current);
    if (first != firstVisibleLine())
        verticalScrollBar()->setValue(first - 1);
    alignMarkedLines();
    m_margin->update();
}

void CodeEditor::alignMarkedLines()
{
    // Deeply indented lines of a lesson (inside a lambda, inside a loop) run off the right edge of
    // a narrow pane or of big projector type: scroll right to their indentation, then, so the
    // statements the threads are at are what shows.
    const QFontMetricsF metrics(font());
    qreal indent = -1;
    qreal right = 0;
    const int first = firstVisibleLine();
    for (const LineMark &mark : m_marks) {
        if (mark.line < first || mark.line >= first + visibleLineCount())
            continue; // scrolled out of view: its indentation does not matter
        const QString text = lineText(mark.line);
        qsizetype leading = 0;
        while (leading < text.size() && text[leading].isSpace())
            ++leading;
        const qreal at = metrics.horizontalAdvance(text.left(leading));
        indent = indent < 0 ? at : std::min(indent, at);
        // The statement matters, not a trailing comment: it may run off the edge.
        const qsizetype comment =
            text.indexOf(m_language == CodeLanguage::Python ? QLatin1String(" #") : QLatin1String(" //"), leading);
        right = std::max(right, metrics.horizontalAdvance(comment < 0 ? text : text.left(comment)));
    }
    const qreal room = viewport()->width() - 2 * document()->documentMargin();
    const bool cut = indent >= 0 && right > room;
    horizontalScrollBar()->setValue(
        cut ? int(std::max<qreal>(0, indent - 2 * metrics.horizontalAdvance(QLatin1Char(' ')))) : 0);
}

int CodeEditor::codeStart(const QString &text)
{
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        const QString l = lines[i].trimmed();
        if (l.isEmpty() || l.startsWith(QLatin1String("//")) || l.startsWith(QLatin1Char('#')) ||
            l.startsWith(QLatin1String("namespace ")) || l == QLatin1String("{") || l == QLatin1String("}"))
            continue;
        return i + 1;
    }
    return 1;
}

void CodeEditor::applyMarks()
{
    QList<QTextEdit::ExtraSelection> selections;
    // Tentative marks first, so a sure mark on the same line is drawn over them.
    std::vector<const LineMark *> ordered;
    for (const LineMark &m : m_marks)
        ordered.push_back(&m);
    std::stable_sort(ordered.begin(), ordered.end(),
                     [](const LineMark *a, const LineMark *b) { return a->tentative > b->tentative; });
    for (const LineMark *m : ordered) {
        const QTextBlock block = document()->findBlockByNumber(m->line - 1);
        if (!block.isValid())
            continue;
        QTextEdit::ExtraSelection s;
        s.cursor = QTextCursor(block);
        s.format.setBackground(markTint(m->color, m->tentative, *m_theme));
        s.format.setProperty(QTextFormat::FullWidthSelection, true);
        selections << s;
    }
    setExtraSelections(selections);
}

int CodeEditor::lineCount() const
{
    return document()->blockCount();
}

QString CodeEditor::lineText(int line) const
{
    const QTextBlock block = document()->findBlockByNumber(line - 1);
    return block.isValid() ? block.text() : QString();
}

int CodeEditor::firstVisibleLine() const
{
    return firstVisibleBlock().blockNumber() + 1;
}

int CodeEditor::visibleLineCount() const
{
    return std::max(1, viewport()->height() / std::max(1, fontMetrics().lineSpacing()));
}

int CodeEditor::marginWidth() const
{
    const QFontMetrics fm(font());
    const int digits = std::max(3, int(QString::number(std::max(1, lineCount())).size()));
    const int pad = fm.horizontalAdvance(QLatin1Char(' '));
    return pad + fm.horizontalAdvance(QLatin1Char('9')) * digits + pad +
           fm.horizontalAdvance(QLatin1Char('M')) * kTagChars + pad * 2;
}

void CodeEditor::updateMarginGeometry()
{
    setViewportMargins(marginWidth(), 0, 0, 0);
    const QRect cr = contentsRect();
    m_margin->setGeometry(QRect(cr.left(), cr.top(), marginWidth(), cr.height()));
}

void CodeEditor::resizeEvent(QResizeEvent *event)
{
    QPlainTextEdit::resizeEvent(event);
    updateMarginGeometry();
    alignMarkedLines();
}

void CodeEditor::showEvent(QShowEvent *event)
{
    QPlainTextEdit::showEvent(event);
    alignMarkedLines(); // marks set while hidden met a scroll bar without range
}

void CodeEditor::paintMargin(QPainter &painter, const QRect &area)
{
    painter.fillRect(area, m_theme->laneAlternate);
    painter.setFont(font());
    const QFontMetrics fm(font());
    const int pad = fm.horizontalAdvance(QLatin1Char(' '));
    const int digits = std::max(3, int(QString::number(std::max(1, lineCount())).size()));
    const int numberWidth = fm.horizontalAdvance(QLatin1Char('9')) * digits;
    const int tagLeft = pad + numberWidth + pad;
    const int tagWidth = marginWidth() - tagLeft - pad;

    std::map<int, std::vector<const LineMark *>> byLine;
    for (const LineMark &m : m_marks)
        byLine[m.line].push_back(&m);

    QTextBlock block = firstVisibleBlock();
    int top = int(std::round(blockBoundingGeometry(block).translated(contentOffset()).top()));
    while (block.isValid() && top <= area.bottom()) {
        const int height = int(std::round(blockBoundingRect(block).height()));
        const int line = block.blockNumber() + 1;
        if (block.isVisible() && top + height >= area.top()) {
            const auto marks = byLine.find(line);
            const bool marked = marks != byLine.end();
            painter.setPen(marked ? m_theme->foreground : m_theme->muted);
            painter.drawText(QRect(pad, top, numberWidth, height), Qt::AlignRight | Qt::AlignVCenter,
                             QString::number(line));
            if (marked) {
                // The first thread's name as a tag in its colour; "+N" for others on the same line.
                // Threads the scheduler holds lead with their keys: "1 ▶ Thread-1", or "1, 2 ▶"
                // for several on one line (the keys are what the class presses).
                const LineMark &first = *marks->second.front();
                QStringList keys;
                for (const LineMark *m : marks->second)
                    if (!m->key.isEmpty())
                        keys << m->key;
                const bool allKeyed = keys.size() == int(marks->second.size());
                QString name = first.key.isEmpty() ? first.name : first.key + QStringLiteral(" \u25B6 ") + first.name;
                if (first.tentative)
                    name += QLatin1Char('?');
                if (allKeyed && keys.size() > 1)
                    name = keys.join(QStringLiteral(", ")) + QStringLiteral(" \u25B6");
                const int extra = allKeyed ? 0 : int(marks->second.size()) - 1;
                const QString more = extra > 0 ? QStringLiteral(" +%1").arg(extra) : QString();
                const QString label =
                    fm.elidedText(name, Qt::ElideRight, tagWidth - fm.horizontalAdvance(more) - pad) + more;
                const QRect tag(tagLeft, top + 1, tagWidth, height - 2);
                QColor fill = first.color;
                if (first.tentative)
                    fill = fill.lighter(130);
                painter.setPen(Qt::NoPen);
                painter.setBrush(fill);
                painter.drawRoundedRect(tag, 3, 3);
                painter.setPen(textOn(fill));
                painter.drawText(tag.adjusted(pad / 2, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, label);
            }
        }
        block = block.next();
        top += height;
    }
}

} // namespace interleave::ui
