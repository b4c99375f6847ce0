// SPDX-License-Identifier: MIT
#include "ui/code/codeview.h"

#include "analysis/waitforgraph.h"
#include "scenarios/scenario.h"
#include "ui/code/programsources.h"

#include <QEvent>
#include <QFile>
#include <QFontDatabase>
#include <QLabel>
#include <QPainter>
#include <QSplitter>
#include <QTabBar>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <map>

namespace interleave::ui {

namespace {

/// A recorded call-site path as a path from the repository root: traces recorded before paths
/// were kept name scenario files by their base name alone.
QString repoPathOf(const QString &recorded)
{
    return recorded.contains(QLatin1Char('/')) ? recorded : QStringLiteral("core/scenarios/") + recorded;
}

/// Where the build embeds a file of core/ (core/CMakeLists.txt: prefix /source, base core/).
QString resourceOf(const QString &repoPath)
{
    static const QString core = QStringLiteral("core/");
    return repoPath.startsWith(core) ? QStringLiteral(":/source/") + repoPath.mid(core.size()) : QString();
}

QString baseName(const QString &path)
{
    return path.section(QLatin1Char('/'), -1);
}

QString readText(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

QFont monoFont(const Theme &theme, qreal relative = 1.0)
{
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setPointSizeF(theme.font(relative).pointSizeF());
    return mono;
}

/// Fonts and column geometry of an exported source listing, and how one line of it is drawn.
struct SourceLayout
{
    SourceLayout(const QPaintDevice *device, const QRectF &code, int count, const Theme &theme)
        : mono(monoFont(theme, 0.95))
        , monoBold(mono)
        , monoItalic(mono)
        , fm(mono, device)
        , code(code)
        , theme(theme)
    {
        monoBold.setBold(true);
        monoItalic.setItalic(true);
        lineHeight = std::ceil(fm.lineSpacing());
        const int digits = std::max(3, int(QString::number(std::max(1, count)).size()));
        pad = fm.horizontalAdvance(QLatin1Char(' '));
        numberWidth = fm.horizontalAdvance(QLatin1Char('9')) * digits;
        tagWidth = fm.horizontalAdvance(QLatin1Char('M')) * 9;
        marginWidth = pad + numberWidth + pad + tagWidth + pad;
        textLeft = code.left() + marginWidth + pad;
    }

    /// The tint of every mark on the line and the first mark's name tag ("+N" for the others).
    void paintMarks(QPainter &p, qreal y, const std::vector<const LineMark *> &marks) const
    {
        for (const LineMark *m : marks)
            p.fillRect(QRectF(code.left() + marginWidth, y, code.width() - marginWidth, lineHeight),
                       markTint(m->color, m->tentative, theme));
        const LineMark &m = *marks.front();
        const int extra = int(marks.size()) - 1;
        const QString more = extra > 0 ? QStringLiteral(" +%1").arg(extra) : QString();
        const QString name = m.name + (m.tentative ? QStringLiteral("?") : QString());
        const QRectF tag(code.left() + pad + numberWidth + pad, y + 1, tagWidth, lineHeight - 2);
        const QColor fill = m.tentative ? m.color.lighter(130) : m.color;
        p.setPen(Qt::NoPen);
        p.setBrush(fill);
        p.drawRoundedRect(tag, 3, 3);
        p.setFont(mono);
        p.setPen(textOn(fill));
        p.drawText(tag.adjusted(pad / 2, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
                   fm.elidedText(name, Qt::ElideRight, tagWidth - fm.horizontalAdvance(more) - pad) + more);
    }

    /// The line's text, coloured by its syntax spans (`inComment` carries a block comment on).
    void paintText(QPainter &p, qreal y, const QString &text, CodeLanguage language, bool &inComment) const
    {
        const qreal baseline = y + (lineHeight - fm.height()) / 2 + fm.ascent();
        int at = 0;
        auto drawPart = [&](int from, int to, const QFont &font, const QColor &color) {
            if (to <= from)
                return;
            p.setFont(font);
            p.setPen(color);
            p.drawText(QPointF(textLeft + fm.horizontalAdvance(text.left(from)), baseline), text.mid(from, to - from));
        };
        for (const SyntaxSpan &s : CodeSyntax::spans(text, language, inComment)) {
            drawPart(at, s.start, mono, theme.foreground);
            const QFont &font =
                s.kind == SyntaxSpan::Keyword ? monoBold : (s.kind == SyntaxSpan::Comment ? monoItalic : mono);
            drawPart(s.start, s.start + s.length, font, CodeSyntax::color(s.kind, theme));
            at = s.start + s.length;
        }
        drawPart(at, int(text.size()), mono, theme.foreground);
    }

    QFont mono;
    QFont monoBold;
    QFont monoItalic;
    QFontMetricsF fm;
    QRectF code;
    const Theme &theme;
    qreal lineHeight = 0;
    qreal pad = 0;
    qreal numberWidth = 0;
    qreal tagWidth = 0;
    qreal marginWidth = 0;
    qreal textLeft = 0;
};

/// Draws lines of one source around its marks into `box`, as the editor shows them (for export).
void paintSource(QPainter &p, const QRectF &box, const QString &heading, const CodeEditor &editor, const Theme &theme)
{
    p.save();
    p.setClipRect(box);
    const QFont headFont = theme.font(1.05, true);
    const QFontMetricsF hfm(headFont, p.device());
    p.setFont(headFont);
    p.setPen(theme.foreground);
    p.drawText(QRectF(box.left(), box.top(), box.width(), hfm.height()), Qt::AlignLeft | Qt::AlignVCenter, heading);

    const int count = editor.lineCount();
    const SourceLayout layout(p.device(), box.adjusted(0, hfm.height() * 1.3, 0, 0), count, theme);
    const QRectF &code = layout.code;
    const int visible = std::max(1, int(code.height() / layout.lineHeight));
    std::map<int, std::vector<const LineMark *>> byLine;
    std::vector<int> lines;
    for (const LineMark &m : editor.marks()) {
        byLine[m.line].push_back(&m);
        lines.push_back(m.line);
    }
    const int first = CodeWindow::firstLine(count, visible, lines, 1);
    p.fillRect(
        QRectF(code.left(), code.top(), layout.marginWidth, std::min(code.height(), visible * layout.lineHeight)),
        theme.laneAlternate);

    bool inComment = false;
    const CodeLanguage language = editor.language();
    for (int l = 1; l < first; ++l)
        CodeSyntax::spans(editor.lineText(l), language, inComment);
    for (int l = first; l <= count && l < first + visible; ++l) {
        const qreal y = code.top() + (l - first) * layout.lineHeight;
        const auto marks = byLine.find(l);
        if (marks != byLine.end())
            layout.paintMarks(p, y, marks->second);
        p.setFont(layout.mono);
        p.setPen(marks != byLine.end() ? theme.foreground : theme.muted);
        p.drawText(QRectF(code.left() + layout.pad, y, layout.numberWidth, layout.lineHeight),
                   Qt::AlignRight | Qt::AlignVCenter, QString::number(l));
        layout.paintText(p, y, editor.lineText(l), language, inComment);
    }
    p.restore();
}

} // namespace

CodeView::CodeView(QWidget *parent)
    : TraceView(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    m_splitter = new QSplitter(Qt::Horizontal, this);

    auto *cppPane = new QWidget(m_splitter);
    auto *cppLayout = new QVBoxLayout(cppPane);
    cppLayout->setContentsMargins(4, 4, 2, 0);
    m_cppHeader = new QLabel(cppPane);
    m_cppTabs = new QTabWidget(cppPane);
    m_cppTabs->setDocumentMode(true);
    cppLayout->addWidget(m_cppHeader);
    cppLayout->addWidget(m_cppTabs, 1);
    connect(m_cppTabs->tabBar(), &QTabBar::tabBarClicked, this, [this] { m_userPickedTab = true; });

    auto *pythonPane = new QWidget(m_splitter);
    auto *pythonLayout = new QVBoxLayout(pythonPane);
    pythonLayout->setContentsMargins(2, 4, 4, 0);
    m_pythonHeader = new QLabel(pythonPane);
    m_pythonHow = new QLabel(pythonPane);
    m_pythonHow->setWordWrap(true);
    m_python = new CodeEditor(CodeLanguage::Python, pythonPane);
    pythonLayout->addWidget(m_pythonHeader);
    pythonLayout->addWidget(m_python, 1);
    pythonLayout->addWidget(m_pythonHow);

    m_splitter->addWidget(cppPane);
    m_splitter->addWidget(pythonPane);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    // 3 : 2 from the start too: otherwise the panes start at their size hints, and a long note
    // under the Python (one line of Chinese) took the C++ pane's room.
    m_splitter->setSizes({3000, 2000});
    layout->addWidget(m_splitter, 1);
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    m_note->setContentsMargins(6, 0, 6, 4);
    m_note->setVisible(false);
    layout->addWidget(m_note);

    retranslate();
    themeChanged();
}

CodeView::~CodeView() = default;

QString CodeView::title() const
{
    return tr("Code");
}

void CodeView::retranslate()
{
    m_cppHeader->setText(tracedProgram() ? tr("The program's own source") : tr("C++ that runs"));
    m_pythonHeader->setText(tr("Python of the chapter"));
    m_pythonHow->setText(tr("A thread is marked at the Python line its C++ line re-enacts (the \"// py:\" notes); "
                            "elsewhere at the print that produced the last line it printed, \"?\" marking one of "
                            "several prints that could have."));
    updateMarks();
}

void CodeView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    TraceView::changeEvent(event);
}

void CodeView::showEvent(QShowEvent *event)
{
    TraceView::showEvent(event);
    if (m_dirty)
        sync();
}

void CodeView::themeChanged()
{
    const Theme &t = theme();
    for (QLabel *header : {m_cppHeader, m_pythonHeader})
        header->setFont(t.font(1.0, true));
    m_pythonHow->setFont(t.font(0.85));
    m_note->setFont(t.font(0.95));
    QPalette muted = m_pythonHow->palette();
    muted.setColor(QPalette::WindowText, t.muted);
    m_pythonHow->setPalette(muted);
    for (const CppFile &f : m_files)
        f.editor->setTheme(t);
    m_python->setTheme(t);
    updateMarks();
}

QString CodeView::scenarioId() const
{
    if (!runInfo().scenario.isEmpty())
        return runInfo().scenario;
    // A saved trace names its scenario in its description.
    return model() ? model()->data().meta.value(QStringLiteral("scenario")).toString() : QString();
}

void CodeView::loadSources()
{
    const QString id = scenarioId();
    // A traced program runs in its own folder: relative call-site paths are relative to it. Two
    // runs of "trace" are two programs unless their parameters are the same.
    const QJsonObject params = !runInfo().scenario.isEmpty() ? runInfo().params
                               : model() ? model()->data().meta.value(QStringLiteral("params")).toObject()
                                         : QJsonObject();
    const QString folder =
        id == QLatin1String(kTraceScenarioId) ? params.value(QStringLiteral("cwd")).toString() : QString();
    if (m_loaded && id == m_loadedScenario && (!tracedProgram() || params == m_programParams))
        return;
    m_loaded = true;
    m_loadedScenario = id;
    m_programParams = tracedProgram() ? params : QJsonObject();
    m_programFolder = folder;
    m_userPickedTab = false;
    m_cppTabs->clear();
    for (const CppFile &f : m_files)
        delete f.editor;
    m_files.clear();
    m_notEmbedded.clear();
    m_unreadable.clear();
    m_python->parentWidget()->setVisible(!tracedProgram());
    m_cppHeader->setText(tracedProgram() ? tr("The program's own source") : tr("C++ that runs"));
    const core::Scenario *scenario =
        id.isEmpty() || tracedProgram() ? nullptr : core::ScenarioRegistry::instance().find(id.toStdString());
    m_python->setCode(scenario ? scenario->python() : QString());
    if (scenario)
        openCpp(scenario->sourceFile());
    m_prints = PythonPrints::parse(scenario ? scenario->python() : QString());
    m_lesson =
        scenario ? LessonLink{core::LessonMap::of(*scenario), scenario->sourceFile().toStdString()} : LessonLink{};
}

bool CodeView::tracedProgram() const
{
    return m_loadedScenario == QLatin1String(kTraceScenarioId);
}

CodeEditor *CodeView::openCpp(const QString &recorded)
{
    const QString path = tracedProgram() ? ProgramSources::resolve(recorded, m_programFolder) : repoPathOf(recorded);
    for (const CppFile &f : m_files) {
        if (f.path == path)
            return f.editor;
    }
    if (m_notEmbedded.count(path))
        return nullptr;
    ProgramFile file{path, {}, {}, CodeLanguage::Cpp};
    if (tracedProgram()) {
        file = ProgramSources::read(path);
    } else {
        const QString resource = path.endsWith(QLatin1String(".cpp")) ? resourceOf(path) : QString();
        file.text = resource.isEmpty() ? QString() : readText(resource);
    }
    if (file.text.isEmpty()) {
        m_notEmbedded.insert(path);
        if (!file.error.isEmpty())
            m_unreadable.emplace(path, file.error);
        return nullptr;
    }
    auto *editor = new CodeEditor(file.language);
    editor->setTheme(theme());
    editor->setCode(file.text);
    editor->setRestLine(file.language == CodeLanguage::Cpp ? CodeEditor::codeStart(file.text) : 0);
    m_files.push_back({path, editor});
    const int tab = m_cppTabs->addTab(editor, baseName(path));
    m_cppTabs->setTabToolTip(tab, path);
    return editor;
}

CodeEditor *CodeView::cppEditor(const QString &file) const
{
    for (const CppFile &f : m_files) {
        if (f.path == file || (!file.contains(QLatin1Char('/')) && baseName(f.path) == file))
            return f.editor;
    }
    return nullptr;
}

QString CodeView::currentCppFile() const
{
    for (const CppFile &f : m_files) {
        if (f.editor == m_cppTabs->currentWidget())
            return f.path;
    }
    return {};
}

QString CodeView::note() const
{
    return m_note->text();
}

void CodeView::keepSources()
{
    sync();
}

void CodeView::setHeldSteps(std::vector<HeldStep> held)
{
    if (held == m_held)
        return; // asked after every poll of the run: most of the time nothing changed
    m_held = std::move(held);
    refresh();
}

QStringList CodeView::files() const
{
    QStringList files;
    for (int i = 0; i < m_cppTabs->count(); ++i)
        files.push_back(m_cppTabs->tabToolTip(i));
    return files;
}

void CodeView::openProgramFiles()
{
    // A C++ program can name many library headers: the first files open at once, the others
    // when a thread is marked in them.
    constexpr size_t kOpenAtOnce = 12;
    std::vector<QWidget *> order;
    const auto files = ProgramSources::byCallSites(m_locator.sitesPerFile());
    for (size_t i = 0; i < files.size() && i < kOpenAtOnce; ++i) {
        if (CodeEditor *editor = openCpp(QString::fromStdString(files[i].first)))
            order.push_back(editor);
    }
    ProgramSources::orderTabs(m_cppTabs, order);
}

QString CodeView::cppHeading() const
{
    return tracedProgram() ? tr("The program's own source: %1").arg(currentCppFile())
                           : tr("C++ that runs: %1").arg(currentCppFile());
}

QString CodeView::threadName(uint32_t thread) const
{
    return model() ? QString::fromStdString(model()->threadName(thread)) : QString();
}

void CodeView::modelChanged()
{
    m_locator.reset();
    m_dirty = true;
    refresh();
}

void CodeView::runInfoChanged()
{
    refresh(); // loadSources() reloads only when the scenario is another one
}

void CodeView::playheadChanged()
{
    updateMarks();
}

void CodeView::refresh()
{
    if (!isVisible()) {
        m_dirty = true; // catch up when shown
        return;
    }
    sync();
}

void CodeView::sync()
{
    m_dirty = false;
    loadSources();
    if (model())
        m_locator.update(*model());
    if (tracedProgram())
        openProgramFiles();
    updateMarks();
}

void CodeView::updateMarks()
{
    if (!m_loaded)
        return;
    const core::TraceModel *m = model();
    m_marks = m ? codeMarksAt(*m, m_locator, m_prints, playhead(), &m_lesson) : std::vector<CodeMark>();
    if (m && playhead() >= m->endTime())
        placeHeldSteps(m_marks, m_held, &m_lesson);

    std::map<CodeEditor *, std::vector<LineMark>> cpp;
    std::vector<LineMark> python;
    m_where.clear();
    m_outside.clear();
    for (const CodeMark &mark : m_marks) {
        const QString name = threadName(mark.thread);
        const QColor color = threadColor(mark.thread);
        if (mark.line > 0) {
            const QString where =
                mark.next.isEmpty() ? tr("%1 at %2:%3").arg(name, mark.file).arg(mark.line)
                                    : tr("%1 waits at %2:%3 to %4").arg(name, mark.file).arg(mark.line).arg(mark.next);
            if (CodeEditor *editor = openCpp(mark.file)) {
                cpp[editor].push_back({mark.line, mark.thread, name, color, false, mark.key});
                m_where.push_back(mark.pythonMapped ? tr("%1 (Python line %2)").arg(where).arg(mark.pythonLines.front())
                                                    : where);
            } else {
                m_outside.push_back(where);
            }
        }
        for (int line : mark.pythonLines)
            python.push_back({line, mark.thread, name, color, mark.pythonAmbiguous, mark.key});
    }
    for (const CppFile &f : m_files)
        f.editor->setMarks(cpp.count(f.editor) ? cpp[f.editor] : std::vector<LineMark>());
    m_python->setMarks(python);

    // Follow the threads to the file they are in, unless the user picked a tab.
    if (!m_userPickedTab && !cpp.empty()) {
        auto *current = qobject_cast<CodeEditor *>(m_cppTabs->currentWidget());
        if (!cpp.count(current)) {
            CodeEditor *busiest = nullptr;
            size_t most = 0;
            for (const auto &[editor, marks] : cpp) {
                if (marks.size() > most) {
                    busiest = editor;
                    most = marks.size();
                }
            }
            m_cppTabs->setCurrentWidget(busiest);
        }
    }

    QString note;
    if (tracedProgram())
        m_outside.clear(); // each of their files has its own line below
    else if (m && !m_loadedScenario.isEmpty() && m_files.empty())
        note = tr("The C++ of scenario '%1' is not built into this program.").arg(m_loadedScenario);
    else if (m && m_loadedScenario.isEmpty())
        note = tr("This trace does not say which scenario ran, so there is no code to show.");
    if (!m_where.empty()) {
        QStringList where(m_where.begin(), m_where.end());
        if (!note.isEmpty())
            note += QLatin1Char(' ');
        note += tr("Where: %1.").arg(where.join(QStringLiteral("; ")));
    }
    if (!m_outside.empty()) {
        QStringList where(m_outside.begin(), m_outside.end());
        if (!note.isEmpty())
            note += QLatin1Char(' ');
        note += tr("In code not shown here (library or instrumentation): %1.").arg(where.join(QStringLiteral("; ")));
    }
    if (tracedProgram()) {
        for (const auto &[path, why] : m_unreadable)
            note += (note.isEmpty() ? QString() : QStringLiteral("\n")) + why;
    }
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
}

std::vector<LegendEntry> CodeView::legend() const
{
    std::vector<LegendEntry> entries;
    for (const CodeMark &mark : m_marks) {
        const QColor color = threadColor(mark.thread);
        entries.push_back({threadName(mark.thread), QBrush(color), QPen(color.darker(130), 1)});
    }
    return entries;
}

int64_t CodeView::exportPlayhead() const
{
    if (const core::TraceModel *m = model())
        if (const auto t = core::recordedDeadlockTime(*m))
            return *t;
    return TraceView::exportPlayhead();
}

void CodeView::renderContent(QPainter &painter, const QSize &size)
{
    sync(); // a fresh view for an export may never have been shown
    const Theme &t = theme();
    painter.save();
    painter.fillRect(QRect(QPoint(), size), t.background);
    const QFont noteFont = t.font(0.95);
    const QFontMetricsF nfm(noteFont, painter.device());
    const QString text = note();
    // As many lines as the note wraps to at this width (a long one does in Chinese and in the projector's type).
    const qreal noteHeight =
        text.isEmpty()
            ? 0
            : nfm.boundingRect(QRectF(0, 0, size.width(), 1e6), Qt::AlignLeft | Qt::TextWordWrap, text).height() +
                  nfm.height() * 0.5;
    const qreal gap = nfm.height();
    const QRectF body(0, 0, size.width(), size.height() - noteHeight);

    auto *cpp = qobject_cast<CodeEditor *>(m_cppTabs->currentWidget());
    const bool hasPython = m_python->lineCount() > 1 || !m_python->lineText(1).isEmpty();
    if (cpp && hasPython) {
        const qreal split = std::round(body.width() * 0.58);
        paintSource(painter, QRectF(body.left(), body.top(), split - gap / 2, body.height()), cppHeading(), *cpp, t);
        paintSource(painter, QRectF(split + gap / 2, body.top(), body.width() - split - gap / 2, body.height()),
                    tr("Python of the chapter"), *m_python, t);
    } else if (cpp) {
        paintSource(painter, body, cppHeading(), *cpp, t);
    } else if (hasPython) {
        paintSource(painter, body, tr("Python of the chapter"), *m_python, t);
    }
    if (!text.isEmpty()) {
        painter.setFont(noteFont);
        painter.setPen(t.foreground);
        painter.drawText(QRectF(0, size.height() - noteHeight, size.width(), noteHeight),
                         Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap, text);
    }
    painter.restore();
}

} // namespace interleave::ui
