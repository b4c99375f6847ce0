// SPDX-License-Identifier: MIT
#include "ui/code/codemap.h"

#include <QStringList>

#include <algorithm>

namespace interleave::ui {

std::optional<SourceLocation> SourceLocation::parse(const std::string &text)
{
    const std::optional<core::SourceLocation> where = core::SourceLocation::parse(text);
    if (!where)
        return std::nullopt;
    return SourceLocation{QString::fromStdString(where->file), where->line};
}

// PythonPrints --------------------------------------------------------------------------------

namespace {

const QString kAny = QStringLiteral(".*");

/// A Python string literal as written: its text, and whether it is an f-string.
struct Literal
{
    QString text;
    bool fString = false;
};

/// Reads a Python string literal (with an optional r/b/f/u prefix) starting at `i` and moves `i`
/// past it; nullopt if none starts there or it goes on past the line.
std::optional<Literal> literalAt(const QString &s, qsizetype &i)
{
    qsizetype j = i;
    bool raw = false;
    Literal literal;
    while (j < s.size() && QStringLiteral("rRbBfFuU").contains(s[j]) && j - i < 2) {
        raw = raw || s[j].toLower() == QLatin1Char('r');
        literal.fString = literal.fString || s[j].toLower() == QLatin1Char('f');
        ++j;
    }
    if (j >= s.size() || (s[j] != QLatin1Char('\'') && s[j] != QLatin1Char('"')))
        return std::nullopt;
    const QChar quote = s[j++];
    for (; j < s.size() && s[j] != quote; ++j) {
        if (s[j] == QLatin1Char('\\') && !raw && j + 1 < s.size()) {
            ++j;
            literal.text += s[j] == QLatin1Char('n') ? QChar(u'\n') : s[j] == QLatin1Char('t') ? QChar(u'\t') : s[j];
            continue;
        }
        literal.text += s[j];
    }
    if (j >= s.size())
        return std::nullopt;
    i = j + 1;
    return literal;
}

QString fStringPattern(const QString &text)
{
    // Each {expression} is unknown text; {{ and }} are braces.
    QString pattern;
    for (qsizetype k = 0; k < text.size(); ++k) {
        const bool doubled = k + 1 < text.size() && text[k + 1] == text[k];
        if ((text[k] == QLatin1Char('{') || text[k] == QLatin1Char('}')) && doubled) {
            pattern += QRegularExpression::escape(QString(text[k]));
            ++k;
            continue;
        }
        if (text[k] == QLatin1Char('{')) {
            const qsizetype close = text.indexOf(QLatin1Char('}'), k);
            if (close > k) {
                pattern += kAny;
                k = close;
                continue;
            }
        }
        pattern += QRegularExpression::escape(QString(text[k]));
    }
    return pattern;
}

QString percentPattern(const QString &text)
{
    // 'fmt' % args: every conversion (%s, %d, %.2f, %(name)s ...) is unknown text; %% is a percent.
    static const QRegularExpression conversion(
        QStringLiteral(R"(%(\([^)]*\))?[-#0 +]*(\*|\d+)?(\.(\*|\d+))?[diouxXeEfFgGcrsa])"));
    QString pattern;
    qsizetype at = 0;
    while (at < text.size()) {
        if (text[at] == QLatin1Char('%') && at + 1 < text.size() && text[at + 1] == QLatin1Char('%')) {
            pattern += QRegularExpression::escape(QStringLiteral("%"));
            at += 2;
            continue;
        }
        const QRegularExpressionMatch m =
            conversion.match(text, at, QRegularExpression::NormalMatch, QRegularExpression::AnchorAtOffsetMatchOption);
        if (m.hasMatch()) {
            pattern += kAny;
            at = m.capturedEnd();
            continue;
        }
        pattern += QRegularExpression::escape(QString(text[at]));
        ++at;
    }
    return pattern;
}

QString bracePattern(const QString &text)
{
    // 'fmt'.format(args): each {...} field is unknown text.
    QString pattern;
    for (qsizetype k = 0; k < text.size(); ++k) {
        if (text[k] == QLatin1Char('{') && k + 1 < text.size() && text[k + 1] != QLatin1Char('{')) {
            const qsizetype close = text.indexOf(QLatin1Char('}'), k);
            if (close > k) {
                pattern += kAny;
                k = close;
                continue;
            }
        }
        pattern += QRegularExpression::escape(QString(text[k]));
    }
    return pattern;
}

/// Splits the argument text of a call at its top-level commas, skipping strings and brackets.
QStringList splitArguments(const QString &args)
{
    QStringList parts;
    int depth = 0;
    QChar quote;
    qsizetype from = 0;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QChar c = args[i];
        if (!quote.isNull()) {
            if (c == QLatin1Char('\\'))
                ++i;
            else if (c == quote)
                quote = QChar();
            continue;
        }
        if (c == QLatin1Char('\'') || c == QLatin1Char('"'))
            quote = c;
        else if (c == QLatin1Char('(') || c == QLatin1Char('[') || c == QLatin1Char('{'))
            ++depth;
        else if (c == QLatin1Char(')') || c == QLatin1Char(']') || c == QLatin1Char('}'))
            --depth;
        else if (c == QLatin1Char(',') && depth == 0) {
            parts << args.mid(from, i - from).trimmed();
            from = i + 1;
        }
    }
    parts << args.mid(from).trimmed();
    return parts;
}

/// The pattern of one print() argument; kAny when it is not a literal.
QString argumentPattern(const QString &arg)
{
    qsizetype i = 0;
    const std::optional<Literal> literal = literalAt(arg, i);
    if (!literal)
        return kAny;
    const QString rest = arg.mid(i).trimmed();
    if (literal->fString)
        return rest.isEmpty() ? fStringPattern(literal->text) : kAny;
    if (rest.isEmpty())
        return QRegularExpression::escape(literal->text);
    if (rest.startsWith(QLatin1Char('%')))
        return percentPattern(literal->text);
    if (rest.startsWith(QStringLiteral(".format(")))
        return bracePattern(literal->text);
    return kAny; // 'a' + b, 'x' * 3 ...: not understood, so unknown text
}

/// The text between `print(` and its closing parenthesis on one line, or nullopt.
std::optional<QString> printArguments(const QString &line)
{
    static const QRegularExpression call(QStringLiteral(R"((?:^|[^\w.])print\s*\()"));
    // Skip a comment: a # outside strings.
    QString code;
    QChar quote;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line[i];
        if (quote.isNull() && c == QLatin1Char('#'))
            break;
        if (!quote.isNull() && c == QLatin1Char('\\') && i + 1 < line.size()) {
            code += c;
            code += line[++i];
            continue;
        }
        if (c == QLatin1Char('\'') || c == QLatin1Char('"'))
            quote = quote.isNull() ? c : (quote == c ? QChar() : quote);
        code += c;
    }
    const QRegularExpressionMatch m = call.match(code);
    if (!m.hasMatch())
        return std::nullopt;
    int depth = 1;
    quote = QChar();
    for (qsizetype i = m.capturedEnd(); i < code.size(); ++i) {
        const QChar c = code[i];
        if (!quote.isNull()) {
            if (c == QLatin1Char('\\'))
                ++i;
            else if (c == quote)
                quote = QChar();
            continue;
        }
        if (c == QLatin1Char('\'') || c == QLatin1Char('"'))
            quote = c;
        else if (c == QLatin1Char('('))
            ++depth;
        else if (c == QLatin1Char(')') && --depth == 0)
            return code.mid(m.capturedEnd(), i - m.capturedEnd());
    }
    return std::nullopt; // continues on the next line: not understood
}

