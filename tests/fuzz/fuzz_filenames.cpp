// libFuzzer target: the names of the files runs are written to (runFileStems). For any run names and
// repeat indices, every stem must be a non-empty, single path component that leaves room for the
// longest suffix within NAME_MAX, distinct from every other even ignoring case, the same on every
// call, and the run's own stem whenever no other run asks for it.
//
// The input is a list of records: a byte of name length, whose top bit says the name's bytes are
// UTF-16 (lone surrogates included) rather than UTF-8, a byte of repeat index (250 and up stand for
// extreme ones) and the name's bytes.
#include "results/filestems.h"
#include "results/runresult.h"

#include <QFile>

#include <climits>
#include <cstddef>
#include <cstdint>

namespace {

constexpr int kMaxRuns = 64;
constexpr qsizetype kNameMax = 255;
// The longest suffix a stem gets: "STEM.samples.csv" and "STEM.scaling.png" / ".svg".
constexpr qsizetype kLongestSuffix = 12;

int repeatFrom(uint8_t b)
{
    switch (b) {
    case 250:
        return INT_MAX;
    case 251:
        return INT_MAX - 1;
    case 252:
        return -1;
    case 253:
        return INT_MIN;
    case 254:
        return 99999;
    default:
        return b;
    }
}

void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

// The spellings a case-insensitive file system may treat as one name, as the mapping promises to
// keep apart: case folded, upper and lower case.
// A plain list rather than a QSet: intersecting sets of three walks every bucket of their tables,
// which made this target run at a few dozen inputs a second.
QStringList variants(const QString &stem)
{
    return {stem.toCaseFolded(), stem.toUpper(), stem.toLower()};
}

bool intersect(const QStringList &a, const QStringList &b)
{
    for (const QString &s : a)
        if (b.contains(s))
            return true;
    return false;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QList<cs::RunResult> runs;
    size_t at = 0;
    while (at + 2 <= size && runs.size() < kMaxRuns) {
        const bool utf16 = data[at] & 0x80;
        const size_t len = std::min<size_t>(data[at] & 0x7f, size - at - 2);
        cs::RunResult r;
        r.repeatIndex = repeatFrom(data[at + 1]);
        const uint8_t *bytes = data + at + 2;
        if (utf16) {
            for (size_t k = 0; k + 1 < len; k += 2)
                r.name.append(QChar(char16_t(bytes[k] | bytes[k + 1] << 8)));
        } else {
            r.name = QString::fromUtf8(reinterpret_cast<const char *>(bytes), qsizetype(len));
        }
        runs.append(r);
        at += 2 + len;
    }

    const QStringList stems = cs::runFileStems(runs);
    check(stems.size() == runs.size());
    check(cs::runFileStems(runs) == stems);
    for (const QString &stem : stems) {
        check(!stem.isEmpty());
        check(stem != QLatin1String(".") && stem != QLatin1String(".."));
        check(!stem.contains(QLatin1Char('/')) && !stem.contains(QChar(0)));
        const QByteArray native = QFile::encodeName(stem);
        check(!native.contains('\0') && !native.contains('/'));
        check(native.size() + kLongestSuffix <= kNameMax);
    }
    // Each stem's spellings are worked out once, not once per pair.
    QList<QStringList> given;
    for (const QString &stem : stems)
        given.append(variants(stem));
    for (qsizetype i = 0; i < given.size(); ++i)
        for (qsizetype j = i + 1; j < given.size(); ++j)
            check(!intersect(given[i], given[j]));

    // A run whose own stem no other run asks for (in any case) keeps it.
    QStringList wanted;
    QList<QStringList> wantedVariants;
    for (const cs::RunResult &r : runs) {
        wanted.append(cs::fileStem(r.name, r.repeatIndex, QStringLiteral("run")));
        wantedVariants.append(variants(wanted.constLast()));
    }
    for (qsizetype i = 0; i < wanted.size(); ++i) {
        bool alone = true;
        for (qsizetype j = 0; j < wanted.size() && alone; ++j)
            alone = i == j || !intersect(wantedVariants[i], wantedVariants[j]);
        check(!alone || stems[i] == wanted[i]);
    }
    return 0;
}
