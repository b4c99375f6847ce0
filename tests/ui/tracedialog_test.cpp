// SPDX-License-Identifier: MIT
// File > Trace a Program…: the command its fields make, what it says about wrong fields, and the
// recent commands it keeps.
#include "ui/tracedialog.h"

#include "uitest.h"

#include <QDir>
#include <QFile>
#include <QListWidget>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace interleave;
using ui::TraceCommand;
using ui::TraceDialog;
using ui::TraceFields;

namespace {

QString writeFile(const QString &path, const QByteArray &text, bool executable)
{
    QFile f(path);
    EXPECT_TRUE(f.open(QIODevice::WriteOnly)) << path.toStdString();
    f.write(text);
    f.close();
    if (executable)
        f.setPermissions(f.permissions() | QFile::ExeOwner | QFile::ExeUser);
    return path;
}

} // namespace

TEST(TraceDialog, AScriptRunsWithPython3InItsOwnFolderWithItsArgumentsSplitAsAShellDoes)
{
    ui::testing::app();
    QTemporaryDir dir;
    const QString script = writeFile(dir.filePath(QStringLiteral("deadlock.py")), "print('hi')\n", false);
    TraceDialog dialog(nullptr);
    dialog.setFields({script, QStringLiteral("--rounds 3 \"two words\" \"x y\""), QString()});
    EXPECT_TRUE(dialog.acceptable());
    const TraceCommand command = dialog.command();
    EXPECT_EQ(command.argv, (QStringList{QStringLiteral("python3"), script, QStringLiteral("--rounds"),
                                         QStringLiteral("3"), QStringLiteral("two words"), QStringLiteral("x y")}));
    EXPECT_EQ(command.cwd, dir.path()); // the script's folder by default
    EXPECT_EQ(command.display().toStdString(), R"(python3 deadlock.py --rounds 3 "two words" "x y")");
    // What it shows splits back into the same words.
    EXPECT_EQ(QProcess::splitCommand(command.display()).mid(2), command.argv.mid(2));

    // The scenario's parameters: argv as a JSON array of strings, and the folder; read back alike.
    const auto params = command.params();
    ASSERT_EQ(params.size(), 2);
    EXPECT_EQ(params[0].first, QStringLiteral("argv"));
    EXPECT_EQ(params[0].second,
              QStringLiteral(R"(["python3",")") + script + QStringLiteral(R"(","--rounds","3","two words","x y"])"));
    EXPECT_EQ(params[1], qMakePair(QStringLiteral("cwd"), dir.path()));
    core::ParamValues values;
    for (const auto &[name, value] : params)
        values.insert(name, value);
    EXPECT_EQ(TraceCommand::fromParams(values), command);
}

TEST(TraceDialog, AProgramByPathRunsItselfInTheFolderGivenAndAProgramOnPathByItsName)
{
    ui::testing::app();
    QTemporaryDir dir;
    QTemporaryDir other;
    const QString program = writeFile(dir.filePath(QStringLiteral("philosophers")), "#!/bin/sh\n", true);
    // A relative name is found in the folder given.
    const TraceCommand byPath =
        TraceFields{QStringLiteral("./philosophers"), QStringLiteral("5"), dir.path()}.command();
    EXPECT_EQ(byPath.argv, (QStringList{program, QStringLiteral("5")}));
    EXPECT_EQ(byPath.cwd, dir.path());
    const TraceCommand elsewhere = TraceFields{program, QString(), other.path()}.command();
    EXPECT_EQ(elsewhere.argv, QStringList{program});
    EXPECT_EQ(elsewhere.cwd, other.path());
    EXPECT_EQ(elsewhere.display(), QStringLiteral("philosophers"));

    // "sh" has no folder of its own: it runs in the current one, found on PATH as a shell finds it.
    const TraceFields onPath{QStringLiteral("sh"), QStringLiteral("-c \"echo a; echo b\""), QString()};
    EXPECT_TRUE(onPath.programError().isEmpty());
    EXPECT_EQ(onPath.command().argv,
              (QStringList{QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("echo a; echo b")}));
    EXPECT_TRUE(onPath.command().cwd.isEmpty());
}

