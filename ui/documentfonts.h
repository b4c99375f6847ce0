// SPDX-License-Identifier: MIT
// Text documents whose every run of text follows the widget's type size.
#pragma once

class QTextDocument;

namespace interleave::ui {

/// Drops the fixed sizes that imported text carries (Markdown's code spans come in the desktop's
/// monospace size), so the whole document follows its widget's font, as the projector theme
/// enlarges it. Relative sizes (headings, x-large) stay.
void followWidgetFontSize(QTextDocument *document);

} // namespace interleave::ui
