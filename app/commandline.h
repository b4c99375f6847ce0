// SPDX-License-Identifier: MIT
// What the user typed on the command line, as main.cpp's parser splits it.
#pragma once

#include <QString>
#include <QStringList>

#include <map>

namespace interleave {

/// What the user typed, split into mode, positional arguments and options.
struct CommandLine
{
    QString mode; ///< empty: the window
    QStringList positional;
    std::multimap<QString, QString> options; ///< "--set" may repeat
    bool has(const char *name) const { return options.count(QLatin1String(name)) > 0; }
    QString value(const char *name) const
    {
        const auto it = options.find(QLatin1String(name));
        return it == options.end() ? QString() : it->second;
    }
};

} // namespace interleave
