// SPDX-License-Identifier: MIT
#include "scenarios/lessonmap.h"

#include "scenarios/scenario.h"

#include <QFile>
#include <QRegularExpression>
#include <QStringList>

#include <algorithm>

namespace interleave::core {

namespace {

/// A Python line's code: the text before a comment (a # outside strings), trimmed.
QString pythonCode(const QString &line)
{
    QChar quote;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line[i];
        if (!quote.isNull()) {
            if (c == QLatin1Char('\\'))
                ++i;
            else if (c == quote)
                quote = QChar();
        } else if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
            quote = c;
        } else if (c == QLatin1Char('#')) {
            return line.left(i).trimmed();
        }
    }
    return line.trimmed();
}

QString readResource(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

} // namespace

LessonMap LessonMap::build(const QString &cpp, const QString &python)
{
    static const QRegularExpression marker(QStringLiteral(R"(//\s*py:\s*(.*\S)\s*$)"));
    QStringList code;
    for (const QString &line : python.split(QLatin1Char('\n')))
        code << pythonCode(line);
    LessonMap map;
    const QStringList lines = cpp.split(QLatin1Char('\n'));
    for (qsizetype n = 0; n < lines.size(); ++n) {
        const QRegularExpressionMatch m = marker.match(lines[n]);
        if (!m.hasMatch())
            continue;
        Marker mark;
        mark.cppLine = int(n + 1);
        mark.code = m.captured(1);
        mark.pythonLine = int(code.indexOf(mark.code) + 1);
        if (mark.pythonLine == 0 && mark.code.endsWith(QStringLiteral("...")) && mark.code.size() > 3) {
            // "t1 = threading.Thread(..." names a long line by its start, to keep within 120 columns.
            const QString start = mark.code.chopped(3);
            for (qsizetype i = 0; i < code.size() && mark.pythonLine == 0; ++i)
                if (code[i].startsWith(start))
                    mark.pythonLine = int(i + 1);
        }
        map.m_markers.push_back(mark);
    }
    return map;
}

LessonMap LessonMap::of(const Scenario &scenario)
{
    return build(readResource(scenario.sourcePath()), scenario.python());
}

int LessonMap::pythonLine(int cppLine) const
{
    const auto it = std::lower_bound(m_markers.begin(), m_markers.end(), cppLine,
                                     [](const Marker &m, int line) { return m.cppLine < line; });
    return it != m_markers.end() && it->cppLine == cppLine ? it->pythonLine : 0;
}

bool sameSourceFile(std::string_view recorded, std::string_view repoPath)
{
    if (recorded == repoPath)
        return true;
    if (recorded.find('/') != std::string_view::npos)
        return false;
    const size_t slash = repoPath.rfind('/');
    return slash != std::string_view::npos && repoPath.substr(slash + 1) == recorded;
}

std::function<int(std::string_view, int)> pythonLineOf(std::string_view id)
{
    const Scenario *scenario = ScenarioRegistry::instance().find(id);
    if (!scenario)
        return {};
    return [map = LessonMap::of(*scenario), path = scenario->sourceFile().toStdString()](
               std::string_view file, int line) { return sameSourceFile(file, path) ? map.pythonLine(line) : 0; };
}

} // namespace interleave::core
