#include "filestems.h"

#include "runresult.h"
#include "sweepsummary.h"

#include <QHash>
#include <QSet>

namespace cs {

namespace {

int utf8Bytes(QChar c)
{
    return c.unicode() < 0x80 ? 1 : c.unicode() < 0x800 ? 2 : 3;
}

// Every spelling a case-insensitive file system may treat as the same name: APFS folds case,
// NTFS compares upper case, and lower case catches what neither mapping alone does.
QStringList caseVariants(const QString &stem)
{
    return {stem.toCaseFolded(), stem.toUpper(), stem.toLower()};
}

} // namespace

QString fileStem(const QString &name, int repeatIndex, const QString &fallback)
{
    const QString suffix = repeatIndex > 0 ? QStringLiteral("_%1").arg(qint64(repeatIndex) + 1) : QString();
    const int room = kMaxStemBytes - int(suffix.size());
    QString stem;
    int bytes = 0;
    // A character outside the BMP is two surrogates, neither a letter: it becomes "__".
    for (QChar c : name.isEmpty() ? fallback : name) {
        if (!c.isLetterOrNumber() && c != QLatin1Char('-') && c != QLatin1Char('_'))
            c = QLatin1Char('_');
        bytes += utf8Bytes(c);
        if (bytes > room)
            break;
        stem += c;
    }
    return stem + suffix;
}

QStringList uniqueFileStems(const QStringList &stems)
{
    QStringList out(stems.size());
    QSet<QString> taken;
    auto isTaken = [&](const QString &stem) {
        for (const QString &v : caseVariants(stem))
            if (taken.contains(v))
                return true;
        return false;
    };
    auto take = [&](qsizetype i, const QString &stem) {
        out[i] = stem;
        for (const QString &v : caseVariants(stem))
            taken.insert(v);
    };
    // First every stem that is free keeps it, so that no output is renamed for another's sake.
    QList<qsizetype> clashing;
    for (qsizetype i = 0; i < stems.size(); ++i) {
        if (isTaken(stems[i]))
            clashing.append(i);
        else
            take(i, stems[i]);
    }
    // Where to resume counting for each stem, so that many equal names stay linear.
    QHash<QString, qint64> next;
    for (const qsizetype i : clashing) {
        qint64 &n = next[stems[i].toCaseFolded()];
        n = std::max<qint64>(n, 2);
        QString candidate;
        do
            candidate = stems[i] + QStringLiteral("-%1").arg(n++);
        while (isTaken(candidate));
        take(i, candidate);
    }
    return out;
}

QStringList runFileStems(const QList<RunResult> &runs)
{
    QStringList stems;
    stems.reserve(runs.size());
    for (const RunResult &r : runs)
        stems.append(fileStem(r.name, r.repeatIndex, QStringLiteral("run")));
    return uniqueFileStems(stems);
}

QStringList sweepFileStems(const QList<SweepSummary> &sweeps)
{
    QStringList stems;
    stems.reserve(sweeps.size());
    for (const SweepSummary &s : sweeps)
        stems.append(fileStem(s.name, 0, QStringLiteral("sweep")));
    return uniqueFileStems(stems);
}

} // namespace cs
