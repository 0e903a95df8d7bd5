#include "passthrough.h"

#include "stores/chunkedstore.h"

namespace cs {

QString passthroughModeName(PassthroughMode mode)
{
    switch (mode) {
    case PassthroughMode::Auto:
        return QStringLiteral("auto");
    case PassthroughMode::Require:
        return QStringLiteral("require");
    case PassthroughMode::Never:
        break;
    }
    return QStringLiteral("never");
}

std::optional<PassthroughMode> passthroughModeFromName(const QString &name)
{
    for (const PassthroughMode m : {PassthroughMode::Never, PassthroughMode::Auto, PassthroughMode::Require})
        if (name == passthroughModeName(m))
            return m;
    return std::nullopt;
}

QString codecsText(const EncodedForm &form)
{
    return form.codecs.isEmpty() ? QStringLiteral("none") : form.codecs.join(QStringLiteral(" | "));
}

QString requireRefusalMessage(const QString &why)
{
    return QStringLiteral("passthrough \"require\" cannot be honoured: ") + why;
}

namespace {

std::optional<EncodedForm> formOf(const Store &store, const QString &side, QString *why)
{
    QString whyNot;
    if (const auto *chunked = dynamic_cast<const ChunkedStore *>(&store)) {
        if (auto form = chunked->encodedForm(&whyNot))
            return form;
    } else {
        whyNot = QStringLiteral("holds no encoded chunks");
    }
    *why = QStringLiteral("%1 %2 (%3) %4").arg(side, store.id(), store.kind(), whyNot);
    return std::nullopt;
}

QString byteOrder(bool bigEndian)
{
    return bigEndian ? QStringLiteral("big-endian") : QStringLiteral("little-endian");
}

} // namespace

namespace {

std::optional<QString> refusal(const Store &source, const Store &target, const Coords &copyChunks,
                               PassthroughPlan *plan)
{
    QString why;
    const auto from = formOf(source, QStringLiteral("source"), &why);
    if (!from)
        return why;
    // A target that packs chunks into its own takes the source's as its inner chunks.
    const auto *packer = dynamic_cast<const ChunkedStore *>(&target);
    std::optional<EncodedForm> to = packer ? packer->packedForm() : std::nullopt;
    plan->packs = to.has_value();
    if (!to)
        to = formOf(target, QStringLiteral("target"), &why);
    if (!to)
        return why;
    const QString &s = source.id();
    const QString &t = target.id();
    if (plan->packs) {
        if (!(copyChunks == target.chunks()))
            return QStringLiteral("a different grid: the copy's chunks %1 differ from target %2's shards %3")
                .arg(copyChunks.toString(), t, target.chunks().toString());
        if (!(to->chunks == from->chunks))
            return QStringLiteral("a different grid: target %1's inner chunks %2 differ from source %3's chunks %4")
                .arg(t, to->chunks.toString(), s, from->chunks.toString());
    } else {
        if (!(copyChunks == from->chunks))
            return QStringLiteral("a different grid: the copy's chunks %1 differ from source %2's chunks %3")
                .arg(copyChunks.toString(), s, from->chunks.toString());
        if (!(to->chunks == from->chunks))
            return QStringLiteral("a different grid: target %1's chunks %2 differ from source %3's chunks %4")
                .arg(t, to->chunks.toString(), s, from->chunks.toString());
    }
    if (to->dtype.kind() != from->dtype.kind() || to->dtype.itemsize() != from->dtype.itemsize())
        return QStringLiteral("a different dtype: source %1 stores %2, target %3 stores %4")
            .arg(s, from->dtype.name(), t, to->dtype.name());
    // One-byte items have no byte order.
    if (from->dtype.swapUnit() > 1 && to->bigEndian != from->bigEndian)
        return QStringLiteral("a different byte order: source %1 stores %2 items, target %3 stores %4 items")
            .arg(s, byteOrder(from->bigEndian), t, byteOrder(to->bigEndian));
    if (to->codecs != from->codecs)
        return QStringLiteral("a different codec: source %1 encodes with %2, target %3 with %4")
            .arg(s, codecsText(*from), plan->packs ? t + QStringLiteral("'s inner chunks") : t, codecsText(*to));
    // A chunk never stored stays unstored in the target, so it must read there as it did here.
    if (to->fillItem != from->fillItem)
        return QStringLiteral("a fill value that differs: source %1's fill bytes are %2, target %3's are %4")
            .arg(s, QString::fromLatin1(from->fillItem.toHex()), t, QString::fromLatin1(to->fillItem.toHex()));
    const bool ragged = [&] {
        for (int d = 0; d < source.shape().rank; ++d)
            if (source.shape()[d] % from->chunks[d] != 0)
                return true;
        return false;
    }();
    if (ragged && !(from->edgeChunksFullSize && to->edgeChunksFullSize))
        plan->edgeRefusal
            = QStringLiteral("a different edge chunk: %1 keeps its last chunk unpadded, so the edge chunks are "
                             "re-encoded")
                  .arg(from->edgeChunksFullSize ? QStringLiteral("target ") + t : QStringLiteral("source ") + s);
    return std::nullopt;
}

} // namespace

PassthroughPlan planPassthrough(const Store &source, const Store &target, const Coords &copyChunks)
{
    PassthroughPlan plan;
    plan.refusal = refusal(source, target, copyChunks, &plan);
    return plan;
}

std::optional<QString> passthroughRefusal(const Store &source, const Store &target, const Coords &copyChunks)
{
    const PassthroughPlan plan = planPassthrough(source, target, copyChunks);
    if (plan.refusal)
        return plan.refusal;
    if (!plan.edgeRefusal.isEmpty())
        return plan.edgeRefusal;
    return std::nullopt;
}

} // namespace cs
