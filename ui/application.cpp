// SPDX-License-Identifier: MIT
#include "ui/application.h"

#include "trace/clock.h"
#include "ui/closeonsignal.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QThreadPool>
#include <QTimer>
#include <QTranslator>

#include <memory>

namespace interleave::ui {

namespace {
std::unique_ptr<QTranslator> g_appTranslator;
std::unique_ptr<QTranslator> g_qtTranslator;
QString g_language = QStringLiteral("en");
} // namespace

void Application::setup(QCoreApplication &app, const QString &language, Front front)
{
    QCoreApplication::setOrganizationName(QStringLiteral("Interleave"));
    QCoreApplication::setApplicationName(QStringLiteral("Interleave"));
    QCoreApplication::setApplicationVersion(QStringLiteral(INTERLEAVE_VERSION));
    Q_UNUSED(app);

    QString chosen = language;
    if (chosen.isEmpty() && front == Front::Window)
        chosen = QSettings().value(QStringLiteral("language")).toString();
    if (chosen.isEmpty())
        chosen = QLocale::system().language() == QLocale::Chinese ? QStringLiteral("zh_CN") : QStringLiteral("en");
    setLanguage(chosen);
}

void Application::setLanguage(const QString &language)
{
    // The language is set first: removing and installing translators sends LanguageChange at once,
    // and whatever retranslates then (the explanation, read per language) must see the new one.
    g_language = language == QLatin1String("zh_CN") ? language : QStringLiteral("en");
    if (g_appTranslator)
        QCoreApplication::removeTranslator(g_appTranslator.get());
    if (g_qtTranslator)
        QCoreApplication::removeTranslator(g_qtTranslator.get());
    g_appTranslator.reset();
    g_qtTranslator.reset();
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

QString Application::language()
{
    return g_language;
}

namespace {

/// Quits the application after the first paint of the watched widget.
class FirstPaintExit : public QObject
{
public:
    using QObject::QObject;
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && !m_done) {
            m_done = true;
            QTimer::singleShot(0, qApp, &QCoreApplication::quit);
        }
        return QObject::eventFilter(watched, event);
    }

private:
    bool m_done = false;
};

} // namespace

int Application::runWindow(const QString &tracePath)
{
    // Fusion looks the same on every desktop, so screenshots in the docs match what students see.
    QApplication::setStyle(QStringLiteral("Fusion"));
    // The first run's log needs the clock's rate, 10 ms to measure: measured meanwhile, elsewhere.
    QThreadPool::globalInstance()->start([] { core::clock::processCalibration(); });
    MainWindow window;
    CloseOnSignal closeOnSignal;
    if (qEnvironmentVariableIntValue("INTERLEAVE_EXIT_AFTER_FIRST_PAINT") == 1)
        window.installEventFilter(new FirstPaintExit(&window));
    window.show();
    if (!tracePath.isEmpty())
        QTimer::singleShot(0, &window, [&window, tracePath] { window.openTrace(tracePath); });
    // Tests that kill the window mid-run (tests/app/kill_test.cpp) name the scenario it starts.
    const QString testRun = qEnvironmentVariable("INTERLEAVE_TEST_RUN");
    if (!testRun.isEmpty())
        QTimer::singleShot(0, &window, [&window, testRun] {
            if (window.selectScenario(testRun))
                window.runScenario();
        });
    return QApplication::exec();
}

} // namespace interleave::ui
