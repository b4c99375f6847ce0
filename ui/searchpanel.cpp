// SPDX-License-Identifier: MIT
// The Ctrl+F panel: a query, its hits, and the choice of one.
#include "ui/searchpanel.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QStyle>
#include <QVBoxLayout>

#include <algorithm>

namespace interleave::ui {

using Kind = core::SearchHit::Kind;

namespace {

QString ms(int64_t ns)
{
    return QString::number(double(ns) / 1e6, 'f', 3);
}

QString kindName(const core::SearchHit &hit)
{
    switch (hit.kind) {
    case Kind::Thread:
        return SearchPanel::tr("thread");
    case Kind::Process:
        return SearchPanel::tr("process");
    case Kind::Output:
        return SearchPanel::tr("printed");
    case Kind::Phase:
        return SearchPanel::tr("phase");
    case Kind::Object:
        break;
    }
    switch (hit.objectKind) {
    case core::ObjectKind::Mutex:
    case core::ObjectKind::Gil: // CPython's global interpreter lock
        return SearchPanel::tr("lock");
    case core::ObjectKind::CondVar:
        return SearchPanel::tr("condition");
    case core::ObjectKind::Semaphore:
        return SearchPanel::tr("semaphore");
    case core::ObjectKind::Queue:
    case core::ObjectKind::ProcessQueue:
    case core::ObjectKind::NetQueue:
        return SearchPanel::tr("queue");
    case core::ObjectKind::Pipe:
        return SearchPanel::tr("pipe");
    case core::ObjectKind::ThreadPool:
    case core::ObjectKind::ProcessPool:
        return SearchPanel::tr("pool");
    case core::ObjectKind::SharedVar:
    case core::ObjectKind::ThreadLocal:
        return SearchPanel::tr("variable");
    }
    return SearchPanel::tr("object");
}

} // namespace

SearchPanel::SearchPanel(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("SearchPanel"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto *row = new QHBoxLayout;
    m_query = new QLineEdit(this);
    m_query->setObjectName(QStringLiteral("SearchQuery"));
    m_query->setClearButtonEnabled(true);
    m_query->installEventFilter(this);
    m_count = new QLabel(this);
    row->addWidget(m_query, 1);
    row->addWidget(m_count);
    layout->addLayout(row);
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("SearchHits"));
    m_list->setUniformItemSizes(true);
    layout->addWidget(m_list, 1);
    m_typing.setSingleShot(true);
    m_typing.setInterval(150);
    connect(&m_typing, &QTimer::timeout, this, &SearchPanel::search);
    connect(m_query, &QLineEdit::textChanged, this, [this] { m_typing.start(); });
    connect(m_query, &QLineEdit::returnPressed, this, [this] {
        if (m_typing.isActive())
            search();
        choose(std::max(0, m_list->currentRow()));
    });
    // Enter (or a style's activating click) and a plain click choose a hit, once each.
    connect(m_list, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) { choose(m_list->row(item)); });
    if (!style()->styleHint(QStyle::SH_ItemView_ActivateItemOnSingleClick, nullptr, m_list))
        connect(m_list, &QListWidget::itemClicked, this, [this](QListWidgetItem *item) { choose(m_list->row(item)); });
    retranslate();
}

void SearchPanel::setModel(const core::TraceModel *model)
{
    if (model == m_model)
        return;
    m_model = model;
    search();
}

void SearchPanel::focusQuery()
{
    m_query->setFocus(Qt::ShortcutFocusReason);
    m_query->selectAll();
}

void SearchPanel::search()
{
    m_typing.stop();
    m_hits.clear();
    m_list->clear();
    const QString query = m_query->text().trimmed();
    if (m_model && !query.isEmpty())
        m_hits = core::searchTrace(*m_model, query.toStdString());
    for (const core::SearchHit &hit : m_hits)
        m_list->addItem(hitText(*m_model, hit));
    if (!m_hits.empty())
        m_list->setCurrentRow(0);
    // As tall as its hits, up to eight rows: the panel takes no more of the window than it needs.
    const int rows = std::clamp(m_list->count(), 1, 8);
    const int rowHeight = m_list->count() > 0 ? m_list->sizeHintForRow(0) : m_list->fontMetrics().height();
    m_list->setFixedHeight(rows * rowHeight + 2 * m_list->frameWidth() + 2);
    setMaximumHeight(layout()->sizeHint().height());
    m_count->setText(query.isEmpty() ? QString() : tr("%n found", nullptr, int(m_hits.size())));
}

QString SearchPanel::hitText(const core::TraceModel &model, const core::SearchHit &hit)
{
    QString where;
    if (hit.end > hit.start)
        where = tr("%1 – %2 ms").arg(ms(hit.start - model.startTime()), ms(hit.end - model.startTime()));
    else
        where = tr("at %1 ms").arg(ms(hit.start - model.startTime()));
    QString text = QString::fromStdString(hit.text);
    if (hit.kind == Kind::Output && hit.thread < model.threadCount())
        text = QString::fromStdString(model.threadName(hit.thread)) + QStringLiteral(": ") + text;
    return tr("%1 (%2, %3)").arg(text, kindName(hit), where);
}

bool SearchPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_query && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Down || key == Qt::Key_Up) {
            const int row = m_list->currentRow() + (key == Qt::Key_Down ? 1 : -1);
            if (row >= 0 && row < m_list->count())
                m_list->setCurrentRow(row);
            return true;
        }
        if (key == Qt::Key_Escape) {
            Q_EMIT closeRequested();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void SearchPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        search();
    }
    QWidget::changeEvent(event);
}

void SearchPanel::choose(int row)
{
    if (row < 0 || row >= int(m_hits.size()))
        return;
    m_list->setCurrentRow(row);
    Q_EMIT hitChosen(m_hits[size_t(row)]);
}

void SearchPanel::retranslate()
{
    m_query->setPlaceholderText(tr("Find a thread, process, lock, queue or printed line"));
}

} // namespace interleave::ui
