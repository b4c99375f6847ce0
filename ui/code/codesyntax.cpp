// SPDX-License-Identifier: MIT
#include "ui/code/codesyntax.h"

#include <QSet>

namespace interleave::ui {

namespace {

const QSet<QString> &keywords(CodeLanguage language)
{
    static const QSet<QString> cpp = [] {
        QSet<QString> s;
        for (const char *k :
             {"alignas",     "auto",     "bool",      "break",     "case",     "catch",        "char",
              "class",       "const",    "constexpr", "consteval", "continue", "co_await",     "co_return",
              "co_yield",    "decltype", "default",   "delete",    "do",       "double",       "else",
              "enum",        "explicit", "extern",    "false",     "final",    "float",        "for",
              "friend",      "if",       "inline",    "int",       "long",     "mutable",      "namespace",
              "new",         "noexcept", "nullptr",   "operator",  "override", "private",      "protected",
              "public",      "return",   "short",     "signed",    "sizeof",   "static",       "static_assert",
              "static_cast", "struct",   "switch",    "template",  "this",     "thread_local", "throw",
              "true",        "try",      "typedef",   "typename",  "union",    "unsigned",     "using",
              "virtual",     "void",     "volatile",  "while",     "int64_t",  "uint64_t",     "int32_t",
              "uint32_t",    "size_t"})
            s.insert(QLatin1String(k));
        return s;
    }();
    static const QSet<QString> python = [] {
        QSet<QString> s;
        for (const char *k :
             {"False",    "None",   "True",  "and",  "as",     "assert",   "async",   "await", "break", "class",
              "continue", "def",    "del",   "elif", "else",   "except",   "finally", "for",   "from",  "global",
              "if",       "import", "in",    "is",   "lambda", "nonlocal", "not",     "or",    "pass",  "raise",
              "return",   "try",    "while", "with", "yield",  "print",    "self"})
            s.insert(QLatin1String(k));
        return s;
    }();
    return language == CodeLanguage::Cpp ? cpp : python;
}

bool isIdentStart(QChar c)
{
    return c.isLetter() || c == QLatin1Char('_');
}

bool isIdent(QChar c)
{
    return c.isLetterOrNumber() || c == QLatin1Char('_');
}

/// One line's scan: each step consumes one token at `i` and returns where the next one starts.
struct LineScan
{
    const QString &line;
    const int n;
    const bool cpp;
    std::vector<SyntaxSpan> &out;

    bool at(int i, const char *two) const
    {
        return i + 1 < n && line[i] == QLatin1Char(two[0]) && line[i + 1] == QLatin1Char(two[1]);
    }

    /// A block comment from `i`; sets `inComment` when it does not close on this line.
    int blockComment(int i, bool &inComment)
    {
        const int close = int(line.indexOf(QStringLiteral("*/"), i + 2));
        if (close < 0) {
            out.push_back({i, n - i, SyntaxSpan::Comment});
            inComment = true;
            return n;
        }
        out.push_back({i, close + 2 - i, SyntaxSpan::Comment});
        return close + 2;
    }

    int string(int i)
    {
        const QChar quote = line[i];
        int j = i + 1;
        while (j < n && line[j] != quote)
            j += line[j] == QLatin1Char('\\') ? 2 : 1;
        const int end = std::min(j + 1, n);
        // A Python string prefix (f'', r'') belongs to the string.
        int start = i;
        if (!cpp && start > 0 && QStringLiteral("fFrRbBuU").contains(line[start - 1]) &&
            (start < 2 || !isIdent(line[start - 2])))
            --start;
        if (!out.empty() && out.back().kind == SyntaxSpan::Keyword && out.back().start + out.back().length > start)
            out.pop_back();
        out.push_back({start, end - start, SyntaxSpan::String});
        return end;
    }

    int number(int i)
    {
        int j = i + 1;
        while (j < n && (line[j].isLetterOrNumber() || line[j] == QLatin1Char('.') || line[j] == QLatin1Char('\'')))
            ++j;
        out.push_back({i, j - i, SyntaxSpan::Number});
        return j;
    }

