// SPDX-License-Identifier: MIT
// The scenario browser's tree: names wrap to the width of the dock instead of being cut.
#pragma once

#include <QTreeWidget>

namespace interleave::ui {

/// A tree whose items' text wraps at the tree's width (at the projector's type, or in Chinese, a
/// scenario's name may need two lines); rows grow to hold it.
class ScenarioList : public QTreeWidget
{
    Q_OBJECT
public:
    explicit ScenarioList(QWidget *parent = nullptr);

protected:
    void resizeEvent(QResizeEvent *event) override;
};

} // namespace interleave::ui
