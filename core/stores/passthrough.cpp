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

std::optional<EncodedForm> innerForm(const Store &store)
{
    const auto *chunked = dynamic_cast<const ChunkedStore *>(&store);
    return chunked ? chunked->packedForm() : std::nullopt;
}

QString gridDiffers(const QString &what, const Coords &chunks, const QString &than, const Coords &thanChunks)
{
    return QStringLiteral("a different grid: %1 %2 differ from %3 %4")
        .arg(what, chunks.toString(), than, thanChunks.toString());
}

// Why the copy's chunks and the stored chunks of both sides do not line up, for the way the plan moves
// them; nullopt when they do.
std::optional<QString> gridRefusal(const Store &source, const Store &target, const Coords &copyChunks,
                                   const EncodedForm &from, const EncodedForm &to, const PassthroughPlan &plan)
{
    const QString copy = QStringLiteral("the copy's chunks");
    const QString s = QStringLiteral("source ") + source.id();
    const QString t = QStringLiteral("target ") + target.id();
    if (plan.packs) {
        if (!(copyChunks == target.chunks()))
            return gridDiffers(copy, copyChunks, t + QStringLiteral("'s shards"), target.chunks());
        if (!(to.chunks == from.chunks))
            return gridDiffers(t + QStringLiteral("'s inner chunks"), to.chunks, s + QStringLiteral("'s chunks"),
                               from.chunks);
        return std::nullopt;
    }
    if (plan.unpacks) {
        if (!(copyChunks == source.chunks()))
            return gridDiffers(copy, copyChunks, s + QStringLiteral("'s shards"), source.chunks());
        if (!(to.chunks == from.chunks))
            return gridDiffers(t + QStringLiteral("'s chunks"), to.chunks, s + QStringLiteral("'s inner chunks"),
                               from.chunks);
        return std::nullopt;
    }
    // Whole chunks, or both sides sharded and whole shards.
    const bool sharded = from.innerChunks.rank > 0 && to.innerChunks.rank > 0;
    const QString noun = sharded ? QStringLiteral("'s shards") : QStringLiteral("'s chunks");
    if (!(copyChunks == from.chunks))
        return gridDiffers(copy, copyChunks, s + noun, from.chunks);
    if (!(to.chunks == from.chunks))
        return gridDiffers(t + noun, to.chunks, s + noun, from.chunks);
    if (!(to.innerChunks == from.innerChunks))
        return gridDiffers(t + QStringLiteral("'s inner chunks"), to.innerChunks, s + QStringLiteral("'s inner chunks"),
                           from.innerChunks);
    return std::nullopt;
}

// Why chunks of the same grid are not stored alike: their items, their codecs, their fill value.
std::optional<QString> formRefusal(const QString &s, const QString &t, const EncodedForm &from, const EncodedForm &to,
                                   const PassthroughPlan &plan)
{
    if (to.dtype.kind() != from.dtype.kind() || to.dtype.itemsize() != from.dtype.itemsize())
        return QStringLiteral("a different dtype: source %1 stores %2, target %3 stores %4")
            .arg(s, from.dtype.name(), t, to.dtype.name());
    // One-byte items have no byte order.
    if (from.dtype.swapUnit() > 1 && to.bigEndian != from.bigEndian)
        return QStringLiteral("a different byte order: source %1 stores %2 items, target %3 stores %4 items")
            .arg(s, byteOrder(from.bigEndian), t, byteOrder(to.bigEndian));
    if (to.shardIndex != from.shardIndex)
        return QStringLiteral("a different shard index: source %1's is %2, target %3's is %4")
            .arg(s, from.shardIndex, t, to.shardIndex);
    if (to.codecs != from.codecs) {
        const bool sourceInner = plan.unpacks || from.innerChunks.rank > 0;
        const bool targetInner = plan.packs || (to.innerChunks.rank > 0 && !sourceInner);
        return QStringLiteral("a different codec: source %1 encodes %2with %3, target %4 with %5")
            .arg(s, sourceInner ? QStringLiteral("its inner chunks ") : QString(), codecsText(from),
                 targetInner ? t + QStringLiteral("'s inner chunks") : t, codecsText(to));
    }
    // A chunk never stored stays unstored in the target, so it must read there as it did here.
    if (to.fillItem != from.fillItem)
        return QStringLiteral("a fill value that differs: source %1's fill bytes are %2, target %3's are %4")
            .arg(s, QString::fromLatin1(from.fillItem.toHex()), t, QString::fromLatin1(to.fillItem.toHex()));
    return std::nullopt;
}

std::optional<QString> refusal(const Store &source, const Store &target, const Coords &copyChunks,
                               PassthroughPlan *plan)
{
    // A sharded side that meets an unsharded one packs its chunks into its shards or unpacks them from
    // its shards; two sharded sides move whole shards.
    const std::optional<EncodedForm> fromInner = innerForm(source);
    const std::optional<EncodedForm> toInner = innerForm(target);
    plan->packs = toInner && !fromInner;
    plan->unpacks = fromInner && !toInner;
    QString why;
    const std::optional<EncodedForm> from = plan->unpacks ? fromInner : formOf(source, QStringLiteral("source"), &why);
    if (!from)
        return why;
    const std::optional<EncodedForm> to = plan->packs ? toInner : formOf(target, QStringLiteral("target"), &why);
    if (!to)
        return why;
    if (auto grid = gridRefusal(source, target, copyChunks, *from, *to, *plan))
        return grid;
    if (auto form = formRefusal(source.id(), target.id(), *from, *to, *plan))
        return form;
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
                  .arg(from->edgeChunksFullSize ? QStringLiteral("target ") + target.id()
                                                : QStringLiteral("source ") + source.id());
    return std::nullopt;
}

} // namespace

PassthroughPlan planPassthrough(const Store &source, const Store &target, const Coords &copyChunks)
{
    PassthroughPlan plan;
    plan.refusal = refusal(source, target, copyChunks, &plan);
    return plan;
}

PassthroughGrids passthroughGrids(const Store &source, const Store &target, const Coords &copyChunks)
{
    PassthroughGrids grids{copyChunks, copyChunks};
    const std::optional<EncodedForm> fromInner = innerForm(source);
    const std::optional<EncodedForm> toInner = innerForm(target);
    if (toInner && !fromInner && copyChunks == target.chunks() && source.chunks() == toInner->chunks)
        grids.source = toInner->chunks;
    if (fromInner && !toInner && copyChunks == source.chunks() && target.chunks() == fromInner->chunks)
        grids.target = fromInner->chunks;
    return grids;
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