int indentOf(const QString &line)
{
    int n = 0;
    for (QChar c : line) {
        if (c == QLatin1Char(' '))
            ++n;
        else if (c == QLatin1Char('\t'))
            n += 8;
        else
            break;
    }
    return n;
}

} // namespace

PythonPrints PythonPrints::parse(const QString &python)
{
    PythonPrints result;
    const QStringList lines = python.split(QLatin1Char('\n'));
    std::vector<int> defs; // indents of the enclosing defs
    for (qsizetype n = 0; n < lines.size(); ++n) {
        const QString &line = lines[n];
        const QString trimmed = line.trimmed();
        if (trimmed.isEmpty() || trimmed.startsWith(QLatin1Char('#')))
            continue;
        const int indent = indentOf(line);
        while (!defs.empty() && indent <= defs.back())
            defs.pop_back();
        const bool inFunction = !defs.empty();
        if (trimmed.startsWith(QStringLiteral("def ")) || trimmed.startsWith(QStringLiteral("async def ")))
            defs.push_back(indent);

        const std::optional<QString> args = printArguments(line);
        if (!args)
            continue;
        QStringList parts;
        bool anyLiteral = false;
        static const QRegularExpression keyword(QStringLiteral(R"(^\w+\s*=[^=])"));
        for (const QString &arg : splitArguments(*args)) {
            if (arg.isEmpty() || keyword.match(arg).hasMatch()) // sep=, end=, file=: not printed text
                continue;
            const QString p = argumentPattern(arg);
            anyLiteral = anyLiteral || p != kAny;
            parts << p;
        }
        if (!anyLiteral)
            continue; // print(balance): would match every line, so it links nothing
        Print print;
        print.line = int(n + 1);
        print.inFunction = inFunction;
        print.pattern = QRegularExpression(QStringLiteral("^") + parts.join(QStringLiteral(" ")) + QStringLiteral("$"),
                                           QRegularExpression::DotMatchesEverythingOption);
        result.m_prints.push_back(std::move(print));
    }
    return result;
}

