// SPDX-License-Identifier: MIT
// The scenario browser's tree: names wrap to the width of the dock instead of being cut.
#include "ui/scenariolist.h"

#include <QHeaderView>
#include <QResizeEvent>
#include <QStyledItemDelegate>

namespace interleave::ui {

namespace {

/// Sizes an item for its text wrapped at the room left of the tree's width (QTreeView asks the
/// delegate without a width, which gives one line however long the text).
class WrappingDelegate : public QStyledItemDelegate
{
public:
    explicit WrappingDelegate(QTreeView *tree)
        : QStyledItemDelegate(tree)
        , m_tree(tree)
    {}

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        int depth = m_tree->rootIsDecorated() ? 1 : 0;
        for (QModelIndex p = index.parent(); p.isValid(); p = p.parent())
            ++depth;
        QStyleOptionViewItem opt = option;
        opt.rect = QRect(0, 0, std::max(40, m_tree->viewport()->width() - depth * m_tree->indentation()), 100000);
        opt.features |= QStyleOptionViewItem::WrapText;
        return QStyledItemDelegate::sizeHint(opt, index);
    }

private:
    QTreeView *m_tree;
};

} // namespace

ScenarioList::ScenarioList(QWidget *parent)
    : QTreeWidget(parent)
{
    setItemDelegate(new WrappingDelegate(this));
    setWordWrap(true);
    setTextElideMode(Qt::ElideNone);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    header()->setStretchLastSection(true);
}

void ScenarioList::resizeEvent(QResizeEvent *event)
{
    QTreeWidget::resizeEvent(event);
    if (event->size().width() != event->oldSize().width())
        scheduleDelayedItemsLayout(); // rows are as tall as their text wrapped at this width
}

} // namespace interleave::ui
