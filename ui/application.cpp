// SPDX-License-Identifier: MIT
#include "ui/application.h"

#include "ui/mainwindow.h"

#include <QApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

#include <memory>

namespace interleave::ui {

namespace {
std::unique_ptr<QTranslator> g_appTranslator;
std::unique_ptr<QTranslator> g_qtTranslator;
QString g_language = QStringLiteral("en");
} // namespace

void Application::setup(QCoreApplication &app, const QString &language)
{
    QCoreApplication::setOrganizationName(QStringLiteral("Interleave"));
    QCoreApplication::setApplicationName(QStringLiteral("Interleave"));
    QCoreApplication::setApplicationVersion(QStringLiteral(INTERLEAVE_VERSION));
    Q_UNUSED(app);

    QString chosen = language;
    if (chosen.isEmpty())
        chosen = QSettings().value(QStringLiteral("language")).toString();
    if (chosen.isEmpty())
        chosen = QLocale::system().language() == QLocale::Chinese ? QStringLiteral("zh_CN") : QStringLiteral("en");
    setLanguage(chosen);
}

void Application::setLanguage(const QString &language)
{
    if (g_appTranslator)
        QCoreApplication::removeTranslator(g_appTranslator.get());
    if (g_qtTranslator)
        QCoreApplication::removeTranslator(g_qtTranslator.get());
    g_appTranslator.reset();
    g_qtTranslator.reset();
    g_language = language == QLatin1String("zh_CN") ? language : QStringLiteral("en");
    if (g_language == QLatin1String("en")) {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        return;
    }
    QLocale::setDefault(QLocale(QLocale::Chinese, QLocale::China));
    g_appTranslator = std::make_unique<QTranslator>();
    if (g_appTranslator->load(QStringLiteral(":/i18n/interleave_zh_CN.qm")))
        QCoreApplication::installTranslator(g_appTranslator.get());
    g_qtTranslator = std::make_unique<QTranslator>();
    if (g_qtTranslator->load(QStringLiteral("qtbase_zh_CN"), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(g_qtTranslator.get());
}

QString Application::language() { return g_language; }

int Application::runWindow()
{
    MainWindow window;
    window.show();
    return QApplication::exec();
}

} // namespace interleave::ui
