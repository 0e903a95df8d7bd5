#pragma once

#include <QString>

class QLabel;

namespace cs {

// Text a user typed, shown in a word-wrapped label of a panel: a 10,000-character value must neither
// widen the panel (a word-wrapped label is as wide as its longest word) nor fill the screen.

// Inserts a break opportunity (a zero-width space) every kLongWordChars characters of any longer word.
constexpr int kLongWordChars = 40;
QString breakableText(const QString &text);
// breakableText, cut to `maxChars` characters with an ellipsis: a few lines in a panel.
constexpr int kShownChars = 240;
QString shortenedText(const QString &text, int maxChars = kShownChars);
// `text` in `label`, shortened, with the whole text in its tooltip when it was cut. With
// `htmlSuffix` (a link, say) the label is rich text: the text escaped, then the suffix.
void setLongText(QLabel *label, const QString &text, const QString &htmlSuffix = QString());

} // namespace cs
