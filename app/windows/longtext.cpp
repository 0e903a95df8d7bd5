#include "longtext.h"

#include <QLabel>

namespace cs {

QString breakableText(const QString &text)
{
    QString out;
    out.reserve(text.size() + text.size() / kLongWordChars);
    int run = 0;
    for (const QChar c : text) {
        if (c.isSpace()) {
            run = 0;
        } else if (++run > kLongWordChars) {
            out += QChar(0x200B);
            run = 1;
        }
        out += c;
    }
    return out;
}

QString shortenedText(const QString &text, int maxChars)
{
    if (text.size() <= maxChars)
        return breakableText(text);
    return breakableText(text.left(maxChars)) + QChar(0x2026);
}

void setLongText(QLabel *label, const QString &text, const QString &htmlSuffix)
{
    const QString shown = shortenedText(text);
    if (htmlSuffix.isEmpty()) {
        label->setTextFormat(Qt::PlainText);
        label->setText(shown);
    } else {
        label->setTextFormat(Qt::RichText);
        label->setText(shown.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>")) + htmlSuffix);
    }
    // A tooltip is rich text when it looks like it; escaped, a name like "<b>x</b>" shows as typed.
    label->setToolTip(
        text.size() > kShownChars
            ? QStringLiteral("<p style='white-space:pre-wrap'>%1</p>").arg(breakableText(text).toHtmlEscaped())
            : QString());
}

} // namespace cs
