// SPDX-License-Identifier: MIT
#include "ui/tracedialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QVBoxLayout>

#include <algorithm>

namespace interleave::ui {

namespace {

const QString kRecentKey = QStringLiteral("trace/recent");

bool isScript(const QString &program)
{
    const QString suffix = QFileInfo(program).suffix().toLower();
    return suffix == QLatin1String("py") || suffix == QLatin1String("pyw");
}

/// A program named by a path (or a script, which is always a file): not looked up on PATH.
bool namesFile(const QString &program)
{
    return program.contains(QLatin1Char('/')) || isScript(program);
}

QString absoluteFolder(const QString &folder)
{
    return folder.isEmpty() ? QString() : QDir::cleanPath(QDir::current().absoluteFilePath(folder));
}

/// The file a program field names: relative to the folder field when that is a folder, else to
/// the current one (as a shell started there would find it).
QString programFile(const TraceFields &fields)
{
    const QString folder = absoluteFolder(fields.folder.trimmed());
    const QDir base = !folder.isEmpty() && QFileInfo(folder).isDir() ? QDir(folder) : QDir::current();
    return QDir::cleanPath(base.absoluteFilePath(fields.program.trimmed()));
}

/// The word as the arguments field reads it back (QProcess::splitCommand): in double quotes when it
/// holds a space or a quote, a quote inside written as three.
QString commandWord(const QString &word)
{
    const bool plain =
        !word.isEmpty() && std::none_of(word.begin(), word.end(), [](QChar c) { return c.isSpace() || c == u'"'; });
    if (plain)
        return word;
    QString quoted = word;
    quoted.replace(QLatin1String("\""), QLatin1String("\"\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

} // namespace

// TraceCommand --------------------------------------------------------------------------------

QString TraceCommand::display() const
{
    QStringList words;
    const QString inside = cwd.isEmpty() ? QString() : QDir::cleanPath(cwd) + QLatin1Char('/');
    for (qsizetype i = 0; i < argv.size(); ++i) {
        QString word = argv[i];
        if (i == 0 && QDir::isAbsolutePath(word))
            word = QFileInfo(word).fileName();
        else if (!inside.isEmpty() && word.startsWith(inside) && word.size() > inside.size())
            word = word.mid(inside.size());
        words.push_back(commandWord(word));
    }
    return words.join(QLatin1Char(' '));
}

QList<QPair<QString, QString>> TraceCommand::params() const
{
    const QByteArray json = QJsonDocument(QJsonArray::fromStringList(argv)).toJson(QJsonDocument::Compact);
    return {{QStringLiteral("argv"), QString::fromUtf8(json)}, {QStringLiteral("cwd"), cwd}};
}

TraceCommand TraceCommand::fromParams(const core::ParamValues &params)
{
    TraceCommand command;
    // The scenario keeps argv as JSON text; a trace that stored the array itself reads the same.
    const QJsonValue value = params.value(QStringLiteral("argv"));
    const QJsonArray array =
        value.isArray() ? value.toArray() : QJsonDocument::fromJson(value.toString().toUtf8()).array();
    for (const QJsonValue &word : array)
        command.argv.push_back(word.toString());
    command.cwd = params.value(QStringLiteral("cwd")).toString();
    return command;
}

// TraceFields ---------------------------------------------------------------------------------

QString TraceFields::programError() const
{
    const QString name = program.trimmed();
    if (name.isEmpty())
        return TraceDialog::tr("Name the program or the Python script to trace.");
    if (!namesFile(name)) {
        return QStandardPaths::findExecutable(name).isEmpty()
                   ? TraceDialog::tr("There is no program named %1 on PATH: give its path, or Browse.").arg(name)
                   : QString();
    }
    const QFileInfo file(programFile(*this));
    if (!file.exists())
        return TraceDialog::tr("There is no file %1.").arg(file.filePath());
    if (file.isDir())
        return TraceDialog::tr("%1 is a folder: name a program or a .py script in it.").arg(file.filePath());
    if (!isScript(name) && !file.isExecutable())
        return TraceDialog::tr("%1 is not executable: make it so (chmod +x) or pick a .py script.")
            .arg(file.filePath());
    if (isScript(name) && !file.isReadable())
        return TraceDialog::tr("%1 cannot be read.").arg(file.filePath());
    return {};
}

QString TraceFields::folderError() const
{
    const QString path = absoluteFolder(folder.trimmed());
    if (path.isEmpty())
        return {};
    const QFileInfo info(path);
    if (!info.exists())
        return TraceDialog::tr("There is no folder %1.").arg(path);
    if (!info.isDir())
        return TraceDialog::tr("%1 is a file, not a folder.").arg(path);
    return {};
}

TraceCommand TraceFields::command() const
{
    TraceCommand command;
    const QString name = program.trimmed();
    if (name.isEmpty())
        return command;
    QString folder = absoluteFolder(this->folder.trimmed());
    if (namesFile(name)) {
        const QString file = programFile(*this);
        if (isScript(name))
            command.argv.push_back(QStringLiteral("python3"));
        command.argv.push_back(file);
        if (folder.isEmpty())
            folder = QFileInfo(file).absolutePath(); // a script's own folder: where its data files are
    } else {
        command.argv.push_back(name); // found on PATH, as a shell would
    }
    command.argv += QProcess::splitCommand(arguments);
    command.cwd = folder;
    return command;
}

// TraceDialog ---------------------------------------------------------------------------------

TraceDialog::TraceDialog(QSettings *settings, QWidget *parent)
    : QDialog(parent)
    , m_settings(settings)
{
    setObjectName(QStringLiteral("TraceDialog"));
    if (!m_settings)
        m_settings = new QSettings(this);
    auto *grid = new QGridLayout;
    auto addRow = [&](QLabel *&label, QLineEdit *&edit, QPushButton **browse, QLabel **error) {
        const int row = grid->rowCount();
        label = new QLabel(this);
        edit = new QLineEdit(this);
        label->setBuddy(edit);
        grid->addWidget(label, row, 0);
        grid->addWidget(edit, row, 1);
        if (browse) {
            *browse = new QPushButton(this);
            grid->addWidget(*browse, row, 2);
        }
        if (error) {
            *error = new QLabel(this);
            (*error)->setWordWrap(true);
            (*error)->setVisible(false);
            grid->addWidget(*error, row + 1, 1, 1, 2);
        }
    };
    addRow(m_programLabel, m_program, &m_browseProgram, &m_programError);
    addRow(m_argumentsLabel, m_arguments, nullptr, nullptr);
    addRow(m_folderLabel, m_folder, &m_browseFolder, &m_folderError);
    m_program->setObjectName(QStringLiteral("ProgramEdit"));
    m_arguments->setObjectName(QStringLiteral("ArgumentsEdit"));
    m_folder->setObjectName(QStringLiteral("FolderEdit"));
    m_programError->setObjectName(QStringLiteral("ProgramError"));
    m_folderError->setObjectName(QStringLiteral("FolderError"));
    grid->setColumnStretch(1, 1);

    m_preview = new QLabel(this);
    m_preview->setObjectName(QStringLiteral("CommandPreview"));
    m_preview->setWordWrap(true);
    m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_recentLabel = new QLabel(this);
    m_recent = new QListWidget(this);
    m_recent->setObjectName(QStringLiteral("RecentList"));
    m_recentLabel->setBuddy(m_recent);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(grid);
    layout->addWidget(m_preview);
    layout->addWidget(m_recentLabel);
    layout->addWidget(m_recent, 1);
    layout->addWidget(m_buttons);

    for (QLineEdit *edit : {m_program, m_arguments, m_folder})
        connect(edit, &QLineEdit::textChanged, this, &TraceDialog::validate);
    connect(m_browseProgram, &QPushButton::clicked, this, &TraceDialog::browseProgram);
    connect(m_browseFolder, &QPushButton::clicked, this, &TraceDialog::browseFolder);
    connect(m_recent, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        const QList<TraceFields> all = recent(*m_settings);
        const int row = m_recent->row(item);
        if (row >= 0 && row < all.size())
            setFields(all[row]);
    });
    connect(m_buttons, &QDialogButtonBox::accepted, this, &TraceDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &TraceDialog::reject);

    retranslate();
    fillRecent();
    validate();
    resize(sizeHint().expandedTo(QSize(640, 420)));
}

TraceDialog::~TraceDialog() = default;

TraceFields TraceDialog::fields() const
{
    return {m_program->text(), m_arguments->text(), m_folder->text()};
}

void TraceDialog::setFields(const TraceFields &fields)
{
    m_program->setText(fields.program);
    m_arguments->setText(fields.arguments);
    m_folder->setText(fields.folder);
}

QString TraceDialog::programMessage() const
{
    return !m_programError->isHidden() ? m_programError->text() : QString();
}

QString TraceDialog::folderMessage() const
{
    return !m_folderError->isHidden() ? m_folderError->text() : QString();
}

bool TraceDialog::acceptable() const
{
    return m_buttons->button(QDialogButtonBox::Ok)->isEnabled();
}

void TraceDialog::retranslate()
{
    setWindowTitle(tr("Trace a Program"));
    m_programLabel->setText(tr("&Program or script:"));
    m_program->setPlaceholderText(tr("a program on PATH, a path to one, or a .py script (run with python3)"));
    m_program->setToolTip(tr("Any dynamically linked program (C with pthreads, for one) or a Python script; it "
                             "runs unchanged, with Interleave's recorder preloaded"));
    m_browseProgram->setText(tr("Browse..."));
    m_argumentsLabel->setText(tr("&Arguments:"));
    m_arguments->setPlaceholderText(tr("separated by spaces; \"double quotes\" keep a space inside one"));
    m_folderLabel->setText(tr("&Working folder:"));
    m_folder->setPlaceholderText(tr("the script's folder"));
    m_browseFolder->setText(tr("Browse..."));
    m_recentLabel->setText(tr("&Recent (double-click to fill in):"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Trace"));
    m_buttons->button(QDialogButtonBox::Cancel)->setText(tr("Cancel"));
    validate();
}

void TraceDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

void TraceDialog::validate()
{
    const TraceFields f = fields();
    const QString programError = f.programError();
    const QString folderError = f.folderError();
    // A colour that reads as a warning on the light and on the dark palette alike.
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    const QString style = dark ? QStringLiteral("color: #ff8a80") : QStringLiteral("color: #b00020");
    for (auto [label, text] : {std::pair{m_programError, programError}, std::pair{m_folderError, folderError}}) {
        label->setText(text);
        label->setStyleSheet(style);
        label->setVisible(!text.isEmpty());
    }
    const bool ok = programError.isEmpty() && folderError.isEmpty();
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(ok);
    const TraceCommand command = f.command();
    m_preview->setText(
        ok ? tr("Runs: %1\nIn: %2").arg(command.display(), command.cwd.isEmpty() ? QDir::currentPath() : command.cwd)
           : QString());
}

QList<TraceFields> TraceDialog::recent(QSettings &settings)
{
    QList<TraceFields> all;
    for (const QVariant &entry : settings.value(kRecentKey).toList()) {
        const QVariantMap map = entry.toMap();
        TraceFields f{map.value(QStringLiteral("program")).toString(),
                      map.value(QStringLiteral("arguments")).toString(),
                      map.value(QStringLiteral("folder")).toString()};
        if (!f.program.isEmpty())
            all.push_back(f);
    }
    return all;
}

void TraceDialog::remember(QSettings &settings, const TraceFields &fields)
{
    const auto same = [&](const TraceFields &f) {
        return f.program == fields.program && f.arguments == fields.arguments && f.folder == fields.folder;
    };
    QVariantList list{QVariantMap{{QStringLiteral("program"), fields.program},
                                  {QStringLiteral("arguments"), fields.arguments},
                                  {QStringLiteral("folder"), fields.folder}}};
    for (const TraceFields &f : recent(settings)) {
        if (list.size() < kRecentCount && !same(f))
            list.push_back(QVariantMap{{QStringLiteral("program"), f.program},
                                       {QStringLiteral("arguments"), f.arguments},
                                       {QStringLiteral("folder"), f.folder}});
    }
    settings.setValue(kRecentKey, list);
    settings.sync();
}

void TraceDialog::fillRecent()
{
    m_recent->clear();
    for (const TraceFields &f : recent(*m_settings)) {
        const TraceCommand command = f.command();
        const QString folder = command.cwd.isEmpty() ? QDir::currentPath() : command.cwd;
        auto *item = new QListWidgetItem(tr("%1    in %2").arg(command.display(), folder), m_recent);
        item->setToolTip(command.argv.join(QLatin1Char(' ')));
    }
}

void TraceDialog::browseProgram()
{
    const QString start = m_folder->text().isEmpty() ? QFileInfo(m_program->text()).absolutePath() : m_folder->text();
    const QString path = QFileDialog::getOpenFileName(this, tr("Program or Script to Trace"), start,
                                                      tr("All files (*);;Python scripts (*.py)"));
    if (!path.isEmpty())
        m_program->setText(path);
}

void TraceDialog::browseFolder()
{
    const QString path = QFileDialog::getExistingDirectory(this, tr("Working Folder"), m_folder->text());
    if (!path.isEmpty())
        m_folder->setText(path);
}

void TraceDialog::accept()
{
    if (!acceptable())
        return;
    // Kept as resolved: the entry means the same command whatever folder the window starts in.
    TraceFields f = fields();
    const TraceCommand command = f.command();
    f.program = namesFile(f.program.trimmed()) ? programFile(f) : f.program.trimmed();
    f.folder = command.cwd;
    remember(*m_settings, f);
    QDialog::accept();
}

} // namespace interleave::ui
