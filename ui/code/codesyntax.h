// SPDX-License-Identifier: MIT
#pragma once

#include "ui/theme.h"

#include <QColor>
#include <QString>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

#include <vector>

namespace interleave::ui {

enum class CodeLanguage
{
    Cpp,
    Python
};

/// A coloured stretch of one line of code.
struct SyntaxSpan
{
    enum Kind
    {
        Keyword,
        String,
        Comment,
        Number,
        Directive
    };
    int start = 0;
    int length = 0;
    Kind kind = Keyword;
};

/// A deliberately simple highlighting — keywords, strings, comments, numbers, preprocessor lines —
/// shared by the code panel's editors and its exported image, so both colour alike.
struct CodeSyntax
{
    /// Spans of `line`; `inComment` carries an open /* ... */ comment from line to line (C++).
    static std::vector<SyntaxSpan> spans(const QString &line, CodeLanguage language, bool &inComment);
    static QColor color(SyntaxSpan::Kind kind, const Theme &theme);
    static QTextCharFormat format(SyntaxSpan::Kind kind, const Theme &theme);
};

/// QSyntaxHighlighter over CodeSyntax.
class CodeHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    CodeHighlighter(QTextDocument *document, CodeLanguage language, const Theme &theme);
    void setTheme(const Theme &theme);

protected:
    void highlightBlock(const QString &text) override;

private:
    CodeLanguage m_language;
    const Theme *m_theme;
};

} // namespace interleave::ui
