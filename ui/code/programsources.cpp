// SPDX-License-Identifier: MIT
#include "ui/code/programsources.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTabBar>
#include <QTabWidget>

#include <algorithm>

namespace interleave::ui {

QString ProgramSources::resolve(const QString &recorded, const QString &cwd)
{
    // "<frozen importlib._bootstrap>", "<string>": CPython's names of code without a file.
    if (QDir::isAbsolutePath(recorded) || cwd.isEmpty() || recorded.startsWith(QLatin1Char('<')))
        return QDir::cleanPath(recorded);
    return QDir::cleanPath(QDir(cwd).absoluteFilePath(recorded));
}

CodeLanguage ProgramSources::languageOf(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == QLatin1String("py") || suffix == QLatin1String("pyw") ? CodeLanguage::Python : CodeLanguage::Cpp;
}

ProgramFile ProgramSources::read(const QString &path)
{
    ProgramFile file;
    file.path = path;
    file.language = languageOf(path);
    const QFileInfo info(path);
    // CPython names code that has no file "<string>", "<frozen importlib._bootstrap>", ...
    if (path.startsWith(QLatin1Char('<')) || !QDir::isAbsolutePath(path))
        file.error = tr("%1 is not a file on disk, so its code cannot be shown.").arg(path);
    else if (!info.exists())
        file.error =
            tr("Cannot show %1: the file is not there (moved, deleted, or built on another machine).").arg(path);
    else if (info.isDir())
        file.error = tr("Cannot show %1: it is a folder, not a file.").arg(path);
    else if (info.size() > kMaxBytes)
        file.error = tr("Cannot show %1: it is larger than %L2 MB.").arg(path).arg(kMaxBytes >> 20);
    if (!file.error.isEmpty())
        return file;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        file.error = tr("Cannot show %1: %2.").arg(path, f.errorString());
        return file;
    }
    file.text = QString::fromUtf8(f.readAll());
    return file;
}

std::vector<std::pair<std::string, size_t>> ProgramSources::byCallSites(const std::map<std::string, size_t> &sites)
{
    std::vector<std::pair<std::string, size_t>> files(sites.begin(), sites.end());
    std::stable_sort(files.begin(), files.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
    return files;
}

void ProgramSources::orderTabs(QTabWidget *tabs, const std::vector<QWidget *> &pages)
{
    int at = 0;
    for (QWidget *page : pages) {
        const int index = tabs->indexOf(page);
        if (index < 0)
            continue;
        if (index != at)
            tabs->tabBar()->moveTab(index, at);
        ++at;
    }
}

} // namespace interleave::ui