    int word(int i, CodeLanguage language)
    {
        int j = i + 1;
        while (j < n && isIdent(line[j]))
            ++j;
        if (keywords(language).contains(line.mid(i, j - i)))
            out.push_back({i, j - i, SyntaxSpan::Keyword});
        return j;
    }
};

} // namespace

std::vector<SyntaxSpan> CodeSyntax::spans(const QString &line, CodeLanguage language, bool &inComment)
{
    std::vector<SyntaxSpan> out;
    const int n = int(line.size());
    int i = 0;
    const bool cpp = language == CodeLanguage::Cpp;
    if (cpp && inComment) {
        const int close = int(line.indexOf(QStringLiteral("*/")));
        if (close < 0) {
            out.push_back({0, n, SyntaxSpan::Comment});
            return out;
        }
        out.push_back({0, close + 2, SyntaxSpan::Comment});
        inComment = false;
        i = close + 2;
    }
    if (cpp && i == 0 && line.trimmed().startsWith(QLatin1Char('#'))) {
        // A directive, up to a comment; its <header> or "header" is a string.
        const int comment = int(line.indexOf(QStringLiteral("//")));
        out.push_back({0, comment < 0 ? n : comment, SyntaxSpan::Directive});
        if (comment >= 0)
            out.push_back({comment, n - comment, SyntaxSpan::Comment});
        return out;
    }
    LineScan scan{line, n, cpp, out};
    while (i < n) {
        const QChar c = line[i];
        if ((cpp && scan.at(i, "//")) || (!cpp && c == QLatin1Char('#'))) {
            out.push_back({i, n - i, SyntaxSpan::Comment});
            return out;
        }
        if (cpp && scan.at(i, "/*"))
            i = scan.blockComment(i, inComment);
        else if (c == QLatin1Char('"') || c == QLatin1Char('\''))
            i = scan.string(i);
        else if (c.isDigit() && (i == 0 || !isIdent(line[i - 1])))
            i = scan.number(i);
        else if (isIdentStart(c))
            i = scan.word(i, language);
        else
            ++i;
    }
    return out;
}

QColor CodeSyntax::color(SyntaxSpan::Kind kind, const Theme &theme)
{
    const bool dark = theme.id == Theme::Id::Dark;
    switch (kind) {
    case SyntaxSpan::Keyword:
        return dark ? QColor(0x82, 0xaa, 0xff) : QColor(0x00, 0x33, 0xb3);
    case SyntaxSpan::String:
        return dark ? QColor(0xa5, 0xd6, 0x8f) : QColor(0x06, 0x7d, 0x17);
    case SyntaxSpan::Comment:
        return dark ? QColor(0x9a, 0x9a, 0x9a) : QColor(0x5f, 0x66, 0x6d);
    case SyntaxSpan::Number:
        return dark ? QColor(0xf0, 0xa0, 0x60) : QColor(0x9c, 0x3d, 0x00);
    case SyntaxSpan::Directive:
        return dark ? QColor(0xc7, 0x92, 0xea) : QColor(0x7a, 0x3e, 0x9d);
    }
    return theme.foreground;
}

QTextCharFormat CodeSyntax::format(SyntaxSpan::Kind kind, const Theme &theme)
{
    QTextCharFormat f;
    f.setForeground(color(kind, theme));
    if (kind == SyntaxSpan::Keyword)
        f.setFontWeight(QFont::Bold);
    if (kind == SyntaxSpan::Comment)
        f.setFontItalic(true);
    return f;
}

CodeHighlighter::CodeHighlighter(QTextDocument *document, CodeLanguage language, const Theme &theme)
    : QSyntaxHighlighter(document)
    , m_language(language)
    , m_theme(&theme)
{}

void CodeHighlighter::setTheme(const Theme &theme)
{
    m_theme = &theme;
    rehighlight();
}

void CodeHighlighter::highlightBlock(const QString &text)
{
    bool inComment = previousBlockState() == 1;
    for (const SyntaxSpan &s : CodeSyntax::spans(text, m_language, inComment))
        setFormat(s.start, s.length, CodeSyntax::format(s.kind, *m_theme));
    setCurrentBlockState(inComment ? 1 : 0);
}

} // namespace interleave::ui