std::vector<int> PythonPrints::match(const QString &text, bool mainThread) const
{
    std::vector<const Print *> hits;
    for (const Print &p : m_prints) {
        if (p.pattern.match(text).hasMatch())
            hits.push_back(&p);
    }
    if (hits.size() > 1) {
        std::vector<const Print *> preferred;
        for (const Print *p : hits) {
            if (p->inFunction != mainThread)
                preferred.push_back(p);
        }
        if (!preferred.empty())
            hits = preferred;
    }
    std::vector<int> lines;
    for (const Print *p : hits)
        lines.push_back(p->line);
    return lines;
}

// Marks ---------------------------------------------------------------------------------------

namespace {

/// The Python line the lesson maps the mark's C++ line to, if it maps it.
void mapToLesson(CodeMark &mark, const LessonLink *lesson)
{
    mark.pythonLines.clear();
    mark.pythonMapped = false;
    mark.pythonAmbiguous = false;
    if (lesson && mark.line > 0 && core::sameSourceFile(mark.file.toStdString(), lesson->file)) {
        if (const int python = lesson->map.pythonLine(mark.line)) {
            mark.pythonLines = {python};
            mark.pythonMapped = true;
        }
    }
}

} // namespace

std::vector<CodeMark> codeMarksAt(const core::TraceModel &model, const CodeLocator &locator, const PythonPrints &python,
                                  int64_t t, const LessonLink *lesson)
{
    std::vector<CodeMark> marks;
    for (const core::ThreadRecord &thread : model.threads()) {
        if (thread.start > t || t >= thread.end)
            continue;
        CodeMark mark;
        mark.thread = thread.index;
        if (const std::optional<core::CallSite> site = locator.lastCallSite(model, thread.index, t)) {
            mark.event = site->event;
            mark.file = QString::fromStdString(site->file);
            mark.line = site->line;
        }
        mapToLesson(mark, lesson);
        const std::optional<std::string> output =
            mark.pythonMapped ? std::nullopt : locator.lastOutput(model, thread.index, t);
        if (output) {
            mark.pythonLines = python.match(QString::fromStdString(*output), thread.tid == thread.pid);
            mark.pythonAmbiguous = mark.pythonLines.size() > 1;
        }
        if (mark.line > 0 || !mark.pythonLines.empty())
            marks.push_back(std::move(mark));
    }
    return marks;
}

void placeHeldSteps(std::vector<CodeMark> &marks, const std::vector<HeldStep> &held, const LessonLink *lesson)
{
    for (const HeldStep &step : held) {
        const std::optional<SourceLocation> site = SourceLocation::parse(step.site.toStdString());
        auto it = std::find_if(marks.begin(), marks.end(), [&](const CodeMark &m) { return m.thread == step.thread; });
        if (it == marks.end()) {
            if (!site)
                continue; // nowhere to mark it
            it = marks.insert(marks.end(), CodeMark{});
            it->thread = step.thread;
        }
        it->next = step.next;
        it->key = step.key;
        if (!site)
            continue; // its last line stays marked
        it->event = core::kNoEvent;
        it->file = site->file;
        it->line = site->line;
        mapToLesson(*it, lesson);
    }
}

} // namespace interleave::ui
