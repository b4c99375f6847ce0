// SPDX-License-Identifier: MIT
#pragma once

#include <QMainWindow>

class QTreeWidget;
class QTreeWidgetItem;
class QLabel;
class QTextBrowser;
class QAction;
class QMenu;
class QActionGroup;

namespace interleave::ui {

/// The main window: scenario browser on the left, the views in the middle, status at the bottom.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// The browser (grouped like the chapter); exposed for tests and the presentation mode.
    QTreeWidget *scenarioBrowser() const { return m_browser; }
    /// Selects a scenario by id; returns false if there is none.
    bool selectScenario(const QString &id);
    QString selectedScenario() const;

protected:
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void createMenus();
    void fillBrowser();
    void retranslate();
    void showScenario(const QString &id);

    QTreeWidget *m_browser = nullptr;
    QTextBrowser *m_explanation = nullptr;
    QLabel *m_statusLabel = nullptr;

    QMenu *m_fileMenu = nullptr;
    QMenu *m_runMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_languageMenu = nullptr;
    QMenu *m_helpMenu = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_runAction = nullptr;
    QAction *m_stopAction = nullptr;
    QAction *m_englishAction = nullptr;
    QAction *m_chineseAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QActionGroup *m_languageGroup = nullptr;
};

} // namespace interleave::ui