TEST(TraceDialog, WrongFieldsAreNamedBesideThemAndKeepOkDisabled)
{
    ui::testing::app();
    QTemporaryDir dir;
    TraceDialog dialog(nullptr);
    // Empty at first: the program field says what it wants.
    EXPECT_FALSE(dialog.acceptable());
    EXPECT_FALSE(dialog.programMessage().isEmpty());
    EXPECT_TRUE(dialog.folderMessage().isEmpty());

    const QString missing = dir.filePath(QStringLiteral("nothere.py"));
    dialog.setFields({missing, QString(), QString()});
    EXPECT_FALSE(dialog.acceptable());
    EXPECT_TRUE(dialog.programMessage().contains(missing)) << dialog.programMessage().toStdString();

    const QString script = writeFile(dir.filePath(QStringLiteral("race.py")), "x = 1\n", false);
    const QString noFolder = dir.filePath(QStringLiteral("no/such/folder"));
    dialog.setFields({script, QString(), noFolder});
    EXPECT_FALSE(dialog.acceptable());
    EXPECT_TRUE(dialog.programMessage().isEmpty());
    EXPECT_TRUE(dialog.folderMessage().contains(noFolder)) << dialog.folderMessage().toStdString();

    // A file that is neither executable nor a script, and a folder given as the program.
    const QString data = writeFile(dir.filePath(QStringLiteral("notes.txt")), "x\n", false);
    dialog.setFields({data, QString(), QString()});
    EXPECT_FALSE(dialog.acceptable());
    EXPECT_TRUE(dialog.programMessage().contains(QStringLiteral("chmod"))) << dialog.programMessage().toStdString();
    dialog.setFields({dir.path() + QLatin1Char('/'), QString(), QString()});
    EXPECT_FALSE(dialog.acceptable());
    dialog.setFields({QStringLiteral("no-such-program-interleave"), QString(), QString()});
    EXPECT_TRUE(dialog.programMessage().contains(QStringLiteral("PATH"))) << dialog.programMessage().toStdString();
    EXPECT_FALSE(dialog.acceptable());

    dialog.setFields({script, QString(), dir.path()});
    EXPECT_TRUE(dialog.acceptable());
    EXPECT_TRUE(dialog.programMessage().isEmpty());
    EXPECT_TRUE(dialog.folderMessage().isEmpty());
}

TEST(TraceDialog, RecentCommandsPersistNewestFirstEightAtMostAndFillTheFields)
{
    ui::testing::app();
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("recent.ini"));
    const QString script = writeFile(dir.filePath(QStringLiteral("queue.py")), "x = 1\n", false);
    {
        QSettings settings(ini, QSettings::IniFormat);
        for (int i = 0; i < 10; ++i)
            TraceDialog::remember(settings, {script, QString::number(i), dir.path()});
        TraceDialog::remember(settings, {script, QStringLiteral("5"), dir.path()}); // again: moves to the front
    }
    QSettings settings(ini, QSettings::IniFormat);
    const QList<TraceFields> recent = TraceDialog::recent(settings);
    ASSERT_EQ(recent.size(), TraceDialog::kRecentCount);
    QStringList arguments;
    for (const TraceFields &f : recent)
        arguments.push_back(f.arguments);
    EXPECT_EQ(arguments, QString(QStringLiteral("5 9 8 7 6 4 3 2")).split(QLatin1Char(' ')));

    // A new dialog lists them, and a double-click (activation) fills its fields in.
    TraceDialog dialog(&settings);
    auto *list = dialog.findChild<QListWidget *>(QStringLiteral("RecentList"));
    ASSERT_NE(list, nullptr);
    ASSERT_EQ(list->count(), TraceDialog::kRecentCount);
    EXPECT_TRUE(list->item(0)->text().contains(QStringLiteral("python3 queue.py 5")));
    EXPECT_TRUE(list->item(0)->text().contains(dir.path()));
    Q_EMIT list->itemActivated(list->item(1));
    EXPECT_EQ(dialog.fields().program, script);
    EXPECT_EQ(dialog.fields().arguments, QStringLiteral("9"));
    EXPECT_EQ(dialog.fields().folder, dir.path());

    // OK puts the command first, with its folder resolved (the default: the script's own).
    dialog.setFields({script, QStringLiteral("new"), QString()});
    dialog.accept();
    EXPECT_EQ(dialog.result(), QDialog::Accepted);
    QSettings reread(ini, QSettings::IniFormat);
    const QList<TraceFields> after = TraceDialog::recent(reread);
    ASSERT_EQ(after.size(), TraceDialog::kRecentCount);
    EXPECT_EQ(after.front().arguments, QStringLiteral("new"));
    EXPECT_EQ(after.front().folder, dir.path());
    EXPECT_EQ(after[1].arguments, QStringLiteral("5"));
}
